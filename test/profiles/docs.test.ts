// The texts about the PBX profiles stay in step with sandbox/pbx/profiles.ts: docs/unconfirmed.md names
// every behaviour key once in its profile column (and only those), every named profile, and only files
// that exist; sandbox/README.md holds the table of named profiles as profileTable() writes it; the profile
// file format refuses what it does not know, with a JSON pointer.
import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { BEHAVIOUR_KEYS, DEFAULT_BEHAVIOUR, differences, loadProfile, parseProfile, PROFILES, profileFromFlag, profileTable, ProfileError } from '../../sandbox/pbx/profiles';

const root = path.resolve(__dirname, '../..');
const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');

describe('docs/unconfirmed.md', () => {
  const doc = read('docs/unconfirmed.md');
  const pbxTable = doc.slice(doc.indexOf('## The PBX'), doc.indexOf('## The platform'));
  const rows = pbxTable.split('\n').filter((l) => /^\| [^-]/.test(l) && !l.startsWith('| fact |'));
  const profileColumn = rows.map((row) => row.split(' | ')[3]?.trim());

  it('names each behaviour key of the profiles in the PBX table, once, and nothing else in that column', () => {
    expect(rows.length).toBeGreaterThan(BEHAVIOUR_KEYS.length);
    const keys = profileColumn.filter((c) => c !== '—').map((c) => c.replace(/`/g, ''));
    expect([...keys].sort()).toEqual([...BEHAVIOUR_KEYS].sort());
  });

  it('names every named profile', () => {
    for (const profile of PROFILES) expect(doc, profile.name).toContain(`\`${profile.name}\``);
  });

  it('cites only files that exist', () => {
    const cited = [...doc.matchAll(/`((?:[\w.-]+\/)*[\w.-]+\.(?:ts|csx|md|json))`/g)].map((m) => m[1]);
    expect(cited.length).toBeGreaterThan(5);
    for (const file of cited) expect(fs.existsSync(path.join(root, file)), file).toBe(true);
  });

  it('cites every source file that says a fact is unconfirmed or undocumented (or its folder)', () => {
    const marked = sources().filter((file) =>
      read(file)
        .split('\n')
        // The brand profiles' `unconfirmed` list is data (its facts are named in their own row), not a marker.
        .some((line) => /\b(unconfirmed|undocumented)\b/i.test(line) && !/\bunconfirmed\s*:|\.unconfirmed\b|unconfirmedNote/.test(line)),
    );
    expect(marked).toContain('script.csx');
    const cited = (file: string) => doc.includes(`\`${file}\``) || file.split('/').slice(0, -1).some((_, i, dirs) => doc.includes(`\`${dirs.slice(0, i + 1).join('/')}/\``));
    expect(marked.filter((file) => !cited(file))).toEqual([]);
  });

  it("names only members of script.csx and the project's code that exist", () => {
    const code = [read('script.csx'), read('apiDefinition.swagger.json'), ...sources().filter((f) => f.endsWith('.ts')).map(read)].join('\n');
    // Identifiers in backticks: PascalCase with an inner capital (`SendToPbxAsync`, `ListCalls`, `BudgetMs`).
    const named = [...new Set([...doc.matchAll(/`([A-Z][a-z]+[A-Z]\w*)`/g)].map((m) => m[1]))];
    expect(named.length).toBeGreaterThan(10);
    expect(named.filter((name) => !new RegExp(`\\b${name}\\b`).test(code))).toEqual([]);
  });
});

/** The project's own source: script.csx and the TypeScript of the connector, sandbox, script host and lib (the 1.0 baselines aside). */
function sources(): string[] {
  const files = ['script.csx'];
  for (const dir of ['connector', 'sandbox', 'script-host', 'lib']) {
    for (const entry of fs.readdirSync(path.join(root, dir), { recursive: true }) as string[]) {
      const file = `${dir}/${entry.split(path.sep).join('/')}`;
      if (file.endsWith('.ts') && !file.startsWith('connector/baseline/')) files.push(file);
    }
  }
  return files.sort();
}

describe('sandbox/README.md', () => {
  it('holds the table of named profiles as profileTable() writes it', () => {
    const readme = read('sandbox/README.md');
    const block = /<!-- pbx-profiles:begin -->\n([\s\S]*?)\n<!-- pbx-profiles:end -->/.exec(readme)?.[1];
    expect(block).toBe(profileTable());
  });

  it('documents every behaviour key in its table of keys', () => {
    const readme = read('sandbox/README.md');
    for (const key of BEHAVIOUR_KEYS) expect(readme, key).toMatch(new RegExp(`\\| \`${key}\`[ ,|]|, \`${key}\` \\|`));
  });
});

describe('the named profiles', () => {
  it('are today\'s default, then one uncertainty each, with the evidence for what they set', () => {
    expect(PROFILES[0].name).toBe('default');
    expect(differences(PROFILES[0])).toEqual([]);
    for (const profile of PROFILES.slice(1)) {
      const keys = differences(profile);
      expect(keys, profile.name).toHaveLength(1);
      expect(profile.evidence[keys[0]], profile.name).toMatch(/\S+( \S+){5}/);
    }
    expect(new Set(PROFILES.map((p) => p.name)).size).toBe(PROFILES.length);
  });
});

describe('a profile file', () => {
  it('reads JSON and YAML, extends a named profile, and keeps its evidence', () => {
    const yaml = parseProfile('name: live-guess\nextends: oldest-first\nemptyList: not-found\nevidence:\n  emptyList: seen in a log\n', 'live-guess.yaml');
    expect(yaml).toMatchObject({ name: 'live-guess', order: 'oldest-first', emptyList: 'not-found', pageCap: null, evidence: { emptyList: 'seen in a log' } });
    const json = parseProfile('{"name": "capped", "pageCap": 40, "latencyMs": 0}', 'capped.json');
    expect(json).toEqual({ ...DEFAULT_BEHAVIOUR, pageCap: 40, name: 'capped', summary: 'read from capped.json', evidence: {}, source: 'capped.json' });
  });

  it('is refused with every problem at once, each with its JSON pointer and what is allowed', () => {
    const text = JSON.stringify({ name: 'Bad Name', orderr: 'x', order: 'newest', pageCap: 0, overrun: 'yes', extends: 'nowhere', evidence: { colour: 'x' } });
    let message = '';
    try {
      parseProfile(text, 'bad.json');
    } catch (e) {
      expect(e).toBeInstanceOf(ProfileError);
      message = (e as Error).message;
    }
    expect(message.split('\n')).toEqual([
      'bad.json is not a valid PBX profile:',
      expect.stringMatching(/^ {2}\/orderr: not a profile key \(known: name, summary, extends, evidence, order, /),
      '  /name: must be kebab-case (a-z, 0-9, -), got "Bad Name"',
      expect.stringMatching(/^ {2}\/extends: must name a built-in profile \(default, not-found-empty, .*\), got "nowhere"$/),
      '  /order: must be "newest-first" or "oldest-first" or "newest-first-swapped", got "newest"',
      '  /pageCap: must be a whole number from 1 to 100000 or null, got 0',
      '  /overrun: must be false or true, got "yes"',
      expect.stringMatching(/^ {2}\/evidence\/colour: not a behaviour key/),
    ]);
    expect(() => parseProfile('{"name": "default"}', 'x.json')).toThrow(/\/name: "default" is a built-in profile's name/);
    expect(() => parseProfile('[1]', 'x.json')).toThrow(/x\.json: a profile is an object/);
    expect(() => parseProfile('{"name": ', 'x.json')).toThrow(/x\.json: not valid JSON/);
    expect(() => parseProfile('name: [', 'x.yaml')).toThrow(/x\.yaml: not valid YAML/);
  });

  it('--profile takes a name or a file; anything else is one line for the command to refuse with (exit 2)', () => {
    const refusals: string[] = [];
    expect(profileFromFlag(undefined, (m) => refusals.push(m))).toBe(PROFILES[0]);
    expect(profileFromFlag('slow', (m) => refusals.push(m))?.latencyMs).toBe(250);
    expect(profileFromFlag('no-such-profile', (m) => refusals.push(m))).toBeUndefined();
    expect(refusals).toEqual([expect.stringMatching(/^--profile: "no-such-profile" is neither a PBX profile \(default, .*\) nor a profile file$/)]);
    expect(() => loadProfile('test')).toThrow(/is neither a PBX profile/); // a folder is not a profile file
  });
});
