/**
 * script.csx dispatches on hand-kept tables: `WebhookRegistrations` (answer 201 + Location),
 * `PollingTriggers` (page through new items by the policy's cursor) and `Actions` (forward and
 * explain errors). An operation in no table is only forwarded, so a trigger added to the model but
 * not to the script silently loses its behaviour; this rule keeps both sides in step.
 */
import { type CollectionInitializer, type InitializerEntry, collectionInitializer, operationIdLiterals, scanCSharp } from '../csharp';
import { type Connector, type OperationRef, PROPERTIES_FILE, SCRIPT_FILE, isObject } from '../connector';
import { pointer } from '../../lib/finding';
import { type Rule, type RuleHit, SOURCES } from '../rule';
import { opId } from '../walk';
import { parseTriggerBodyPath, pollingPolicies } from './polling-trigger-state';

type Kind = 'webhook' | 'polling' | 'action';

/** The script's table for each kind of operation. */
const TABLES: Record<Kind, string> = { webhook: 'WebhookRegistrations', polling: 'PollingTriggers', action: 'Actions' };
const KIND_TEXT: Record<Kind, string> = {
  webhook: 'a webhook trigger (x-ms-trigger: single)',
  polling: 'a polling trigger (x-ms-trigger: batch)',
  action: 'an action',
};

interface ScriptTables {
  tables: Partial<Record<Kind, CollectionInitializer>>;
  /** Operation ids the script compares with `Context.OperationId` (tables included), e.g. DeleteWebhookByID. */
  named: Set<string>;
}

/** The tables of the script, read once per connector; undefined without a script or without any of them. */
function scriptTables(c: Connector): ScriptTables | undefined {
  return c.memoize('script-tables', () => {
    if (c.script === undefined) return undefined;
    const scanned = scanCSharp(c.script);
    const tables: Partial<Record<Kind, CollectionInitializer>> = {};
    for (const kind of Object.keys(TABLES) as Kind[]) {
      const table = collectionInitializer(scanned, TABLES[kind]);
      if (table) tables[kind] = table;
    }
    if (Object.keys(tables).length === 0) return undefined;
    return { tables, named: new Set(operationIdLiterals(scanned).map((l) => l.value)) };
  });
}

function kindOf(c: Connector, op: OperationRef): Kind {
  const trigger = c.triggerKind(op);
  return trigger === 'single' ? 'webhook' : trigger === 'batch' ? 'polling' : 'action';
}

/** Cursor parameter → id field, from the pollingtrigger policies naming the operation (`data[0].<field>`). */
function policyCursors(c: Connector, operationId: string): Map<string, { field: string | undefined; expression: string }> {
  const cursors = new Map<string, { field: string | undefined; expression: string }>();
  for (const policy of pollingPolicies(c).filter((p) => p.operations.includes(operationId))) {
    const config = policy.params['x-ms-apimTemplateParameter.triggerConfig'];
    if (!isObject(config)) continue;
    for (const [name, expression] of Object.entries(config)) {
      if (typeof expression !== 'string') continue;
      const tokens = parseTriggerBodyPath(expression);
      const index = tokens ? tokens.findIndex((t) => typeof t === 'number') : -1;
      const rest = tokens && index >= 0 ? tokens.slice(index + 1) : [];
      const field = rest.length > 0 && rest.every((t) => typeof t === 'string') ? rest.join('.') : undefined;
      cursors.set(name, { field, expression });
    }
  }
  return cursors;
}

function checkPollingEntry(c: Connector, op: OperationRef, entry: InitializerEntry, hits: RuleHit[]): void {
  const name = entry.key.value;
  const cursors = policyCursors(c, name);
  // No policy, or one the polling-trigger-state rule refuses: nothing to compare with.
  if (cursors.size === 0 || [...cursors.values()].some((v) => v.field === undefined)) return;
  const expected = [...cursors.entries()].map(([cursor, v]) => `'${cursor}' and '${v.field}' (${v.expression})`).join(' or ');
  const at = { file: SCRIPT_FILE, pointer: '', ...opId(op) };
  if (entry.args.length !== 2) {
    hits.push({ ...at, message: `line ${entry.key.line}: the PollingTriggers entry of '${name}' must give its cursor parameter and id field as two strings (new PollingTrigger("<cursor>", "<id field>")); its pollingtrigger policy uses ${expected}.` });
    return;
  }
  const [cursor, field] = entry.args.map((a) => a.value);
  const policy = cursors.get(cursor);
  if (!policy || policy.field !== field) {
    hits.push({ ...at, message: `line ${entry.key.line}: PollingTriggers gives '${name}' the cursor parameter '${cursor}' and id field '${field}', but its pollingtrigger policy uses ${expected}.` });
  }
}

