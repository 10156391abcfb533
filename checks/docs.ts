/** Renders docs/rules.md from the registry: every rule's id, severity, meaning, fix and source. */
import { COMPAT_RULE_DOCS } from '../connector/compat/rules';
import type { Severity } from '../lib/finding';
import { type Rule, SOURCES, WARNING_REASON } from './rule';
import { RULES } from './rules';

/** Checks of `npm run check` that are steps of the pipeline rather than registered rules. */
export const PIPELINE_CHECKS: ReadonlyArray<{ id: string; severity: Severity; description: string; fix: string; severityReason?: string }> = [
  { id: 'folder-readable', severity: 'error', description: 'The folder given with `--dir` exists, is a folder and can be entered. Otherwise the finding names the path and the reason (does not exist, is a file, is a symbolic link loop, permission denied), nothing else is checked and the run exits 3; with many `--dir` the other folders are still checked and reported.', fix: 'Pass the connector\'s folder (the one holding apiDefinition.swagger.json).' },
  { id: 'file-readable', severity: 'error', description: 'apiDefinition.swagger.json and apiProperties.json exist in the connector folder, can be read and are valid JSON. The finding names the path and the reason: missing, a folder, a named pipe or device, a symbolic link loop, permission denied, larger than 16 MB (the platform refuses a definition or a script over 1 MB), or the line and column of the first JSON error with what is wrong there (also where the parser names no position, and a character such as U+2003 that only looks like a space). A definition that cannot be read from disk (missing, a folder, unreadable) leaves the folder unchecked: exit 3. A missing apiProperties.json is only a warning: the definition imports alone and certified connectors ship without one (Truth Enforcer, the digisign family). A script.csx that is not a readable file is an error; a missing one is nothing (it is optional).', fix: 'Restore the file or fix the JSON syntax at the reported line and column.' },
  { id: 'file-encoding', severity: 'warn', description: 'A file starts with a UTF-8 byte order mark (JSON files only: it is normal in C#), or holds bytes that are not UTF-8: the finding gives the byte offset (and the line and column). The check strips the mark, reads the bad bytes as U+FFFD and checks the rest; certified connectors ship with a byte order mark, and the platform reads the files as UTF-8 too.', fix: 'Save the file as UTF-8 without BOM.' },
  { id: 'file-depth', severity: 'error', description: 'A JSON file nests at most 256 levels (objects and arrays). The deepest definition among the ~1,000 connectors of microsoft/PowerPlatformConnectors nests 29; the Swagger 2.0 and Microsoft schema validators recurse per level and overflow the stack from about 1,500, so a deeper file is not read at all (an error, at the pointer where it crosses the bound). Below the bound every walk of the check follows `$ref` chains of any length without recursion.', fix: 'Flatten the schema: move nested objects to named definitions referenced with `$ref`.' },
  { id: 'file-duplicate-key', severity: 'warn', severityReason: 'Not proven to break anything: JSON.parse and Json.NET\'s `JObject.Parse` (tried with Mono\'s) keep the last value; what the platform\'s import keeps is unconfirmed, and none of the JSON files of the shared corpus repeats a key.', description: 'No object of apiDefinition.swagger.json or apiProperties.json holds the same key twice (e.g. two `200` responses, two `description`s). One finding per repeat (the first 20, then one counting the rest), at the pointer of the repeated member with its line and column: the value written first is one that no reader of the file sees.', fix: 'Keep one of the two members (usually merge them) at the reported line.' },
  { id: 'generated-file-fresh', severity: 'error', description: 'Every generated file of the project (definition, properties, docs) equals what `npm run build` writes, byte for byte. Own connector only.', fix: 'Run `npm run build` and commit the result; never edit generated files by hand.' },
  { id: 'swagger-schema', severity: 'error', description: 'The definition validates against the Swagger 2.0 JSON schema (the copy swagger-parser uses). Only warnings, because certified connectors import and run with them: an extra keyword (e.g. `nullable`), an empty `required` list, a value listed twice in an `enum` (said in those words, not as a failed `oneOf`: the designer shows the value twice), a `host` that is a `{{…}}` placeholder when a `dynamichosturl` policy (any case) replaces it at runtime (without the policy the requests have no host: an error), and `security: {}`, an empty object where a list belongs, which requires nothing as `[]` does (Microsoft\'s certified Azure Communication Services MMS ships with it; another object stays an error). `responses: {}` is left to OperationShouldHaveSuccessfulResponse, so that it is reported once.', fix: 'Correct the structure at the reported pointer.' },
  { id: 'swagger-spec', severity: 'error', description: 'The definition passes swagger-parser\'s semantic checks (unique operation ids, path parameters, one body parameter, ...). A `required` name no property declares is only a warning, and an array without `items` is left to ArrayHasNoItems: readers accept both and certified connectors ship with them. An `allOf` chain that refers back to itself stops swagger-parser (it recurses): a warning saying so.', fix: 'Follow the message; it names the offending path.' },
  { id: 'ms-schema', severity: 'error', description: 'With `--ms-schemas <dir>`: apiDefinition.swagger.json and apiProperties.json validate against Microsoft\'s published schemas (with `scriptOperations` and settings\' `script` allowed).', fix: 'Correct the property at the reported pointer.' },
  { id: 'check-setup', severity: 'error', description: 'A module the check needs (build artifacts, compatibility guard, schema folder) could be loaded.', fix: 'Restore the module or pass the right folder.' },
  { id: 'check-internal', severity: 'error', description: 'The check itself failed on this folder (a defect of the check, never of the connector): the finding names the phase and the error, the folder counts as not checked (exit 3) and, with many `--dir`, the other folders are still checked and reported. A rule that fails is reported under its own id as a warning, and the other rules still run.', fix: 'Report it with the folder; the other findings of the run stand.' },
  { id: 'accepted-warning-invalid', severity: 'error', description: 'Each entry of checks/accepted-warnings.yaml has a rule, a pointer and a reason.', fix: 'Complete the entry.' },
  { id: 'accepted-warning-unused', severity: 'warn', description: 'Each entry of checks/accepted-warnings.yaml still matches a warning (errors cannot be accepted).', fix: 'Remove the stale entry.' },
];

