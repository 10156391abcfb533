import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadMsValidator, parseMsSchema, stripJsonComments, validateWithMsSchemas } from '../../checks/ms-schemas';

// A miniature of Microsoft's schema folder: JSONC, a top-level `id`, additionalProperties: false.
const DEFINITION_SCHEMA = `{
  "$schema": "http://json-schema.org/draft-04/schema#",
  "id": "http://swagger.io/v2/schema.json#",
  "type": "object",
  "required": ["swagger", "info"],
  "additionalProperties": false,
  "patternProperties": { "^x-": {} },
  "properties": {
    // TODO
    "swagger": { "type": "string", "enum": ["2.0"] },
    "info": { "type": "object", "properties": { "title": { "type": "string", "description": "not // a comment" } } },
    "paths": { "type": "object" }
  }
}`;
const PROPERTIES_SCHEMA = `{
  "$schema": "http://json-schema.org/draft-07/schema#",
  "id": "https://example.com/paconn-apiProperties.schema.json#",
  "type": "object",
  "additionalProperties": false,
  "properties": {
    "properties": {
      "type": "object",
      "required": ["iconBrandColor"],
      "additionalProperties": false,
      /* block comment */
      "properties": { "iconBrandColor": { "type": "string" }, "capabilities": { "type": "array" } }
    }
  }
}`;
const SETTINGS_SCHEMA = `{
  "$schema": "http://json-schema.org/draft-07/schema#",
  "id": "https://example.com/paconn-settings.schema.json#",
  "type": "object",
  "additionalProperties": false,
  "properties": { "apiDefinition": { "type": "string" }, "powerAppsUrl": { "type": "string", "format": "uri" } }
}`;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ms-schemas-'));
  writeFileSync(join(dir, 'apiDefinition.swagger.schema.json'), DEFINITION_SCHEMA);
  writeFileSync(join(dir, 'paconn-apiProperties.schema.json'), PROPERTIES_SCHEMA);
  writeFileSync(join(dir, 'paconn-settings.schema.json'), SETTINGS_SCHEMA);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('JSONC handling', () => {
  it('strips comments but not // inside strings', () => {
    const text = '{ "url": "https://x//y", // note\n "a": 1 /* b */ }';
    expect(JSON.parse(stripJsonComments(text))).toEqual({ url: 'https://x//y', a: 1 });
  });

  it('drops the top-level id only', () => {
    const schema = parseMsSchema('{ "id": "x", "properties": { "id": { "type": "string" } } }');
    expect(schema).toEqual({ properties: { id: { type: 'string' } } });
  });
});

describe('Microsoft schema validation', () => {
  it('accepts valid files, including scriptOperations and settings.script', () => {
    expect(validateWithMsSchemas(dir, {
      definition: { swagger: '2.0', info: { title: 'T' }, 'x-ms-connector-metadata': [] },
      properties: { properties: { iconBrandColor: '#fd941b', scriptOperations: ['A'] } },
      settings: { apiDefinition: 'apiDefinition.swagger.json', script: 'script.csx' },
    })).toEqual([]);
  });

  it('allows exactly the stale keys: other extra keys still fail, with a pointer', () => {
    const findings = loadMsValidator(dir, 'apiProperties')({ properties: { iconBrandColor: '#fd941b', scriptOperation: ['A'] } }, 'apiProperties.json');
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ file: 'apiProperties.json', pointer: '/properties', rule: 'ms-schema', severity: 'error' });
    expect(findings[0].message).toMatch(/'scriptOperation'/);
    const settings = loadMsValidator(dir, 'settings')({ scripts: 'script.csx' }, 'settings.json');
    expect(settings.map((f) => [f.pointer, f.message.includes("'scripts'")])).toEqual([['', true]]);
  });

  it('still rejects a wrongly typed scriptOperations', () => {
    const findings = loadMsValidator(dir, 'apiProperties')({ properties: { iconBrandColor: '#fd941b', scriptOperations: 'A' } }, 'apiProperties.json');
    expect(findings.map((f) => f.pointer)).toEqual(['/properties/scriptOperations']);
  });

  it('validates the definition with draft-04 and reports pointers', () => {
    const findings = loadMsValidator(dir, 'apiDefinition')({ swagger: '3.0', info: { title: 1 } }, 'apiDefinition.swagger.json');
    expect(findings.map((f) => f.pointer).sort()).toEqual(['/info/title', '/swagger']);
  });

  it('checks formats (uri) in settings', () => {
    const findings = loadMsValidator(dir, 'settings')({ powerAppsUrl: 'not a uri' }, 'settings.json');
    expect(findings.map((f) => f.pointer)).toEqual(['/powerAppsUrl']);
  });
});