export const rule: Rule = {
  id: 'script-handles-operations',
  severity: 'error',
  description: 'When script.csx keeps the tables `WebhookRegistrations`, `PollingTriggers` and `Actions`, they agree with the definition: every webhook trigger is in `WebhookRegistrations`; every polling trigger is in `PollingTriggers` with the cursor parameter and id field of its `pollingtrigger` policy; every other operation of `scriptOperations` is in a table or compared with the operation id; every name in a table is an operation of that kind, listed in `scriptOperations`. Project rule: an operation the script does not know is only forwarded (no Location for a webhook, one unsorted page for a polling trigger), which no platform check sees.',
  fix: 'Add the operation to its table in script.csx (`{ "<operationId>", new PollingTrigger("<state parameter>", "<id field>") }` as in its pollingtrigger policy), correct the cursor or id field, or move or remove the stale entry; list every table entry in `scriptOperations`.',
  severityReason: 'Runtime: an operation missing from the script\'s tables is only forwarded (a webhook without Location leaks subscriptions; a polling trigger pages wrongly). Fires only on scripts that keep these tables (this project\'s).',
  source: SOURCES.code,
  check(c) {
    const found = scriptTables(c);
    if (!found) return [];
    const { tables, named } = found;
    const ops = new Map(c.operations().flatMap((op) => (op.operationId ? [[op.operationId, op] as const] : [])));
    const list = c.apiProperties?.scriptOperations;
    const scriptOperations = Array.isArray(list) ? list : undefined;
    const declared = Object.values(tables).map((t) => `${t.name} (line ${t.line})`).join(', ');
    const hits: RuleHit[] = [];

    // Every name in a table: an operation of that kind, that runs through the script, once.
    const inTables = new Set<string>();
    for (const kind of Object.keys(tables) as Kind[]) {
      const table = tables[kind]!;
      const seen = new Set<string>();
      for (const entry of table.entries) {
        const name = entry.key.value;
        inTables.add(name);
        const line = entry.key.line;
        if (seen.has(name)) {
          hits.push({ file: SCRIPT_FILE, pointer: '', operationId: name, message: `line ${line}: '${name}' appears twice in ${table.name}.` });
          continue;
        }
        seen.add(name);
        const op = ops.get(name);
        if (!op) {
          hits.push({ file: SCRIPT_FILE, pointer: '', message: `line ${line}: ${table.name} names '${name}', which is not an operationId of the definition.` });
          continue;
        }
        const actual = kindOf(c, op);
        if (actual !== kind) {
          hits.push({ file: SCRIPT_FILE, pointer: '', operationId: name, message: `line ${line}: ${table.name} lists '${name}', which is ${KIND_TEXT[actual]}; it belongs in ${TABLES[actual]}.` });
          continue;
        }
        if (scriptOperations && !scriptOperations.includes(name)) {
          hits.push({ file: PROPERTIES_FILE, pointer: '/properties/scriptOperations', operationId: name, message: `'${name}' has an entry in ${table.name} of script.csx (line ${line}), but scriptOperations does not list it, so the script never runs for it.` });
        }
        if (kind === 'polling') checkPollingEntry(c, op, entry, hits);
      }
    }

    // Every trigger of the definition is in its table.
    for (const op of c.operations()) {
      const kind = kindOf(c, op);
      if (kind === 'action' || op.operationId === undefined) continue;
      const table = tables[kind];
      if (table?.entries.some((e) => e.key.value === op.operationId)) continue;
      const where = table ? `${table.name} of script.csx (line ${table.line})` : `script.csx, which declares no ${TABLES[kind]} (it has ${declared})`;
      const effect = kind === 'webhook'
        ? 'its registration is forwarded without a Location, so the platform never deletes the webhook'
        : 'it is forwarded as one page in the PBX\'s order, so new items can be skipped';
      hits.push({ pointer: op.pointer, ...opId(op), message: `The ${kind === 'webhook' ? 'webhook' : 'polling'} trigger '${op.operationId}' is not in ${where}: ${effect}.` });
    }

    // Every other operation the script runs for is in a table or handled by name (DeleteWebhookByID).
    const runs: Array<{ name: string; pointer: string; file?: string }> = scriptOperations
      ? scriptOperations.flatMap((name, index) => (typeof name === 'string' ? [{ name, file: PROPERTIES_FILE, pointer: pointer('properties', 'scriptOperations', index) }] : []))
      : [...ops.entries()].map(([name, op]) => ({ name, pointer: op.pointer }));
    for (const run of runs) {
      const op = ops.get(run.name);
      if (!op || kindOf(c, op) !== 'action' || inTables.has(run.name) || named.has(run.name)) continue;
      const where = tables.action ? `Actions (line ${tables.action.line})` : 'an Actions table (script.csx has none)';
      hits.push({
        ...(run.file ? { file: run.file } : {}),
        pointer: run.pointer,
        operationId: run.name,
        message: `'${run.name}' runs through script.csx but is neither in ${where} nor another table, nor compared with the operation id: it is only forwarded, without the error explanations.`,
      });
    }
    return hits;
  },
};
