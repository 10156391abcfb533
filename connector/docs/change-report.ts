/**
 * The change report against the published 1.0 connector, derived from the compatibility guard:
 * the statement that no existing flow needs a change is printed only when the guard finds no
 * breaking change; otherwise the report lists the breaking findings instead.
 */
import { buildSwagger } from '../generate/swagger';
import type { XDocument, XDynamicValues, XSchema } from '../generate/swagger-types';
import { compareSurfaces, type Addition, type Comparison } from '../compat/guard';
import { extractSurface, type Surface } from '../compat/surface';
import type { ConnectorModel } from '../model/types';
import { documentedLimits as limits } from '../model/limits';
import { code, document, table } from './markdown';

export const CHANGE_REPORT_PATH = 'docs/changes-since-1.0.md';

/** The sentence a maintainer (and the migration section of the README) relies on. */
export const NO_FLOW_CHANGE = 'No existing flow needs a change.';

interface Facts {
  comparison: Comparison;
  baseline: Surface;
  current: Surface;
  doc: XDocument;
  /** Where the baseline is committed, relative to the project root. */
  baselineFile: string;
}

function counts(surface: Surface): { operations: number; parameters: number; outputs: number } {
  return {
    operations: surface.operations.length,
    parameters: surface.operations.reduce((n, op) => n + op.parameters.length, 0),
    outputs: surface.operations.reduce((n, op) => n + op.outputs.length, 0),
  };
}

function flowsSection({ comparison, baseline, baselineFile }: Facts): string {
  const c = counts(baseline);
  const compared = `${c.operations} operations, ${c.parameters} parameters and ${c.outputs} output fields of the published 1.0 surface`;
  if (comparison.breaking.length === 0) {
    return document([
      '## Existing flows',
      `${NO_FLOW_CHANGE} The compatibility guard compared the ${compared} ` +
        `(${code(baselineFile)}) with this version and found 0 breaking changes: every operation ID, ` +
        'route, trigger kind, parameter (name, location, type, optionality) and returned field (path, type, format) that a ' +
        'flow built on 1.0 can be bound to is still there, unchanged.',
    ]).trimEnd();
  }
  return document([
    '## Existing flows',
    `**${comparison.breaking.length} breaking change(s)** against the ${compared}. Flows that use the operations below need ` +
      'attention before this version is published; the way out is a new operation beside the old one, not a change to it.',
    table(
      ['Rule', 'Operation', 'Where', 'Change'],
      comparison.breaking.map((f) => [f.rule, f.operationId ?? '', f.pointer, f.message]),
    ),
  ]).trimEnd();
}

function additionLabel(a: Addition): string {
  if (a.kind === 'operation') return `operation ${code(a.operationId)} (${code(a.path)})`;
  return `${a.kind === 'parameter' ? 'parameter' : 'output field'} ${code(a.path)} of ${code(a.operationId)}`;
}

/** Declared non-success responses of visible and internal operations alike. */
function errorCodes(doc: XDocument): string[] {
  const codes = new Set<string>();
  for (const item of Object.values(doc.paths)) {
    for (const op of [item.get, item.post, item.delete]) {
      for (const status of Object.keys(op?.responses ?? {})) if (/^[45]\d\d$/.test(status)) codes.add(status);
    }
  }
  return [...codes].sort();
}

function webhookSubscriptions(doc: XDocument): { withLocation: string[]; without: string[] } {
  const withLocation: string[] = [];
  const without: string[] = [];
  for (const item of Object.values(doc.paths)) {
    const op = item.post;
    if (!op || op['x-ms-trigger'] !== 'single') continue;
    (op.responses['201']?.headers?.Location ? withLocation : without).push(op.operationId);
  }
  return { withLocation, without };
}

/** Parameters and properties (outside `definitions` internals) that carry a display name, of all there are. */
function displayNames(doc: XDocument): { named: number; total: number; missing: string[] } {
  let named = 0;
  let total = 0;
  const missing: string[] = [];
  const visitSchema = (schema: XSchema | undefined, where: string): void => {
    if (!schema) return;
    for (const [name, property] of Object.entries(schema.properties ?? {})) {
      if (!property.$ref) {
        total++;
        if (property['x-ms-summary']) named++;
        else missing.push(`${where}/${name}`);
      }
      visitSchema(property, `${where}/${name}`);
    }
    if (schema.items && !schema.items.$ref) visitSchema(schema.items, `${where}[]`);
  };
  for (const [name, schema] of Object.entries(doc.definitions)) visitSchema(schema, `definitions/${name}`);
  for (const item of Object.values(doc.paths)) {
    for (const op of [item.get, item.post, item.delete]) {
      for (const p of op?.parameters ?? []) {
        total++;
        if (p['x-ms-summary']) named++;
        else missing.push(`${op?.operationId}/${p.name}`);
        if (p.in === 'body' && !p.schema.$ref) visitSchema(p.schema, `${op?.operationId}/${p.name}`);
      }
    }
  }
  return { named, total, missing };
}

