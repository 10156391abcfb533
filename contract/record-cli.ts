/**
 * `npm run record -- <operationId>... [options]`: argument parsing and wiring for the recorder.
 * Kept apart from scripts/record.ts so that tests can run the whole command in-process.
 */
import * as path from 'path';
import { ContractDefinition, type Json } from '../lib/definition';
import { apiKeyFromEnv, recordScenarios, RecorderError, type RecordTarget } from './record';
import { SCENARIO_ROOT, type JsonObject } from './scenario';
import { loadScrubSalt, Scrubber } from './scrub';

export const RECORD_USAGE = `Usage: npm run record -- <operationId>... [options]

Calls the live Zvanu Parvaldnieks API for each operation, scrubs the exchange (API key, phone
numbers, names, URL tokens) and writes test/scenarios/<operationId>/<name>.yaml (source: recorded).

The API key is read from ZP_API_KEY ("<key>" or "Bearer <key>"). Phone numbers map to stable fakes
through a salt kept outside the repository: ZP_SCRUB_SALT, or the file ZP_SCRUB_SALT_FILE
(default ~/.config/zvanu-parvaldnieks/scrub-salt, created on first use).

Options:
  --input name=value       an input for every named operation that has that parameter
  --input Op.name=value    an input for one operation (body: --input Dial.body='{"destination":"…","contactID":1}')
  --base-url URL           where to send requests (default: https://<host><basePath> from the definition)
  --callback-url URL       webhook registrations: the callback URL to register (creates a real webhook!)
  --name NAME              scenario name (kebab-case; default recorded-<status>; existing names get -2, -3…)
  --overwrite              replace existing scenarios of the same name
  --out DIR                scenario root (default test/scenarios)
  --definition FILE        connector definition (default apiDefinition.swagger.json at the top level)
  --properties FILE        apiProperties.json (default: next to the definition)
  --timeout MS             per-request timeout (default 15000)
  --help                   this text

Example:
  ZP_API_KEY=… npm run record -- GetCallHistory GetContactsByID --input contact_id=12 --input limit=5
`;

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
}

interface ParsedArgs {
  operations: string[];
  inputs: Array<{ operation?: string; name: string; value: string }>;
  options: Record<string, string | true>;
}

const VALUE_OPTIONS = new Set(['base-url', 'callback-url', 'name', 'out', 'definition', 'properties', 'timeout']);
const FLAG_OPTIONS = new Set(['overwrite', 'help']);

export function parseRecordArgs(argv: string[]): ParsedArgs {
  const parsed: ParsedArgs = { operations: [], inputs: [], options: {} };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) {
      parsed.operations.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const option = eq > 0 ? arg.slice(2, eq) : arg.slice(2);
    const inline = eq > 0 ? arg.slice(eq + 1) : undefined;
    if (FLAG_OPTIONS.has(option)) {
      parsed.options[option] = true;
      continue;
    }
    if (option !== 'input' && !VALUE_OPTIONS.has(option)) throw new RecorderError(`Unknown option --${option}. See npm run record -- --help`);
    const value = inline ?? argv[++i];
    if (value === undefined) throw new RecorderError(`--${option} needs a value`);
    if (option === 'input') {
      const m = /^(?:([A-Z][A-Za-z0-9_]*)\.)?([A-Za-z_][A-Za-z0-9_.-]*)=(.*)$/s.exec(value);
      if (!m) throw new RecorderError(`--input expects name=value or Operation.name=value, got ${JSON.stringify(value)}`);
      parsed.inputs.push({ operation: m[1], name: m[2], value: m[3] });
    } else {
      parsed.options[option] = value;
    }
  }
  return parsed;
}

