import * as fs from 'node:fs';
import * as path from 'node:path';
import SwaggerParser from '@apidevtools/swagger-parser';
import { describe, expect, it } from 'vitest';
import { buildArtifacts } from '../../connector/generate/artifacts';
import { buildProperties, scriptOperations } from '../../connector/generate/properties';
import { buildSwagger } from '../../connector/generate/swagger';
import type { XDocument, XSchema } from '../../connector/generate/swagger-types';
import { view } from '../../connector/entities/field';
import { contact } from '../../connector/entities/contact';
import { connector, connectorFor } from '../../connector/model/connector';
import type { ConnectorModel, Operation } from '../../connector/model/types';
import { item } from '../../connector/operations/payloads';
import { listActions } from '../../connector/operations/lists';
import { pickers } from '../../connector/operations/parameters';
import { publishedBaseline } from '../../connector/docs';
import type { PollingTrigger } from '../../connector/model/types';

const doc = buildSwagger(connector);

function operations(d: XDocument) {
  return Object.entries(d.paths).flatMap(([path, item]) =>
    (['get', 'post', 'delete'] as const).flatMap((method) => (item[method] ? [{ path, method, op: item[method]! }] : [])),
  );
}

function resolve(d: XDocument, schema: XSchema): XSchema {
  return schema.$ref ? resolve(d, d.definitions[schema.$ref.replace('#/definitions/', '')]!) : schema;
}

/** Every property schema reachable from the definitions, with where it sits. */
function properties(d: XDocument): Array<{ at: string; name: string; schema: XSchema }> {
  const out: Array<{ at: string; name: string; schema: XSchema }> = [];
  const walk = (schema: XSchema, at: string) => {
    for (const [name, prop] of Object.entries(schema.properties ?? {})) {
      out.push({ at: `${at}/properties/${name}`, name, schema: prop });
      walk(prop, `${at}/properties/${name}`);
    }
    if (schema.items && !schema.items.$ref) walk(schema.items as XSchema, `${at}/items`);
  };
  for (const [name, schema] of Object.entries(d.definitions)) walk(schema, `/definitions/${name}`);
  return out;
}

const normalise = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');

