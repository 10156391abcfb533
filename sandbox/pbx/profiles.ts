/**
 * PBX profiles: one behaviour of the mock PBX for each thing the real PBX does not document (the
 * order of lists, an empty list, a silent page cap, pages longer than asked, ids beyond Int64, headers
 * of its own, latency, the kinds of recording link). A profile is named (PROFILES) or read from a JSON or YAML file
 * (`npm run probe-pbx` writes one from the live PBX), and is set per run: the sandbox
 * (`SandboxOptions.pbx`), the mock on its own (`sandbox/pbx/cli.ts --profile`), `npm start --profile`,
 * `npm run bench` (per-profile figures) and the tests (test/profiles/, `ZP_PBX_PROFILE`).
 *
 * The file format: an object with `name` (kebab-case) and any behaviour key of BEHAVIOURS; `extends`
 * names the profile the rest comes from (default: `default`); `summary` and `evidence` (by behaviour
 * key) say why. Anything else is refused with the JSON pointer of the offending value.
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse as parseYaml } from 'yaml';
import type { ListOrder } from './api';
import { RECORDING_LINK_KINDS, type RecordingLinkKind } from './recordings';
import type { PbxBehaviourOptions } from './server';

/** What a profile decides: every unconfirmed behaviour of the PBX that the mock can play. */
export interface PbxBehaviour {
  order: ListOrder;
  emptyList: 'ok' | 'not-found';
  /** A silent cap on the items of a page (null: none). */
  pageCap: number | null;
  /** The largest `limit` the PBX accepts (a larger one is a 422). */
  maxLimit: number;
  /** The page size without `limit`. */
  defaultLimit: number;
  overrun: boolean;
  bigIds: boolean;
  extraHeaders: boolean;
  /** Wall-clock latency per request (ms) and its uniform jitter (0.2 = ±20 %). */
  latencyMs: number;
  latencyJitter: number;
  /**
   * The kinds of `recordingURL` the PBX writes (sandbox/pbx/recordings.ts), handed out in turn by recording ID:
   * `pbx` and `redirect` need the API key on the PBX's own host, `presigned` is on another host and refuses it.
   */
  recordingLinks: readonly RecordingLinkKind[];
}

export type BehaviourKey = keyof PbxBehaviour;

export interface PbxProfile extends PbxBehaviour {
  /** kebab-case; the bench suffixes its per-profile figures with it. */
  name: string;
  summary: string;
  /** Why each behaviour it sets is plausible (a named profile), or what the probe saw (a probed one). */
  evidence: Partial<Record<BehaviourKey, string>>;
  /** `built-in`, or the file it was read from. */
  source: string;
}

interface BehaviourSpec {
  /** The unconfirmed fact, in words (docs/unconfirmed.md and the sandbox README name it). */
  fact: string;
  /** Allowed values (enumerations and booleans), a list of distinct values from `list`, or a number with its bounds. */
  values?: readonly (string | boolean | null)[];
  list?: readonly string[];
  number?: { min: number; max: number; integer: boolean; nullable?: boolean };
}

/** Every behaviour key: the fact it stands for and the values a profile may give it. */
export const BEHAVIOURS: { readonly [K in BehaviourKey]: BehaviourSpec } = {
  order: { fact: 'the order of list answers', values: ['newest-first', 'oldest-first', 'newest-first-swapped'] },
  emptyList: { fact: 'the answer to a list with nothing in it (200 with data [] or 404)', values: ['ok', 'not-found'] },
  pageCap: { fact: 'a silent cap on the items of a page', number: { min: 1, max: 100_000, integer: true, nullable: true } },
  maxLimit: { fact: 'the largest limit the PBX accepts', number: { min: 1, max: 100_000, integer: true } },
  defaultLimit: { fact: 'the page size when no limit is sent', number: { min: 1, max: 100_000, integer: true } },
  overrun: { fact: 'a page longer than its limit, with an id repeated', values: [false, true] },
  bigIds: { fact: 'ids beyond 2^63 (as JSON integers)', values: [false, true] },
  extraHeaders: { fact: 'headers of the PBX\'s own on answers (Location, Retry-After, Set-Cookie)', values: [false, true] },
  latencyMs: { fact: 'the PBX\'s latency per request (ms)', number: { min: 0, max: 60_000, integer: true } },
  latencyJitter: { fact: 'the spread of that latency (0.2 = ±20 %)', number: { min: 0, max: 1, integer: false } },
  recordingLinks: { fact: "which kinds of recording link the PBX writes: on its own host with the API key, pre-signed elsewhere without it, or a redirect from one to the other", list: RECORDING_LINK_KINDS },
};

