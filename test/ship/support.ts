/**
 * Shared by the ship tests: model mutations, the visible surface of a definition (read with the
 * compatibility guard's reader, not with the documentation builder's), and parsers that read the
 * generated Markdown and the sample flows back.
 */
import { getAt } from '../../lib/json-pointer';
import { buildSwagger } from '../../connector/generate/swagger';
import { extractSurface } from '../../connector/compat/surface';
import { splitRow } from '../../connector/docs/markdown';
import { connector } from '../../connector/model/connector';
import type { ConnectorModel, Operation, View } from '../../connector/model/types';

type Json = Record<string, unknown>;

// ---------------------------------------------------------------- model mutations

function replaceOperation(model: ConnectorModel, id: string, change: (op: Operation) => Operation | null): ConnectorModel {
  if (!model.operations.some((op) => op.operationId === id)) throw new Error(`no operation ${id} in the model`);
  return {
    ...model,
    operations: model.operations.flatMap((op) => {
      if (op.operationId !== id) return [op];
      const changed = change(op);
      return changed ? [changed] : [];
    }),
  };
}

export const withoutOperation = (id: string, model: ConnectorModel = connector): ConnectorModel => replaceOperation(model, id, () => null);

/** A view without one field; renamed, because the builder refuses two shapes under one schema name. */
const viewWithout = (view: View, field: string): View => {
  if (!view.pick.includes(field)) throw new Error(`${view.schemaName} has no field ${field}`);
  return { ...view, schemaName: `${view.schemaName}Mutated`, pick: view.pick.filter((f) => f !== field) };
};

/** Removes a field from a webhook trigger's event data. */
export function withoutEventField(id: string, field: string, model: ConnectorModel = connector): ConnectorModel {
  return replaceOperation(model, id, (op) => {
    if (op.kind !== 'webhook') throw new Error(`${id} is not a webhook trigger`);
    return { ...op, event: { ...op.event, schemaName: `${op.event.schemaName}Mutated`, data: viewWithout(op.event.data, field) } };
  });
}

/** Removes a field from an item or list operation's payload view. */
export function withoutPayloadField(id: string, field: string, model: ConnectorModel = connector): ConnectorModel {
  return replaceOperation(model, id, (op) => {
    const payload = op.payload;
    if (payload.kind !== 'item' && payload.kind !== 'list') throw new Error(`${id} has no entity payload`);
    const view = viewWithout(payload.view, field);
    const changed = { ...payload, view, schemaName: `${payload.schemaName}Mutated` };
    return { ...op, payload: changed } as Operation;
  });
}

export function withoutParameter(id: string, name: string, model: ConnectorModel = connector): ConnectorModel {
  return replaceOperation(model, id, (op) => {
    if (op.body && name in op.body.properties) {
      const properties = { ...op.body.properties };
      delete properties[name];
      return { ...op, body: { ...op.body, properties, required: op.body.required.filter((r) => r !== name) } } as Operation;
    }
    if (!op.parameters.some((p) => p.name === name)) throw new Error(`${id} has no parameter ${name}`);
    return { ...op, parameters: op.parameters.filter((p) => p.name !== name) } as Operation;
  });
}

export const definitionOf = (model: ConnectorModel): Json => JSON.parse(JSON.stringify(buildSwagger(model))) as Json;

// ---------------------------------------------------------------- the visible surface of a definition

export interface VisibleOperation {
  operationId: string;
  trigger: 'single' | 'batch' | 'none';
  method: string;
  path: string;
  /** key → {required, type} */
  parameters: Map<string, { required: boolean; type: string | null }>;
  /** dotted path → type */
  returns: Map<string, string | null>;
}

function at(root: Json, pointer: string): Json {
  return (getAt(root, pointer) ?? {}) as Json;
}

const ancestorsOf = (path: string, separator: string): string[] => {
  const parts = path.split(separator);
  return parts.slice(1).map((_, i) => parts.slice(0, i + 1).join(separator));
};

/**
 * What a maker can see, read through the compatibility guard's surface reader: visible operations,
 * their visible parameters (body properties keyed by name) and visible returned fields in the page's
 * dotted notation (plain objects are containers, not rows).
 */