/** Types a command-line value by the parameter's declared type (integers as numbers, body as JSON). */
function typedValue(def: ContractDefinition, operationId: string, name: string, value: string): Json {
  const op = def.operation(operationId);
  const param = op?.parameters.find((p) => p.parameter.name === name || (name === 'body' && p.parameter.in === 'body'))?.parameter;
  if (param?.in === 'body') {
    try {
      return JSON.parse(value) as Json;
    } catch {
      throw new RecorderError(`--input ${operationId}.${name} must be JSON, e.g. '{"destination":"+37100000001","contactID":1}'`);
    }
  }
  if ((param?.type === 'integer' || param?.type === 'number') && value.trim() !== '' && !Number.isNaN(Number(value))) return Number(value);
  if (param?.type === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}

/** Spreads the inputs over the named operations; an input no named operation takes is an error. */
export function targetsFor(def: ContractDefinition, parsed: ParsedArgs): RecordTarget[] {
  const unknown = parsed.operations.filter((op) => !def.operation(op));
  if (unknown.length > 0) {
    throw new RecorderError(`Unknown operation ${unknown.join(', ')}. Known: ${[...def.operations.keys()].sort().join(', ')}`);
  }
  const targets = parsed.operations.map((operationId) => ({ operationId, inputs: {} as JsonObject }));
  for (const input of parsed.inputs) {
    const takers = targets.filter((t) => {
      if (input.operation !== undefined && input.operation !== t.operationId) return false;
      const op = def.operation(t.operationId)!;
      return op.parameters.some((p) => p.parameter.name === input.name || (input.name === 'body' && p.parameter.in === 'body'));
    });
    if (takers.length === 0) {
      throw new RecorderError(`--input ${input.operation ? `${input.operation}.` : ''}${input.name}: none of ${parsed.operations.join(', ')} has a parameter "${input.name}"`);
    }
    for (const t of takers) t.inputs[input.name] = typedValue(def, t.operationId, input.name, input.value);
  }
  return targets;
}

const REPO_ROOT = path.resolve(__dirname, '..');

/** Runs the command; returns the exit code (0 written, 1 recording failed, 2 usage). */
export async function runRecordCli(argv: string[], env: NodeJS.ProcessEnv, io: CliIo): Promise<number> {
  let parsed: ParsedArgs;
  try {
    parsed = parseRecordArgs(argv);
  } catch (e) {
    io.err(`${(e as Error).message}`);
    return 2;
  }
  if (parsed.options.help || parsed.operations.length === 0) {
    (parsed.options.help ? io.out : io.err)(RECORD_USAGE);
    return parsed.options.help ? 0 : 2;
  }
  try {
    const apiKey = apiKeyFromEnv(env);
    const definitionFile = path.resolve(String(parsed.options.definition ?? path.join(REPO_ROOT, 'apiDefinition.swagger.json')));
    const propertiesFile = path.resolve(String(parsed.options.properties ?? path.join(path.dirname(definitionFile), 'apiProperties.json')));
    const definition = ContractDefinition.load(definitionFile, propertiesFile);
    const targets = targetsFor(definition, parsed);
    const { salt } = loadScrubSalt(env);
    const timeout = parsed.options.timeout === undefined ? undefined : Number(parsed.options.timeout);
    if (timeout !== undefined && !(timeout > 0)) throw new RecorderError('--timeout must be a positive number of milliseconds');
    const result = await recordScenarios(
      {
        definition,
        apiKey,
        baseUrl: parsed.options['base-url'] as string | undefined,
        callbackUrl: parsed.options['callback-url'] as string | undefined,
        scrubber: new Scrubber({ salt, secrets: [apiKey] }),
        outDir: path.resolve(String(parsed.options.out ?? SCENARIO_ROOT)),
        name: parsed.options.name as string | undefined,
        overwrite: parsed.options.overwrite === true,
        timeoutMs: timeout,
      },
      targets,
    );
    result.scenarios.forEach((s, i) => io.out(`wrote ${path.relative(process.cwd(), result.files[i])} (${s.steps[0].response.status}, ${s.kind})`));
    return 0;
  } catch (e) {
    if (e instanceof RecorderError || (e as Error).name === 'DefinitionError') {
      io.err(`record: ${(e as Error).message}`);
      return 1;
    }
    throw e;
  }
}