export const BEHAVIOUR_KEYS = Object.keys(BEHAVIOURS) as BehaviourKey[];

/** Today's mock: the connector's design assumptions, none of them confirmed by the live PBX. */
export const DEFAULT_BEHAVIOUR: Readonly<PbxBehaviour> = {
  order: 'newest-first',
  emptyList: 'ok',
  pageCap: null,
  maxLimit: 1000,
  defaultLimit: 50,
  overrun: false,
  bigIds: false,
  extraHeaders: false,
  latencyMs: 0,
  latencyJitter: 0.2,
  recordingLinks: RECORDING_LINK_KINDS,
};

function named(name: string, summary: string, changes: Partial<PbxBehaviour>, evidence: Partial<Record<BehaviourKey, string>>): PbxProfile {
  return { ...DEFAULT_BEHAVIOUR, ...changes, name, summary, evidence, source: 'built-in' };
}

/** The named profiles: today's default, then one per uncertainty (each differs from the default in one behaviour). */
export const PROFILES: readonly PbxProfile[] = [
  named('default', "today's mock: newest first, 200 with data [] when empty, no cap, ids that fit Int64, no headers of its own, no latency, recording links of every kind", {}, {
    order: 'The connector was built on "newest first" (platform-facts); 1.0\'s polling policy takes data[0] as the newest. Not confirmed.',
    recordingLinks:
      'Where recordings are kept and what their links ask for is undocumented (1.0 describes recordingURL as a link, no more): the mock writes all three plausible kinds, in turn by recording ID, so GetRecordingFile and the recording archive meet each.',
  }),
  named('not-found-empty', 'an empty list is 404 with the reference page\'s message', { emptyList: 'not-found' }, {
    emptyList:
      'The published reference page lists as a common error "There are no items found based on the request. Please make sure that items exist and check the filter fields if they\'re filled correctly.", and 1.0 declares 404 on every /trigger/* list.',
  }),
  named('oldest-first', 'lists come oldest first', { order: 'oldest-first' }, {
    order: 'No document states the order (platform-facts: "newest first (unconfirmed)"); the definition and the reference page say nothing.',
  }),
  named('roughly-newest-first', 'lists come newest first, but each pair of neighbouring ids swapped', { order: 'newest-first-swapped' }, {
    order:
      'Reasoned, not observed: a PBX that sorts by a timestamp of whole seconds (callStarted) rather than by id, or hands out ids when a call ends, lists neighbours out of id order.',
  }),
  named('page-cap', 'pages hold at most 100 items whatever limit asks, without saying so', { pageCap: 100 }, {
    pageCap:
      'The definition declares no maximum for limit and the PBX\'s cap is unknown; the connector is built to be correct at a cap of 100 (platform-facts). A smaller cap is outside that: list actions and dropdowns take a page shorter than 100 as the last.',
  }),
  named('overrun', 'a full page carries one item twice: limit + 1 entries', { overrun: true }, {
    overrun:
      'Reasoned from a common server fault (a list built by a join, e.g. a call with two recordings, returns one row twice and more rows than limit); the review of issue 18 showed the script skipping an item after such a page.',
  }),
  named('big-ids', 'ids are JSON integers beyond 2^64 (21 digits), exact in the text', { bigIds: true }, {
    bigIds:
      '1.0 declares ids as integer/int32, but nothing from the PBX bounds them; the review of issue 18 found an id beyond Int64 stopping a trigger for good (OverflowException).',
  }),
  named('extra-headers', 'every answer carries Location, Retry-After and Set-Cookie of the PBX\'s own', { extraHeaders: true }, {
    extraHeaders:
      'The PBX\'s headers are undocumented; a web framework or a proxy in front of it commonly adds a session cookie, a Retry-After or a Location, none of which is meant for the platform.',
  }),
  named('slow', 'every answer takes 250 ms (±20 %)', { latencyMs: 250 }, {
    latencyMs:
      'The latency is unknown; the connector is built to be correct at 1 s per request (platform-facts). 250 ms keeps the test matrix quick; the bench\'s drains also run at 50 and 1,000 ms.',
  }),
];

export const DEFAULT_PROFILE: PbxProfile = PROFILES[0];

/** A profile that cannot be read: the message names the file and the JSON pointer of each problem. */
export class ProfileError extends Error {
  override name = 'ProfileError';
}

