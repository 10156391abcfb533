/**
 * Reads a workflow definition as it ships: a Power Automate solution flow (`clientdata` JSON:
 * `properties.definition` + `properties.connectionReferences`) or a Logic Apps Standard
 * `workflow.json` (`definition`) with the project's `connections.json` beside its folder. The result
 * names every connection by the API it stands for (`excelonlinebusiness`, `zvanuparvaldnieks`...),
 * whichever addressing style the file uses.
 */
import * as fs from 'fs';
import * as path from 'path';
import { isObject, pointer, type JsonObject } from '../../lib/json-pointer';
import type { Finding } from '../../lib/finding';

export interface ConnectionRef {
  /** The name actions use (`host.connectionName` / `host.connection.referenceName`). */
  name: string;
  /** The API behind it, without `shared_` (`excelonlinebusiness`). */
  api: string;
  /** Where the reference is declared (file + pointer), for messages. */
  file: string;
  pointer: string;
}

export interface LoadedWorkflow {
  /** The flow file as messages show it (relative to the project root when inside it). */
  file: string;
  style: 'power-automate' | 'logic-apps';
  name: string;
  definition: JsonObject;
  /** Pointer of `definition` in the file. */
  at: string;
  connections: Map<string, ConnectionRef>;
}

/** A flow the runtime refuses, with every reason (file, JSON pointer, the name concerned). */
export class WorkflowError extends Error {
  override name = 'WorkflowError';
  constructor(readonly problems: Finding[]) {
    super(problems.map((p) => `${p.file}: ${p.pointer || '(document)'}: ${p.message}`).join('\n'));
  }
}

export function problem(file: string, at: string, rule: string, message: string): Finding {
  return { file, pointer: at, rule, severity: 'error', message };
}

/** `/providers/Microsoft.PowerApps/apis/shared_teams` or `shared_teams` → `teams`. */
export function apiNameOf(reference: string): string {
  const last = reference.split('/').filter(Boolean).pop() ?? reference;
  return last.replace(/^shared_/, '');
}

function readJson(file: string, shown: string): JsonObject {
  if (!fs.existsSync(file)) throw new WorkflowError([problem(shown, '', 'workflow-file', 'no such file (flows/ has power-automate/*.json and logic-apps/*/workflow.json)')]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new WorkflowError([problem(shown, '', 'workflow-file', `cannot read as JSON: ${(e as Error).message}`)]);
  }
  if (!isObject(parsed)) throw new WorkflowError([problem(shown, '', 'workflow-file', 'expected a JSON object')]);
  return parsed;
}

export function loadWorkflow(file: string, root: string = process.cwd()): LoadedWorkflow {
  const abs = path.resolve(file);
  const rel = path.relative(root, abs);
  const shown = rel.startsWith('..') ? abs : rel.split(path.sep).join('/');
  const doc = readJson(abs, shown);
  const connections = new Map<string, ConnectionRef>();
  if (isObject(doc.properties) && isObject(doc.properties.definition)) {
    const props = doc.properties;
    for (const [name, ref] of Object.entries(isObject(props.connectionReferences) ? props.connectionReferences : {})) {
      const api = isObject(ref) && isObject(ref.api) && typeof ref.api.name === 'string' ? ref.api.name : undefined;
      const at = pointer('properties', 'connectionReferences', name);
      if (!api) throw new WorkflowError([problem(shown, `${at}/api/name`, 'workflow-connection', `connection reference "${name}" names no API`)]);
      connections.set(name, { name, api: apiNameOf(api), file: shown, pointer: at });
    }
    const name = typeof props.displayName === 'string' ? props.displayName : path.basename(abs, '.json');
    return { file: shown, style: 'power-automate', name, definition: props.definition as JsonObject, at: '/properties/definition', connections };
  }
  if (isObject(doc.definition)) {
    // Logic Apps Standard: <project>/<workflow>/workflow.json, <project>/connections.json.
    const connectionsFile = path.join(path.dirname(path.dirname(abs)), 'connections.json');
    const connShown = path.relative(root, connectionsFile).split(path.sep).join('/');
    if (fs.existsSync(connectionsFile)) {
      const conn = readJson(connectionsFile, connShown);
      for (const [name, ref] of Object.entries(isObject(conn.managedApiConnections) ? conn.managedApiConnections : {})) {
        const id = isObject(ref) && isObject(ref.api) && typeof ref.api.id === 'string' ? ref.api.id : undefined;
        const at = pointer('managedApiConnections', name);
        const m = id ? /\/(managedApis|customApis)\/([^/]+)$/.exec(id) : null;
        if (!m) throw new WorkflowError([problem(connShown, `${at}/api/id`, 'workflow-connection', `connection "${name}" has no .../managedApis/<name> or .../customApis/<name> API id`)]);
        connections.set(name, { name, api: m[2], file: connShown, pointer: at });
      }
    }
    return { file: shown, style: 'logic-apps', name: path.basename(path.dirname(abs)), definition: doc.definition, at: '/definition', connections };
  }
  throw new WorkflowError([problem(shown, '', 'workflow-file', 'neither a Power Automate flow (properties.definition) nor a Logic Apps workflow (definition)')]);
}

/** Every workflow definition under a folder (Power Automate `*.json` with a definition, Logic Apps `workflow.json`). */
export function workflowFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...workflowFiles(full));
    else if (entry.name.endsWith('.json')) {
      const doc = JSON.parse(fs.readFileSync(full, 'utf8')) as unknown;
      if (isObject(doc) && ((isObject(doc.properties) && isObject(doc.properties.definition)) || isObject(doc.definition))) out.push(full);
    }
  }
  return out;
}