/** Visible inputs that offer a dropdown (`x-ms-dynamic-values`), as `Operation/input`, and the operations filling them. */
function dropdowns(doc: XDocument): { inputs: string[]; sources: string[] } {
  const inputs: string[] = [];
  const sources = new Set<string>();
  for (const item of Object.values(doc.paths)) {
    for (const op of [item.get, item.post, item.delete]) {
      if (!op || op['x-ms-visibility'] === 'internal') continue;
      for (const p of op.parameters) {
        const candidates: Array<[string, XDynamicValues | undefined]> =
          p.in === 'body'
            ? Object.entries(p.schema.properties ?? {}).map(([n, s]) => [`${p.name}/${n}`, s['x-ms-dynamic-values']])
            : [[p.name, p['x-ms-dynamic-values']]];
        for (const [name, dynamic] of candidates) {
          if (!dynamic) continue;
          inputs.push(`${op.operationId}/${name}`);
          sources.add(dynamic.operationId);
        }
      }
    }
  }
  return { inputs, sources: [...sources].sort() };
}

function pageable(doc: XDocument): string[] {
  return Object.values(doc.paths).flatMap((item) => (item.get?.['x-ms-pageable'] ? [item.get.operationId] : [])).sort();
}

/** Lists that gained `nextLink` without being pageable: their items stay where 1.0 put them. */
function linkedLists(doc: XDocument): string[] {
  return Object.values(doc.paths)
    .flatMap((item) => {
      const op = item.get;
      const ref = op?.responses['200']?.schema?.$ref;
      const schema = ref ? doc.definitions[ref.replace('#/definitions/', '')] : undefined;
      return op && !op['x-ms-pageable'] && schema?.properties?.nextLink ? [op.operationId] : [];
    })
    .sort();
}

function addedSection({ comparison, doc }: Facts): string {
  const surfaceAdditions =
    comparison.added.length === 0
      ? '- No operation, parameter or output field: flows see the same operations and fields as in 1.0.'
      : comparison.added.map((a) => `- New ${additionLabel(a)}.`).join('\n');
  const subscriptions = webhookSubscriptions(doc);
  return document([
    '## Added',
    [
      surfaceAdditions,
      `- Declared error responses (${errorCodes(doc).map(code).join(', ')}) with the PBX error envelope, so a failed run shows ` +
        "the PBX's message; 429 carries Retry-After.",
      `- A ${code('201')} subscription response with a ${code('Location')} header on ${subscriptions.withLocation.length} webhook ` +
        'triggers (see Fixed).',
      `- ${Object.keys(doc.definitions).length} shared schemas in ${code('definitions')}, one per entity view and envelope, instead of copies in every operation.`,
      ...(pageable(doc).length > 0
        ? [`- Paging on ${pageable(doc).length} list actions (${pageable(doc).map(code).join(', ')}): each page answers its items in ${code('value')} and ${code('nextLink')} back through the connector while more remain, the shape Microsoft's pagination merges (${code('x-ms-pageable')} for the designer's Pagination setting, unconfirmed with custom code: see the README); a Do until loop passes the page's ${code('nextOffset')}, ${code('snapshotId')} and ${code('lastId')} back.`]
        : []),
      ...(linkedLists(doc).length > 0
        ? [`- ${code('nextLink')} on ${linkedLists(doc).map(code).join(', ')} while a full page came back; its items stay in ${code('data')}, as in 1.0, so it is not declared pageable.`]
        : []),
      ...(dropdowns(doc).inputs.length > 0
        ? [`- Dropdowns that show names on ${dropdowns(doc).inputs.length} inputs taking an employee, group, voicemail box or VoIP endpoint ID (filled by the internal ${dropdowns(doc).sources.map(code).join(', ')}); the value stays the ID, and typing an ID or an expression still works.`]
        : []),
    ].join('\n'),
  ]).trimEnd();
}

