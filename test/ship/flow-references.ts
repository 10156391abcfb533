/**
 * Reads what the sample flows use of the connector — operation ids (Power Automate), routes (Logic
 * Apps), trigger fields (`@triggerBody()?['data']?['callID']`) and Power Apps calls — and checks each
 * against a definition. Pure: file texts in, problems out.
 */
type Json = Record<string, unknown>;

/** The connection names the sample flows give the Zvanu Parvaldnieks connector. */
export const POWER_AUTOMATE_API = 'shared_zvanuparvaldnieks';
export const LOGIC_APPS_CONNECTION = 'zvanuparvaldnieks';
export const POWER_APPS_SOURCE = 'ZvanuParvaldnieks';

export interface FlowFile {
  name: string;
  text: string;
}

export interface ConnectorUse {
  file: string;
  /** The operation the flow binds to, resolved from an operationId or a route. */
  operationId: string | null;
  /** How the flow named it, for messages. */
  reference: string;
  isTrigger: boolean;
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function walk(node: unknown, visit: (n: Json) => void): void {
  if (Array.isArray(node)) node.forEach((n) => walk(n, visit));
  else if (isObject(node)) {
    visit(node);
    Object.values(node).forEach((n) => walk(n, visit));
  }
}

interface DefinitionOperation {
  operationId: string;
  method: string;
  path: string;
  trigger: string | null;
  internal: boolean;
  op: Json;
  pathItem: Json;
}

function operationsOf(definition: Json): DefinitionOperation[] {
  const result: DefinitionOperation[] = [];
  for (const [path, item] of Object.entries((definition.paths ?? {}) as Json)) {
    if (!isObject(item)) continue;
    for (const method of ['get', 'post', 'put', 'patch', 'delete']) {
      const op = item[method];
      if (!isObject(op) || typeof op.operationId !== 'string') continue;
      result.push({
        operationId: op.operationId,
        method,
        path,
        trigger: typeof op['x-ms-trigger'] === 'string' ? op['x-ms-trigger'] : null,
        internal: op['x-ms-visibility'] === 'internal',
        op,
        pathItem: item,
      });
    }
  }
  return result;
}

/** `/drives/@{encodeURIComponent('x')}/items` → segments with expressions as wildcards. */
function routeMatches(template: string, concrete: string): boolean {
  const t = template.split('/');
  const c = concrete.split('/');
  return t.length === c.length && t.every((seg, i) => seg === c[i] || (/^\{.+\}$/.test(seg) && c[i] !== ''));
}

/** Where each flow binds to the connector. */
export function connectorUses(files: readonly FlowFile[], definition: Json): ConnectorUse[] {
  const ops = operationsOf(definition);
  const uses: ConnectorUse[] = [];
  for (const file of files) {
    if (file.name.endsWith('.fx')) {
      for (const m of file.text.matchAll(new RegExp(`\\b${POWER_APPS_SOURCE}\\.([A-Za-z0-9_]+)\\(`, 'g'))) {
        uses.push({ file: file.name, operationId: ops.find((o) => o.operationId === m[1])?.operationId ?? null, reference: m[1], isTrigger: false });
      }
      continue;
    }
    const json = JSON.parse(file.text) as unknown;
    walk(json, (node) => {
      const inputs = node.inputs;
      if (!isObject(inputs) || !isObject(inputs.host)) return;
      const host = inputs.host;
      const isTrigger = node.type === 'OpenApiConnectionWebhook' || node.type === 'ApiConnectionWebhook' || node.type === 'OpenApiConnectionNotification';
      if (host.connectionName === POWER_AUTOMATE_API || (typeof host.apiId === 'string' && host.apiId.endsWith(`/${POWER_AUTOMATE_API}`))) {
        const id = String(host.operationId);
        uses.push({ file: file.name, operationId: ops.find((o) => o.operationId === id)?.operationId ?? null, reference: id, isTrigger });
      } else if (isObject(host.connection) && host.connection.referenceName === LOGIC_APPS_CONNECTION) {
        const path = String(inputs.path);
        const method = typeof inputs.method === 'string' ? inputs.method.toLowerCase() : null;
        // A webhook trigger names the subscription route; the platform subscribes with its POST.
        const match = ops.find((o) =>
          routeMatches(o.path, path) && (isTrigger ? o.trigger === 'single' : o.method === method && o.trigger === null),
        );
        uses.push({ file: file.name, operationId: match?.operationId ?? null, reference: `${method ?? 'webhook'} ${path}`, isTrigger });
      }
    });
  }
  return uses;
}

/** `triggerBody()?['data']?['callID']` and `triggerOutputs()?['body/data/callID']` → `data/callID`. */
export function triggerFieldReferences(text: string): string[] {
  const found = new Set<string>();
  for (const m of text.matchAll(/triggerBody\(\)((?:\??\[\\?'[^'\]]+\\?'\])+)/g)) {
    found.add([...m[1].matchAll(/\[\\?'([^'\\]+)\\?'\]/g)].map((k) => k[1]).join('/'));
  }
  for (const m of text.matchAll(/triggerOutputs\(\)\??\[\\?'body\/([^'\\]+)\\?'\]/g)) found.add(m[1]);
  return [...found];
}

function resolve(definition: Json, schema: unknown): Json {
  let node = schema;
  for (let i = 0; i < 32 && isObject(node) && typeof node.$ref === 'string'; i++) {
    node = (definition.definitions as Json)[node.$ref.replace('#/definitions/', '')];
  }
  return isObject(node) ? node : {};
}

/** The schema a webhook trigger's run sees as triggerBody(). */
function eventSchema(definition: Json, operationId: string): Json | null {
  const op = operationsOf(definition).find((o) => o.operationId === operationId);
  const content = op?.pathItem['x-ms-notification-content'];
  return isObject(content) ? resolve(definition, content.schema) : null;
}

function hasPath(definition: Json, schema: Json, path: string[]): boolean {
  let node = schema;
  for (const key of path) {
    const target = node.type === 'array' ? resolve(definition, node.items) : node;
    const properties = target.properties;
    if (!isObject(properties) || !(key in properties)) return false;
    node = resolve(definition, properties[key]);
  }
  return true;
}

/** Body keys of a Power Apps call, e.g. `Dial({destination: ..., contactID: ...})` → destination, contactID. */
export function powerAppsRecordKeys(text: string, operationId: string): string[][] {
  const calls: string[][] = [];
  for (const m of text.matchAll(new RegExp(`\\b${POWER_APPS_SOURCE}\\.${operationId}\\(\\s*\\{`, 'g'))) {
    // Split the record at its top-level commas; each part starts with `key:`.
    const parts: string[] = [];
    let depth = 0;
    let part = '';
    for (let i = (m.index ?? 0) + m[0].length; i < text.length; i++) {
      const ch = text[i];
      if (depth === 0 && (ch === '}' || ch === ',')) {
        parts.push(part);
        part = '';
        if (ch === '}') break;
        continue;
      }
      if ('({['.includes(ch)) depth++;
      if (')}]'.includes(ch)) depth--;
      part += ch;
    }
    calls.push(parts.map((p) => /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*:/.exec(p)?.[1] ?? `(unreadable: ${p.trim()})`));
  }
  return calls;
}

/** Every reference of the flows that the definition cannot satisfy. */
export function checkFlows(files: readonly FlowFile[], definition: Json): string[] {
  const problems: string[] = [];
  const ops = operationsOf(definition);
  const uses = connectorUses(files, definition);
  for (const file of files) {
    const fileUses = uses.filter((u) => u.file === file.name);
    // The Logic Apps project files (connections, parameters, host) hold no workflow.
    if (fileUses.length === 0 && !/(^|\/)(connections|host|parameters(\.local)?)\.json$/.test(file.name)) {
      problems.push(`${file.name}: uses no operation of the connector`);
    }
    for (const use of fileUses) {
      const op = ops.find((o) => o.operationId === use.operationId);
      if (!op) {
        problems.push(`${file.name}: ${use.reference} is not an operation of the definition`);
        continue;
      }
      if (op.internal) problems.push(`${file.name}: ${op.operationId} is internal`);
      if (use.isTrigger !== (op.trigger === 'single')) problems.push(`${file.name}: ${op.operationId} used as ${use.isTrigger ? 'a webhook trigger' : 'an action'}`);
    }
    const trigger = fileUses.find((u) => u.isTrigger && u.operationId !== null);
    const fields = triggerFieldReferences(file.text);
    if (fields.length > 0) {
      const schema = trigger?.operationId ? eventSchema(definition, trigger.operationId) : null;
      if (!schema) problems.push(`${file.name}: reads trigger fields but has no webhook trigger of the connector`);
      else for (const field of fields) if (!hasPath(definition, schema, field.split('/'))) problems.push(`${file.name}: ${trigger?.operationId} has no output ${field}`);
    }
    for (const use of fileUses.filter((u) => file.name.endsWith('.fx') && u.operationId)) {
      const op = ops.find((o) => o.operationId === use.operationId)!;
      const body = (op.op.parameters as Json[] | undefined)?.find((p) => p.in === 'body');
      const schema = body ? resolve(definition, body.schema) : {};
      const allowed = Object.keys((schema.properties ?? {}) as Json);
      const required = (schema.required ?? []) as string[];
      for (const keys of powerAppsRecordKeys(file.text, op.operationId)) {
        for (const key of keys) if (!allowed.includes(key)) problems.push(`${file.name}: ${op.operationId} has no input ${key}`);
        for (const key of required) if (!keys.includes(key)) problems.push(`${file.name}: ${op.operationId} needs ${key}`);
      }
    }
  }
  return problems;
}