/** The compatibility guard's rules (connector/compat/rules.ts), as documented entries. */
export const COMPAT_CHECKS: ReadonlyArray<{ id: string; severity: Severity; description: string; fix: string }> = Object.entries(
  COMPAT_RULE_DOCS,
).map(([id, rule]) => ({ id, severity: 'error' as const, description: rule.description, fix: rule.fix }));

/** PascalCase ids are error ids of Microsoft's Swagger Validator catalogue. */
export function isCatalogueId(id: string): boolean {
  return /^[A-Z][A-Za-z]+$/.test(id);
}

function section(rule: Pick<Rule, 'id' | 'severity' | 'description' | 'fix' | 'source' | 'severityReason'>): string[] {
  const why = rule.severityReason ?? (rule.severity === 'warn' ? WARNING_REASON : undefined);
  const lines = [`### \`${rule.id}\``, '', `Severity: ${rule.severity}.${why ? ` ${why}` : ''}`, '', rule.description, '', `Fix: ${rule.fix}`];
  if (isCatalogueId(rule.id)) lines.push('', `Catalogue: \`${rule.id}\` in [${SOURCES.validator.title}](${SOURCES.validator.url}).`);
  if (rule.source && rule.source !== SOURCES.validator) lines.push('', `Source: [${rule.source.title}](${rule.source.url}).`);
  lines.push('');
  return lines;
}

export function renderRulesDoc(rules: readonly Rule[] = RULES): string {
  const lines = [
    '# Certification checks',
    '',
    '<!-- Generated from checks/rules by `npm run build`; do not edit by hand. -->',
    '',
    '`npm run check` checks the connector offline before it is submitted: `npm run check` for the project\'s',
    'own connector, `npm run check -- --dir <folder>` for any connector folder (apiDefinition.swagger.json,',
    'apiProperties.json, optional script.csx); repeat `--dir` to check many folders in one process (a line per',
    'folder; with `--format json`, one object per line carrying `dir`). Options: `--format json`,',
    '`--fail-severity error|warn`, `--ms-schemas <dir>`, `--help`. Every finding names a file, a JSON pointer into it,',
    'a rule id and a message; the text output ends with a count per rule and severity.',
    '',
    'Rule ids in PascalCase are the ids of Microsoft\'s certification Swagger Validator; kebab-case ids are',
    'the project\'s own rules for what no public tool checks.',
    '',
    '## Severities',
    '',
    'Microsoft publishes no severities for its validator\'s rules. A finding is an **error** only when (a) the file',
    'cannot be parsed or imported, (b) the connector breaks at runtime, or (c) Microsoft\'s pull-request pipeline is',
    'seen failing on it; each error rule says which, with its source. Everything else is a **warning**: connectors',
    'Microsoft certified ship with it. A few rules report their milder shapes as warnings; their severity line says which.',
    'Errors fail `npm run check`; for the project\'s own connector warnings fail it too (`--fail-severity` overrides),',
    'because the connector is kept at 0 errors and 0 warnings. `test/checks/corpus.test.ts` holds the errors expected',
    'on 50 real connectors (`test/checks/corpus-expectations.ts`); connectors outside that corpus, checked while',
    'deciding the severities below, are named in the rules\' severity lines, and their shapes are kept as the rules\' tests.',
    '',
    'Exit codes: 0 when nothing fails the run, 1 when a finding is at the fail severity, 2 for a usage mistake (a bad',
    'flag, said in one line), 3 when a folder could not be checked at all (`folder-readable`, an unreadable',
    'definition, `check-internal`). With many `--dir` each folder is checked on its own and reported; the run exits',
    'with the highest of the folders\' codes.',
    '',
    `## Rules (${rules.length})`,
    '',
    ...rules.flatMap(section),
    `## Compatibility guard (${COMPAT_CHECKS.length})`,
    '',
    'Own connector only. The guard (connector/compat/guard.ts) compares each brand\'s definition with its published 1.0 surface',
    '(`connector/baseline/published-1.0.json`, `connector/baseline/<slug>/published-1.0.json`) and fails on every change an existing flow is bound to. Each finding names',
    'the operation and what changed, then a short fix and the section below. The way out is the same for all of them:',
    'keep the published thing as it is; if a change is really needed, add a new operation beside it and mark the old one',
    '`deprecated: true` in the model (README, "Changing an operation safely"). Additions are never reported: a new',
    'operation, a new optional parameter, a new output field.',
    '',
    ...COMPAT_CHECKS.flatMap((check) => section(check)),
    '## Pipeline checks',
    '',
    ...PIPELINE_CHECKS.flatMap((check) => section(check)),
  ];
  while (lines[lines.length - 1] === '') lines.pop();
  return lines.join('\n') + '\n';
}