function fixedSection({ doc, current }: Facts, model: ConnectorModel): string {
  const subscriptions = webhookSubscriptions(doc);
  const names = displayNames(doc);
  const polling = current.operations.filter((op) => op.trigger === 'batch').length;
  const location =
    subscriptions.without.length === 0
      ? `all ${subscriptions.withLocation.length} webhook triggers now answer the subscription with ${code('201')} and a ` +
        `${code('Location')} that points back through the connector at ${code('DeleteWebhookByID')}, so the platform removes the ` +
        'webhook when a flow is turned off, edited or deleted.'
      : `${subscriptions.withLocation.length} webhook triggers answer with a ${code('Location')}; still without one: ` +
        `${subscriptions.without.map(code).join(', ')}.`;
  const display =
    names.missing.length === 0
      ? `all ${names.total} parameters and fields carry a display name (${code('x-ms-summary')}) and a description, ` +
        'instead of showing raw keys such as `callID`.'
      : `${names.named} of ${names.total} parameters and fields carry a display name; missing: ${names.missing.slice(0, 10).map(code).join(', ')}.`;
  return document([
    '## Fixed',
    [
      `- **Location on subscriptions:** 1.0 answered a webhook registration with ${code('200')} and no ${code('Location')}, so ` +
        `every deleted or edited flow leaked one of the account's ${limits.maxWebhooks} webhooks; ${location}`,
      `- **Display names:** ${display}`,
      `- **Key forms:** the ${code(model.auth.displayName)} connection parameter accepts the key as issued (${code('<key>')}) ` +
        `and the ${code('Bearer <key>')} form 1.0 users were told to type; the custom code adds the prefix only when it is ` +
        'missing, so existing connections keep working.',
      `- **Bursts:** the ${polling} polling triggers no longer skip the items beyond one page; a burst is delivered newest first ` +
        'over as many checks as it needs, none twice.',
    ].join('\n'),
  ]).trimEnd();
}

/** The polling triggers answer the protocol in the custom code, not with the 1.0 policy: what that means for flows. */
function pollingSection({ current }: Facts): string {
  const polling = current.operations.filter((op) => op.trigger === 'batch');
  const names = polling.map((op) => code(op.operationId)).join(', ');
  return document([
    '## Polling triggers answer the protocol themselves',
    [
      `- **No ${code('pollingtrigger')} policy:** 1.0 kept each polling trigger's cursor with a ${code('pollingtrigger')} policy in ` +
        `${code('apiProperties.json')} that read ${code('data[0]')} of the response. Microsoft documents no order between that policy ` +
        'and custom code, and no connector in its repository combines them; so the 8 policies are gone and the custom code answers ' +
        `the polling protocol itself, as certified connectors with custom code do: ${code('202')} with a ${code('Location')} when ` +
        `nothing is new, ${code('200')} with the new items and the ${code('Location')} of the next check, built on the URL the ` +
        `platform called. Operations: ${names}.`,
      `- **Within the time limit:** every execution answers within ${limits.scriptBudgetMs / 1000} s, PBX waits included (the platform ` +
        `stops custom code at ${limits.platformScriptLimitMs / 1000} s). What a check cannot fetch in time is owed in its ` +
        `${code('Location')} and delivered by the next checks; while items are owed the answer carries ${code('Retry-After: 0')}.`,
      `- **Stored 1.0 state keeps working:** a flow polling under 1.0 holds the URL the policy built, with ` +
        `${code('initial_<x>_id=N')}; under this version that URL delivers exactly the items after N, same parameter names and ` +
        `meanings. Locations written by this version carry extra ${code('poll_*')} parameters that mark them and never reach the PBX.`,
      `- **A 1.0 trigger stored at cursor 0:** a URL with ${code('initial_<x>_id=0')} is one whose 1.0 policy never stored an id ` +
        '(its account had no items when it checked, or the PBX answered its checks 404 "no items found"). It cannot be told from a ' +
        'flow created today, and delivering everything would start a run for every item of the account, so it counts as a new flow: ' +
        `its first check under this version answers ${code('202')}, delivers nothing and starts after the newest item (an empty ` +
        'account, or 404 "no items found", is an empty list, not an error). Items created between its last 1.0 check and that first ' +
        'check do not start runs; every item created after it does.',
      `- **Split on:** the envelope fields besides ${code('data')} became internal, so the designer turns *Split on* over ` +
        `${code('data')} on for a polling trigger added to a flow from now on: one run per item. Flows built on 1.0 keep what they ` +
        'saved: one run per check, with the items as an array. To get one run per item in such a flow, open the trigger\'s ' +
        `Settings, turn *Split on* on and pick ${code('@triggerBody()?[\'data\']')}, or re-add the trigger.`,
    ].join('\n'),
  ]).trimEnd();
}

/** Pure: the model and the published surface in, the Markdown report out. */
export function buildChangeReport(model: ConnectorModel, baseline: Surface, baselineFile = 'connector/baseline/published-1.0.json'): string {
  const doc = buildSwagger(model);
  const current = extractSurface(doc);
  const facts: Facts = { comparison: compareSurfaces(baseline, current), baseline, current, doc, baselineFile };
  return document([
    `# Changes since 1.0`,
    '<!-- Generated by connector/docs/change-report.ts from the compatibility guard (npm run build). Do not edit. -->',
    `${model.brand.title} ${model.brand.version} compared with the published ${model.brand.title} 1.0 connector.`,
    flowsSection(facts),
    addedSection(facts),
    fixedSection(facts, model),
    pollingSection(facts),
  ]);
}
