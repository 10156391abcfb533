/**
 * `npm run record -- <operationId>... [options]`: argument parsing and wiring for the recorder.
 * Kept apart from scripts/record.ts so that tests can run the whole command in-process.
 */
import * as path from 'path';
import { defineCommand, formatHelp, readCommandLine, UsageError } from '../lib/cli';
// Types only: the recorder's modules load after the arguments are read, so --help and usage errors answer at once.
import type { ConnectorModel } from '../connector/model/types';
import type { ContractDefinition, Json } from '../lib/definition';
import type { RecordTarget } from './record';
import type { JsonObject } from './scenario';

/** The flags of `npm run record`; the help is built from them (lib/cli). */
export const RECORD_CLI = defineCommand({
  command: 'npm run record --',
  summary:
    'Calls the live Zvanu Parvaldnieks API for each operation, scrubs the exchange (API key, phone numbers, names, ' +
    'URL tokens) and writes test/scenarios/<operationId>/<name>.yaml (source: recorded).',
  positionals: { name: 'operationId', description: 'the operations to record, e.g. GetCallHistory', min: 1 },
  flags: {
    input: {
      type: 'string',
      repeatable: true,
      valueName: '<name=value>',
      description:
        'an input for every named operation that has that parameter; Op.name=value for one operation ' +
        '(body: --input Dial.body=\'{"destination":"…","contactID":1}\')',
    },
    'base-url': { type: 'string', valueName: '<URL>', description: 'where to send requests (default: https://<host><basePath> from the definition)' },
    'callback-url': { type: 'string', valueName: '<URL>', description: 'webhook registrations: the callback URL to register (creates a real webhook!)' },
    name: { type: 'string', description: 'scenario name (kebab-case; default recorded-<status>; existing names get -2, -3…)' },
    overwrite: { type: 'boolean', description: 'replace existing scenarios of the same name' },
    out: { type: 'path', valueName: '<folder>', description: 'scenario root (default test/scenarios)' },
    definition: { type: 'file', description: 'connector definition (default apiDefinition.swagger.json at the top level)' },
    properties: { type: 'file', description: 'apiProperties.json (default: next to the definition)' },
    timeout: { type: 'integer', min: 1, default: 15000, valueName: '<ms>', description: 'per-request timeout in milliseconds' },
  },
  notes: [
    'The API key is read from ZP_API_KEY ("<key>" or "Bearer <key>"). Phone numbers map to stable fakes through a salt ' +
      'kept outside the repository: ZP_SCRUB_SALT, or the file ZP_SCRUB_SALT_FILE (default ~/.config/zvanu-parvaldnieks/scrub-salt, ' +
      'created on first use).',
  ],
  examples: ['ZP_API_KEY=… npm run record -- GetCallHistory GetContactsByID --input contact_id=12 --input limit=5'],
});

/** The usage text (`--help`). */
export const RECORD_USAGE = formatHelp(RECORD_CLI);

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

interface ParsedArgs {
  operations: string[];
  inputs: Array<{ operation?: string; name: string; value: string }>;
}

/** `--input [Op.]name=value` into its parts. */
function parseInputs(values: readonly string[]): ParsedArgs['inputs'] {
  return values.map((value) => {
    const m = /^(?:([A-Z][A-Za-z0-9_]*)\.)?([A-Za-z_][A-Za-z0-9_.-]*)=(.*)$/s.exec(value);
    if (!m) throw new UsageError(`--input expects name=value or Operation.name=value, got ${JSON.stringify(value)}`);
    return { operation: m[1], name: m[2], value: m[3] };
  });
}

/** An input no named operation takes, or a body that is not JSON (exit 1, like the recorder's refusals). */
export class RecordInputError extends Error {
  override name = 'RecordInputError';
}