describe('the connector model', () => {
  it('publishes the 29 operations of 1.0, a list action per polling trigger and an internal list per dropdown', () => {
    const kinds = connector.operations.reduce<Record<string, number>>((acc, op) => {
      const key = op.visibility === 'internal' ? 'internal' : op.kind;
      acc[key] = (acc[key] ?? 0) + 1;
      return acc;
    }, {});
    const polling = connector.operations.filter((op) => op.kind === 'polling').length;
    const dropdowns = Object.keys(pickers).length;
    // 1.0: 10 actions, 8 polling and 10 webhook triggers, DeleteWebhookByID internal.
    expect(kinds).toEqual({ action: 10 + polling, polling: 8, webhook: 10, internal: 1 + dropdowns });
    expect(new Set(connector.operations.map((op) => op.operationId)).size).toBe(29 + polling + dropdowns);
    const published = new Set(publishedBaseline().operations.map((op) => op.operationId));
    expect(connector.operations.filter((op) => published.has(op.operationId))).toHaveLength(29);
  });

  it('gives each list action the filters of its polling trigger under the same names, and paging inputs', () => {
    for (const list of listActions) {
      const trigger = connector.operations.find((op) => op.kind === 'polling' && op.path === list.route!.path) as PollingTrigger;
      expect(trigger, list.operationId).toBeDefined();
      const filters = trigger.parameters.filter((p) => ![trigger.stateParameter, 'limit', 'offset'].includes(p.name));
      expect(list.parameters.map((p) => p.name), list.operationId).toEqual([...filters.map((p) => p.name), 'limit', 'offset', 'snapshot_id', 'after_id']);
      for (const p of list.parameters) expect(p.required, `${list.operationId}/${p.name}`).toBe(false);
      expect(list.route).toEqual({ path: trigger.path, cursorParameter: trigger.stateParameter, idField: trigger.cursorField });
      const built = doc.paths[list.path]!.get!;
      expect(built['x-ms-pageable'], list.operationId).toEqual({ nextLinkName: 'nextLink' });
      const schema = resolve(doc, built.responses['200']!.schema!);
      // The platform's paging shape: the items in value (what Pagination merges) and nextLink; no PBX envelope.
      expect(Object.keys(schema.properties!), list.operationId).toEqual(['value', 'nextLink', 'snapshotId', 'nextOffset', 'lastId']);
      expect(schema.required).toEqual(['value']);
      expect(schema.properties!.nextLink!.type).toBe('string');
      expect(resolve(doc, schema.properties!.value!.items as XSchema)).toEqual(resolve(doc, resolve(doc, doc.paths[trigger.path]!.get!.responses['200']!.schema!).properties!.data!.items as XSchema));
    }
    // Paths of their own: none is a route of 1.0 (or of any other operation).
    const listIds = new Set(listActions.map((op) => op.operationId));
    const taken = new Set(connector.operations.filter((op) => !listIds.has(op.operationId)).map((op) => op.path));
    for (const o of publishedBaseline().operations) taken.add(o.path);
    expect(listActions.filter((op) => taken.has(op.path)).map((op) => op.operationId)).toEqual([]);
  });

  it('declares x-ms-pageable only where the items are in value: GetLostCalls keeps data (its 1.0 output) and its nextLink', () => {
    const pageable = operations(doc).filter(({ op }) => op['x-ms-pageable']).map(({ op }) => op.operationId).sort();
    expect(pageable).toEqual(listActions.map((op) => op.operationId).sort());
    const lost = doc.paths['/lost_calls']!.get!;
    expect(lost['x-ms-pageable']).toBeUndefined();
    const schema = resolve(doc, lost.responses['200']!.schema!);
    expect(schema.properties!.data!.type).toBe('array');
    expect(schema.properties!.nextLink!.type).toBe('string');
    expect(schema.properties!.value).toBeUndefined();
  });

  it('refuses to declare x-ms-pageable on an operation whose items are not in value', () => {
    const lost = connector.operations.find((op) => op.operationId === 'GetLostCalls')!;
    const broken = { ...connector, operations: connector.operations.map((op) => (op === lost ? { ...op, pageable: true } : op)) } as typeof connector;
    expect(() => buildSwagger(broken)).toThrow(/GetLostCalls is pageable but answers a linked payload: the designer's Pagination merges "value"/);
  });

  it('offers a dropdown on every visible input that takes a contact, group, voicemail box or VoIP endpoint ID', () => {
    const idInputs: Record<string, string> = {
      contact_id: pickers.contact.operationId, contactID: pickers.contact.operationId, group_id: pickers.group.operationId,
      box_id: pickers.box.operationId, endpoint_id: pickers.endpoint.operationId,
    };
    let seen = 0;
    for (const { op } of operations(doc)) {
      if (op['x-ms-visibility'] === 'internal') continue;
      for (const p of op.parameters) {
        const inputs = p.in === 'body' ? Object.entries(p.schema.properties ?? {}) : [[p.name, p] as const];
        for (const [name, input] of inputs) {
          const expected = idInputs[name];
          if (!expected || input['x-ms-visibility'] === 'internal') continue;
          seen++;
          expect(input['x-ms-dynamic-values'], `${op.operationId}/${name}`).toEqual({ operationId: expected, 'value-collection': 'data', 'value-path': 'id', 'value-title': 'title' });
        }
      }
    }
    expect(seen).toBeGreaterThanOrEqual(15);
    // InvokedOperationShouldProduceArray: each dropdown's operation is internal and answers an array at value-collection.
    for (const picker of Object.values(pickers)) {
      const found = operations(doc).find((o) => o.op.operationId === picker.operationId)!;
      expect(found.op['x-ms-visibility']).toBe('internal');
      const schema = resolve(doc, found.op.responses['200']!.schema!);
      expect(schema.properties!.data!.type).toBe('array');
      expect(Object.keys(resolve(doc, schema.properties!.data!.items as XSchema).properties!)).toEqual(['id', 'title']);
    }
  });

  it('puts every model operation at its method and path, with its trigger kind', () => {
    const byId = new Map(operations(doc).map((o) => [o.op.operationId, o]));
    for (const op of connector.operations) {
      const found = byId.get(op.operationId);
      expect(found, op.operationId).toBeDefined();
      expect([found!.method, found!.path]).toEqual([op.method, op.path]);
      const trigger = { action: undefined, polling: 'batch', webhook: 'single' }[op.kind];
      expect(found!.op['x-ms-trigger']).toBe(trigger);
    }
  });

  it('drops the orphan /webhooks path of 1.0 (notification content without an operation)', () => {
    expect(doc.paths['/webhooks']).toBeUndefined();
    for (const item of Object.values(doc.paths)) {
      if (item['x-ms-notification-content']) expect(item.post?.['x-ms-trigger']).toBe('single');
    }
  });

  it('gives every output property a display name and a description that says more than its name', () => {
    const props = properties(doc);
    expect(props.length).toBeGreaterThan(100);
    for (const { at, name, schema } of props) {
      const target = resolve(doc, schema);
      const summary = schema['x-ms-summary'] ?? target['x-ms-summary'];
      const description = schema.description ?? target.description;
      expect(summary, `${at} has no x-ms-summary`).toBeTruthy();
      expect(summary, `${at}: x-ms-summary is not Title Case`).toMatch(/^[A-Z0-9(][^\s]*( [A-Z0-9(][^\s]*)*$/);
      expect(description, `${at} has no description`).toBeTruthy();
      expect(normalise(description!), `${at}: description repeats the name`).not.toBe(normalise(name));
      expect(normalise(description!)).not.toBe(normalise(summary!));
    }
  });

  it('gives every parameter and body property a display name and a description', () => {
    for (const { op } of operations(doc)) {
      for (const p of op.parameters) {
        expect(p['x-ms-summary'], `${op.operationId}/${p.name}`).toBeTruthy();
        expect(p.description, `${op.operationId}/${p.name}`).toMatch(/\.$/);
        for (const [name, prop] of Object.entries(p.in === 'body' ? (p.schema.properties ?? {}) : {})) {
          expect(prop['x-ms-summary'], `${op.operationId}/${p.name}/${name}`).toBeTruthy();
          expect(prop.description, `${op.operationId}/${p.name}/${name}`).toBeTruthy();
        }
      }
    }
  });

  it('writes summaries and descriptions the way certification asks', () => {
    for (const { op } of operations(doc)) {
      expect(op.summary.length, op.operationId).toBeLessThan(80);
      expect(op.summary, op.operationId).not.toMatch(/[/\\<>*%&?]|[.!?:;,]$/);
      expect(op.summary[0], op.operationId).toMatch(/[A-Z]/);
      expect(op.description, op.operationId).toMatch(/\.$/);
      expect(op.description).not.toBe(op.summary);
    }
  });

  it('references every definition it emits, and every reference resolves', () => {
    const text = JSON.stringify(doc);
    const refs = new Set([...text.matchAll(/"#\/definitions\/([^"]+)"/g)].map((m) => m[1]));
    expect([...refs].filter((name) => !doc.definitions[name!])).toEqual([]);
    expect(Object.keys(doc.definitions).filter((name) => !refs.has(name))).toEqual([]);
  });

  it('answers webhook subscriptions with 201 and a Location header', () => {
    for (const op of connector.operations.filter((o) => o.kind === 'webhook')) {
      const created = doc.paths[op.path]!.post!.responses['201']!;
      expect(created.headers?.Location?.type, op.operationId).toBe('string');
    }
  });

  it('hides the envelope of polling responses so the designer offers split-on over data', () => {
    for (const op of connector.operations.filter((o) => o.kind === 'polling')) {
      const schema = resolve(doc, doc.paths[op.path]!.get!.responses['200']!.schema!);
      const visible = Object.entries(schema.properties!).filter(([, p]) => p['x-ms-visibility'] !== 'internal');
      expect(visible.map(([name]) => name), op.operationId).toEqual(['data']);
      expect(visible[0]![1].type).toBe('array');
    }
  });

  it('refuses two different shapes under one definition name', () => {
    const clash = view(contact, 'Contact', 'A contact with fewer fields.', ['contactID']);
    const extra: Operation = { ...connector.operations[0]!, operationId: 'Clash', path: '/clash', payload: item(clash) } as Operation;
    expect(() => buildSwagger({ ...connector, operations: [...connector.operations, extra] })).toThrow(/ContactResponse|Contact/);
  });

  it('refuses two operations on one method and path', () => {
    const dup = { ...connector.operations[0]!, operationId: 'Copy' } as Operation;
    expect(() => buildSwagger({ ...connector, operations: [...connector.operations, dup] })).toThrow(/defined twice/);
  });
});

describe('apiProperties', () => {
  const props = buildProperties(connector).properties;

  it('declares no pollingtrigger policy: script.csx answers the protocol with each trigger\'s 1.0 cursor and id field', () => {
    const polling = connector.operations.filter((o) => o.kind === 'polling');
    expect(polling).toHaveLength(8);
    expect(props.policyTemplateInstances).toEqual([]);
    const script = fs.readFileSync(path.resolve(__dirname, '../../script.csx'), 'utf8');
    for (const op of polling) {
      expect(script, op.operationId).toContain(`{ "${op.operationId}", new PollingTrigger("${op.stateParameter}", "${op.cursorField}") }`);
      expect(props.scriptOperations).toContain(op.operationId);
    }
    const cursorOf = Object.fromEntries(polling.map((op) => [op.operationId, `${op.stateParameter}=${op.cursorField}`]));
    expect(cursorOf).toMatchObject({
      GetCallHistory: 'initial_call_id=callID',
      GetAudioPrompts: 'initial_prompt_id=id',
      GetVoicemailBoxes: 'initial_box_id=voicemailBoxID',
    });
  });

  it('declares the API key as a securestring and runs every operation through the script', () => {
    expect(props.connectionParameters.api_key!.type).toBe('securestring');
    expect(props.scriptOperations).toEqual(connector.operations.map((op) => op.operationId));
  });

  it('keeps scriptOperations in step with the model', () => {
    const fewer: ConnectorModel = { ...connector, operations: connector.operations.slice(0, 3) };
    expect(scriptOperations(fewer)).toEqual(fewer.operations.map((op) => op.operationId));
  });
});

describe('generated output', () => {
  it('validates with swagger-parser', async () => {
    await expect(SwaggerParser.validate(structuredClone(doc) as never)).resolves.toBeTruthy();
  });

  it('is deterministic: two-space JSON, LF, trailing newline, same bytes every time', () => {
    const first = buildArtifacts();
    const second = buildArtifacts();
    expect(second).toEqual(first);
    for (const artifact of first) {
      expect(artifact.content.endsWith('}\n') || artifact.content.endsWith('\n'), artifact.path).toBe(true);
      expect(artifact.content, artifact.path).not.toMatch(/\r/);
    }
    expect(first.find((a) => a.path === 'apiDefinition.swagger.json')!.content).toMatch(/^\{\n {2}"swagger": "2.0",/);
  });

  it('stays under the certification size limit of 1 MB', () => {
    expect(Buffer.byteLength(JSON.stringify(doc, null, 2))).toBeLessThan(1024 * 1024);
  });

  it('lets a second brand of the platform be a second profile, not a fork', () => {
    const other = connectorFor({ ...connector.brand, slug: 'other', title: 'Other PBX', host: 'pbx.example.test', brandColor: '#00aa55' });
    const otherDoc = buildSwagger(other);
    expect(otherDoc.host).toBe('pbx.example.test');
    expect(otherDoc.info.title).toBe('Other PBX');
    expect(buildProperties(other).properties.iconBrandColor).toBe('#00aa55');
    expect(Object.keys(otherDoc.paths)).toEqual(Object.keys(doc.paths));
  });
});

describe('deprecation', () => {
  it('marks a replaced operation deprecated and groups it with its successor, without breaking flows', async () => {
    const { checkCompatibility, loadBaseline } = await import('../../connector/compat/guard');
    const old = connector.operations.find((op) => op.operationId === 'GetLostCalls')!;
    const successor = { ...old, operationId: 'GetLostCalls_V2', path: '/lost_calls_v2', annotation: { family: 'GetLostCalls', revision: 2 } };
    const model: ConnectorModel = {
      ...connector,
      operations: connector.operations.flatMap((op) =>
        op === old ? [{ ...op, deprecated: true, annotation: { family: 'GetLostCalls', revision: 1 } }, successor] : [op],
      ),
    };
    const built = buildSwagger(model);
    expect(built.paths['/lost_calls']!.get).toMatchObject({ deprecated: true, 'x-ms-api-annotation': { family: 'GetLostCalls', revision: 1 } });
    expect(built.paths['/lost_calls_v2']!.get!['x-ms-api-annotation']).toEqual({ family: 'GetLostCalls', revision: 2 });
    expect(built.paths['/lost_calls_v2']!.get!.deprecated).toBeUndefined();
    expect(checkCompatibility(loadBaseline(), built)).toEqual([]);
  });

  it('explains why a second operation cannot share a route', () => {
    const old = connector.operations.find((op) => op.operationId === 'GetLostCalls')!;
    const model: ConnectorModel = { ...connector, operations: [...connector.operations, { ...old, operationId: 'GetLostCalls_V2' }] };
    expect(() => buildSwagger(model)).toThrow(/already used by GetLostCalls.*its own path/);
  });
});