export function findProfile(name: string): PbxProfile | undefined {
  return PROFILES.find((p) => p.name === name);
}

const NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
const FILE_KEYS = new Set(['name', 'summary', 'extends', 'evidence', ...BEHAVIOUR_KEYS]);

/** Checks one behaviour value; returns the problem in words, or undefined. */
function problemWith(key: BehaviourKey, value: unknown): string | undefined {
  const spec: BehaviourSpec = BEHAVIOURS[key];
  if (spec.list) {
    const allowed = spec.list;
    const ok = Array.isArray(value) && value.length > 0 && value.every((v) => allowed.includes(v as string)) && new Set(value).size === value.length;
    return ok ? undefined : `must be a list of one or more of ${allowed.map((v) => JSON.stringify(v)).join(', ')}, each once, got ${JSON.stringify(value)}`;
  }
  if (spec.values) {
    if (spec.values.includes(value as string)) return undefined;
    return `must be ${spec.values.map((v) => JSON.stringify(v)).join(' or ')}, got ${JSON.stringify(value)}`;
  }
  const n = spec.number!;
  if (value === null && n.nullable) return undefined;
  const ok = typeof value === 'number' && Number.isFinite(value) && (!n.integer || Number.isInteger(value)) && value >= n.min && value <= n.max;
  if (ok) return undefined;
  return `must be ${n.integer ? 'a whole number' : 'a number'} from ${n.min} to ${n.max}${n.nullable ? ' or null' : ''}, got ${JSON.stringify(value)}`;
}