/** Types a command-line value by the parameter's declared type (integers as numbers, body as JSON). */
function typedValue(def: ContractDefinition, operationId: string, name: string, value: string): Json {
  const op = def.operation(operationId);
  const param = op?.parameters.find((p) => p.parameter.name === name || (name === 'body' && p.parameter.in === 'body'))?.parameter;
  if (param?.in === 'body') {
    try {
      return JSON.parse(value) as Json;
    } catch {
      throw new RecordInputError(`--input ${operationId}.${name} must be JSON, e.g. '{"destination":"+37100000001","contactID":1}'`);
    }
  }
  if ((param?.type === 'integer' || param?.type === 'number') && value.trim() !== '' && !Number.isNaN(Number(value))) return Number(value);
  if (param?.type === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}

/** A connector operation as the recorder needs to know it: where script.csx sends it, when elsewhere. */
export interface RoutedOperation {
  operationId: string;
  /** The PBX path script.csx reads for it (a polling trigger's list). */
  routedTo: string;
  /** The polling trigger on that path, to record instead. */
  trigger?: string;
}

/** List actions and dropdowns of the model: they have no PBX route of their own. */
export function routedOperations(model: ConnectorModel): RoutedOperation[] {
  return model.operations.flatMap((op) => {
    if (op.kind !== 'action' || !op.route) return [];
    const route = op.route;
    const trigger = model.operations.find((t) => t.kind === 'polling' && t.path === route.path)?.operationId;
    return [{ operationId: op.operationId, routedTo: route.path, ...(trigger ? { trigger } : {}) }];
  });
}

function refuseRouted(def: ContractDefinition, operationIds: readonly string[], routed: readonly RoutedOperation[]): void {
  for (const operationId of operationIds) {
    if (def.operation(operationId)?.answersFile) {
      // A recording is a person's voice: it never enters the repository, and the file comes from a link, not a PBX route.
      throw new RecordInputError(
        `${operationId} cannot be recorded: it answers a file (a call recording: personal data, never stored) that script.csx fetches from the link the PBX gives. ` +
          'Record GetCallRecordingByID for the read, and write its scenarios by hand (contract/README.md): routedTo the read, each fetch of the link a step with its origin, the bytes generated (bodyBase64).',
      );
    }
    const r = routed.find((x) => x.operationId === operationId);
    if (!r) continue;
    throw new RecordInputError(
      `${operationId} cannot be recorded from the PBX: it has no route there, script.csx reads ${r.routedTo}${r.trigger ? ` (the list of ${r.trigger})` : ''}. ` +
        `Record ${r.trigger ?? 'that trigger'} instead, and write ${operationId} scenarios with routedTo: ${def.fullPath(r.routedTo)} (contract/README.md).`,
    );
  }
}

/** Spreads the inputs over the named operations; an input no named operation takes is an error. */
export function targetsFor(def: ContractDefinition, parsed: ParsedArgs, routed: readonly RoutedOperation[] = []): RecordTarget[] {
  const unknown = parsed.operations.filter((op) => !def.operation(op));
  if (unknown.length > 0) {
    throw new RecordInputError(`Unknown operation ${unknown.join(', ')}. Known: ${[...def.operations.keys()].sort().join(', ')}`);
  }
  refuseRouted(def, parsed.operations, routed);
  const targets = parsed.operations.map((operationId) => ({ operationId, inputs: {} as JsonObject }));
  for (const input of parsed.inputs) {
    const takers = targets.filter((t) => {
      if (input.operation !== undefined && input.operation !== t.operationId) return false;
      const op = def.operation(t.operationId)!;
      return op.parameters.some((p) => p.parameter.name === input.name || (input.name === 'body' && p.parameter.in === 'body'));
    });
    if (takers.length === 0) {
      throw new RecordInputError(`--input ${input.operation ? `${input.operation}.` : ''}${input.name}: none of ${parsed.operations.join(', ')} has a parameter "${input.name}"`);
    }
    for (const t of takers) t.inputs[input.name] = typedValue(def, t.operationId, input.name, input.value);
  }
  return targets;
}

const REPO_ROOT = path.resolve(__dirname, '..');

/** Runs the command; returns the exit code (0 written, 1 recording failed, 2 usage). */
export async function runRecordCli(argv: string[], env: NodeJS.ProcessEnv, io: CliIo): Promise<number> {
  const lines = { out: (text: string) => io.out(text.replace(/\n$/, '')), err: (text: string) => io.err(text.replace(/\n$/, '')) };
  const read = readCommandLine(RECORD_CLI, argv, { env, io: lines });
  if ('exit' in read) return read.exit;
  const { flags } = read.parsed;
  let parsed: ParsedArgs;
  try {
    parsed = { operations: read.parsed.positionals, inputs: parseInputs(flags.input) };
  } catch (e) {
    io.err(`npm run record: ${(e as Error).message} (npm run record -- --help lists the flags)`);
    return 2;
  }
  const [{ ContractDefinition }, { apiKeyFromEnv, recordScenarios, RecorderError }, { SCENARIO_ROOT }, { loadScrubSalt, Scrubber }, { connector }] = await Promise.all([
    import('../lib/definition'),
    import('./record'),
    import('./scenario'),
    import('./scrub'),
    import('../connector/model/connector'),
  ]);
  try {
    const apiKey = apiKeyFromEnv(env);
    const definitionFile = flags.definition ?? path.join(REPO_ROOT, 'apiDefinition.swagger.json');
    const propertiesFile = flags.properties ?? path.join(path.dirname(definitionFile), 'apiProperties.json');
    const definition = ContractDefinition.load(definitionFile, propertiesFile);
    const targets = targetsFor(definition, parsed, routedOperations(connector));
    const { salt } = loadScrubSalt(env);
    const result = await recordScenarios(
      {
        definition,
        apiKey,
        baseUrl: flags['base-url'],
        callbackUrl: flags['callback-url'],
        scrubber: new Scrubber({ salt, secrets: [apiKey] }),
        outDir: flags.out ?? SCENARIO_ROOT,
        name: flags.name,
        overwrite: flags.overwrite,
        timeoutMs: flags.timeout,
      },
      targets,
    );
    result.scenarios.forEach((s, i) => io.out(`wrote ${path.relative(process.cwd(), result.files[i])} (${s.steps[0].response.status}, ${s.kind})`));
    return 0;
  } catch (e) {
    if (e instanceof RecorderError || e instanceof RecordInputError || (e as Error).name === 'DefinitionError') {
      io.err(`record: ${(e as Error).message}`);
      return 1;
    }
    throw e;
  }
}