export function visibleSurface(definition: Json): Map<string, VisibleOperation> {
  const result = new Map<string, VisibleOperation>();
  for (const op of extractSurface(definition).operations) {
    if (op.visibility === 'internal') continue;
    const hiddenParams = new Set(op.parameters.filter((p) => p.visibility === 'internal').map((p) => p.path));
    const parameters = new Map<string, { required: boolean; type: string | null }>();
    for (const p of op.parameters) {
      if (hiddenParams.has(p.path) || ancestorsOf(p.path, '/').some((a) => hiddenParams.has(a))) continue;
      if (p.in === 'body') {
        if (!p.path.includes('/')) continue; // the body itself is shown as its properties
        parameters.set(p.path.split('/').slice(1).join('.'), { required: p.required, type: p.type });
      } else {
        parameters.set(p.path, { required: p.required, type: p.type });
      }
    }
    const hiddenFields = new Set(
      op.outputs.filter((f) => f.pointer !== undefined && at(definition, f.pointer)['x-ms-visibility'] === 'internal').map((f) => f.path),
    );
    const returns = new Map<string, string | null>();
    for (const f of op.outputs) {
      if (f.type === 'object' || f.path.endsWith('[]')) continue;
      if (hiddenFields.has(f.path) || ancestorsOf(f.path, '/').some((a) => hiddenFields.has(a) || hiddenFields.has(a.replace(/\[\]$/, '')))) continue;
      returns.set(f.path.replace(/\[\]/g, '').split('/').join('.'), f.type);
    }
    result.set(op.operationId, { operationId: op.operationId, trigger: op.trigger, method: op.method, path: op.path, parameters, returns });
  }
  return result;
}

// ---------------------------------------------------------------- the reference page, read back

export interface DocumentedOperation {
  operationId: string;
  parameters: Map<string, { required: boolean; type: string }>;
  returns: Map<string, string>;
}

function tableAfter(lines: string[], headingIndex: number): string[][] {
  const rows: string[][] = [];
  let i = headingIndex + 1;
  while (i < lines.length && !lines[i].startsWith('|') && !lines[i].startsWith('#')) i++;
  if (i >= lines.length || !lines[i].startsWith('|')) return rows;
  i += 2; // header and separator
  for (; i < lines.length && lines[i].startsWith('|'); i++) rows.push(splitRow(lines[i]));
  return rows;
}

export function parseReferencePage(markdown: string): Map<string, DocumentedOperation> {
  const lines = markdown.split('\n');
  const result = new Map<string, DocumentedOperation>();
  let current: DocumentedOperation | null = null;
  lines.forEach((line, index) => {
    const id = /^Operation ID: `([^`]+)`/.exec(line);
    if (id) {
      if (result.has(id[1])) throw new Error(`reference page documents ${id[1]} twice`);
      current = { operationId: id[1], parameters: new Map(), returns: new Map() };
      result.set(id[1], current);
      return;
    }
    if (!current) return;
    if (line === '#### Parameters') {
      for (const [, key, required, type] of tableAfter(lines, index)) current.parameters.set(key, { required: required === 'True', type });
    } else if (line.startsWith('#### Returns')) {
      for (const [, path, type] of tableAfter(lines, index)) current.returns.set(path, type);
    } else if (/^##? /.test(line)) {
      current = null;
    }
  });
  return result;
}

/** Every difference between the documentation and the definition, both ways. */
export function crossCheckReference(markdown: string, definition: Json): string[] {
  const documented = parseReferencePage(markdown);
  const actual = visibleSurface(definition);
  const problems: string[] = [];
  for (const id of documented.keys()) if (!actual.has(id)) problems.push(`documents operation ${id}, which the definition lacks`);
  for (const [id, op] of actual) {
    const doc = documented.get(id);
    if (!doc) {
      problems.push(`misses operation ${id}`);
      continue;
    }
    for (const key of doc.parameters.keys()) if (!op.parameters.has(key)) problems.push(`${id}: documents parameter ${key}, which the definition lacks`);
    for (const [key, p] of op.parameters) {
      const d = doc.parameters.get(key);
      if (!d) problems.push(`${id}: misses parameter ${key}`);
      else if (d.required !== p.required || d.type.split(' ')[0] !== p.type) problems.push(`${id}: parameter ${key} documented as ${d.required}/${d.type}, defined as ${p.required}/${p.type}`);
    }
    for (const path of doc.returns.keys()) if (!op.returns.has(path)) problems.push(`${id}: documents field ${path}, which the definition lacks`);
    for (const [path, type] of op.returns) {
      const d = doc.returns.get(path);
      if (d === undefined) problems.push(`${id}: misses field ${path}`);
      else if (d.split(' ')[0] !== type) problems.push(`${id}: field ${path} documented as ${d}, defined as ${type}`);
    }
  }
  return problems;
}

/** Operation ids under "## Supported Operations" of the connector readme. */
export function readmeOperationIds(markdown: string): string[] {
  const section = markdown.split(/^## /m).find((s) => s.startsWith('Supported Operations'));
  if (!section) throw new Error('the readme has no Supported Operations section');
  return [...section.matchAll(/^### .*\(`([A-Za-z0-9_]+)`\)$/gm)].map((m) => m[1]);
}

export function crossCheckReadme(markdown: string, definition: Json): string[] {
  const listed = readmeOperationIds(markdown);
  const actual = [...visibleSurface(definition).keys()];
  return [
    ...listed.filter((id) => !actual.includes(id)).map((id) => `lists operation ${id}, which the definition lacks`),
    ...actual.filter((id) => !listed.includes(id)).map((id) => `misses operation ${id}`),
  ];
}