/** Reads a profile file's text (JSON, or YAML when `source` ends in .yaml/.yml); every problem is reported at once. */
export function parseProfile(text: string, source: string): PbxProfile {
  let doc: unknown;
  try {
    doc = /\.ya?ml$/i.test(source) ? parseYaml(text) : JSON.parse(text);
  } catch (e) {
    throw new ProfileError(`${source}: not valid ${/\.ya?ml$/i.test(source) ? 'YAML' : 'JSON'}: ${(e as Error).message.split('\n')[0]}`);
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw new ProfileError(`${source}: a profile is an object ({"name": …, "order": …}), got ${Array.isArray(doc) ? 'an array' : JSON.stringify(doc)}`);
  const given = doc as Record<string, unknown>;
  const problems: string[] = [];
  for (const key of Object.keys(given)) {
    if (!FILE_KEYS.has(key)) problems.push(`/${key}: not a profile key (known: ${[...FILE_KEYS].join(', ')})`);
  }
  if (typeof given.name !== 'string' || !NAME.test(given.name)) problems.push(`/name: must be kebab-case (a-z, 0-9, -), got ${JSON.stringify(given.name)}`);
  else if (findProfile(given.name)) problems.push(`/name: "${given.name}" is a built-in profile's name; give the file its own`);
  if (given.summary !== undefined && typeof given.summary !== 'string') problems.push(`/summary: must be a string`);
  const base = given.extends === undefined ? DEFAULT_PROFILE : typeof given.extends === 'string' ? findProfile(given.extends) : undefined;
  if (!base) problems.push(`/extends: must name a built-in profile (${PROFILES.map((p) => p.name).join(', ')}), got ${JSON.stringify(given.extends)}`);
  const behaviour: Partial<PbxBehaviour> = {};
  for (const key of BEHAVIOUR_KEYS) {
    if (!(key in given)) continue;
    const problem = problemWith(key, given[key]);
    if (problem) problems.push(`/${key}: ${problem}`);
    else (behaviour as Record<string, unknown>)[key] = inListOrder(key, given[key]);
  }
  const evidence: Partial<Record<BehaviourKey, string>> = {};
  if (given.evidence !== undefined) {
    if (given.evidence === null || typeof given.evidence !== 'object' || Array.isArray(given.evidence)) problems.push('/evidence: must be an object of texts by behaviour key');
    else {
      for (const [key, value] of Object.entries(given.evidence)) {
        if (!(BEHAVIOUR_KEYS as string[]).includes(key)) problems.push(`/evidence/${key}: not a behaviour key (known: ${BEHAVIOUR_KEYS.join(', ')})`);
        else if (typeof value !== 'string') problems.push(`/evidence/${key}: must be a string`);
        else evidence[key as BehaviourKey] = value;
      }
    }
  }
  if (problems.length > 0) throw new ProfileError(`${source} is not a valid PBX profile:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  return {
    ...DEFAULT_BEHAVIOUR,
    ...pickBehaviour(base!),
    ...behaviour,
    name: given.name as string,
    summary: (given.summary as string | undefined) ?? `read from ${path.basename(source)}`,
    evidence,
    source,
  };
}

/** A list value in the order its spec lists the values (a profile says which, not in what order); anything else as it is. */
function inListOrder(key: BehaviourKey, value: unknown): unknown {
  const list = (BEHAVIOURS[key] as BehaviourSpec).list;
  return list && Array.isArray(value) ? list.filter((v) => value.includes(v)) : value;
}

/** A named profile, or a profile file (JSON or YAML) relative to `cwd`. */
export function loadProfile(nameOrFile: string, cwd = process.cwd()): PbxProfile {
  const byName = findProfile(nameOrFile);
  if (byName) return byName;
  const file = path.resolve(cwd, nameOrFile);
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  if (!stat?.isFile()) {
    throw new ProfileError(`${JSON.stringify(nameOrFile)} is neither a PBX profile (${PROFILES.map((p) => p.name).join(', ')}) nor a profile file`);
  }
  return parseProfile(fs.readFileSync(file, 'utf8'), path.relative(cwd, file) || file);
}

export function pickBehaviour(profile: PbxBehaviour): PbxBehaviour {
  return Object.fromEntries(BEHAVIOUR_KEYS.map((k) => [k, profile[k]])) as unknown as PbxBehaviour;
}

/** The mock's options for a profile (what `startPbxServer`, `Sandbox.start({pbx})` and the tests' MockPbx take). */
export function apiOptionsOf(profile: PbxBehaviour): PbxBehaviourOptions {
  return {
    order: profile.order,
    emptyList: profile.emptyList,
    pageCap: profile.pageCap ?? undefined,
    maxLimit: profile.maxLimit,
    defaultLimit: profile.defaultLimit,
    overrun: profile.overrun,
    bigIds: profile.bigIds,
    extraHeaders: profile.extraHeaders,
    latencyMs: profile.latencyMs,
    latencyJitter: profile.latencyJitter,
    recordingLinks: profile.recordingLinks,
  };
}

/** The behaviour keys in which a profile differs from the default. */
export function differences(profile: PbxBehaviour): BehaviourKey[] {
  return BEHAVIOUR_KEYS.filter((k) => JSON.stringify(profile[k]) !== JSON.stringify(DEFAULT_BEHAVIOUR[k]));
}

/** The text of a profile file (JSON, every behaviour key, then the evidence): what the probe writes. */
export function profileText(profile: PbxProfile): string {
  const evidence = Object.fromEntries(BEHAVIOUR_KEYS.filter((k) => profile.evidence[k] !== undefined).map((k) => [k, profile.evidence[k]]));
  return `${JSON.stringify({ name: profile.name, summary: profile.summary, ...pickBehaviour(profile), evidence }, null, 2)}\n`;
}

/** The `--profile` flag of every command that runs the mock PBX (declared for lib/cli). */
export const PROFILE_FLAG = {
  type: 'string',
  valueName: '<name|file>',
  env: 'ZP_PBX_PROFILE',
  description: `the mock PBX's behaviour where the real one is unconfirmed: ${PROFILES.map((p) => p.name).join(', ')}, or a profile file (JSON or YAML, e.g. written by npm run probe-pbx)`,
} as const;

/**
 * The profile a command's --profile names (the default profile when absent); on a name or file that
 * is not one, says so through `refuse` (one line per problem) and returns undefined (the command exits 2).
 */
export function profileFromFlag(value: string | undefined, refuse: (message: string) => void, cwd = process.cwd()): PbxProfile | undefined {
  if (value === undefined) return DEFAULT_PROFILE;
  try {
    return loadProfile(value, cwd);
  } catch (e) {
    if (!(e instanceof ProfileError)) throw e;
    refuse(`--profile: ${e.message}`);
    return undefined;
  }
}

/** The markdown table of the named profiles (sandbox/README.md holds it; a test keeps the two in step). */
export function profileTable(): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  const rows = PROFILES.map((p) => {
    const keys = differences(p);
    const sets = keys.length === 0 ? '—' : keys.map((k) => `\`${k}: ${JSON.stringify(p[k])}\``).join(', ');
    const evidence = (keys.length === 0 ? Object.values(p.evidence) : keys.map((k) => p.evidence[k] ?? '')).join(' ');
    return `| \`${p.name}\` | ${cell(p.summary)} | ${sets} | ${cell(evidence)} |`;
  });
  return ['| profile | the PBX it plays | sets | evidence |', '| --- | --- | --- | --- |', ...rows].join('\n');
}
