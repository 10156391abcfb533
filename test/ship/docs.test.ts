/**
 * The generated documentation against the definition: the reference page and the connector readme
 * are parsed back from Markdown and compared, both ways, with the definition's visible surface as
 * the compatibility guard's reader sees it. Mutated models prove the comparison fails.
 */
import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { buildArtifacts } from '../../connector/generate/artifacts';
import { buildConnectorReadme, CONNECTOR_README_PATH } from '../../connector/docs/connector-readme';
import { documentationArtifacts } from '../../connector/docs';
import { buildReferencePage, REFERENCE_PATH } from '../../connector/docs/reference';
import { cell, splitRow } from '../../connector/docs/markdown';
import { connector } from '../../connector/model/connector';
import {
  crossCheckReadme,
  crossCheckReference,
  definitionOf,
  parseReferencePage,
  visibleSurface,
  withoutEventField,
  withoutOperation,
  withoutParameter,
  withoutPayloadField,
} from './support';

const root = path.join(__dirname, '../..');
const definition = JSON.parse(fs.readFileSync(path.join(root, 'apiDefinition.swagger.json'), 'utf8')) as Record<string, unknown>;
const reference = buildReferencePage(connector);
const readme = buildConnectorReadme(connector);

describe('reference page', () => {
  it('documents exactly the visible operations, parameters and fields of the committed definition', () => {
    expect(crossCheckReference(reference, definition)).toEqual([]);
  });

  it('covers every action and trigger a maker sees, with real content', () => {
    const documented = parseReferencePage(reference);
    const visible = visibleSurface(definition);
    expect(documented.size).toBe(visible.size);
    expect(documented.size).toBeGreaterThanOrEqual(28);
    expect(documented.has('DeleteWebhookByID')).toBe(false); // internal: the platform calls it
    expect(documented.get('Dial')?.parameters.get('contactID')).toEqual({ required: true, type: 'integer' });
    expect(documented.get('CallConnected')?.returns.get('data.callID')).toBe('integer');
    expect(documented.get('GetContactsByID')?.returns.get('data.group_membership.members.contactID')).toBe('integer');
    // Polling triggers hide the envelope (split-on needs the array alone) and the cursor parameter.
    expect(documented.get('GetCallHistory')?.returns.has('version')).toBe(false);
    expect(documented.get('GetCallHistory')?.parameters.has('initial_call_id')).toBe(false);
  });

  it('follows the layout of the public reference page', () => {
    expect(reference).toContain('| Name | Key | Required | Type | Description |');
    expect(reference).toContain('| Name | Path | Type | Description |');
    for (const heading of ['## Creating a connection', '## Throttling limits', '## Actions', '## Triggers']) expect(reference).toContain(heading);
    expect(reference).toContain('| API calls per connection | 100 | 60 seconds |');
  });

  it('fails when the model loses an operation the page documents', () => {
    const problems = crossCheckReference(reference, definitionOf(withoutOperation('GetLostCalls')));
    expect(problems).toEqual(['documents operation GetLostCalls, which the definition lacks']);
  });

  it('fails when the model loses a returned field or a parameter the page documents', () => {
    expect(crossCheckReference(reference, definitionOf(withoutEventField('CallConnected', 'callID')))).toEqual([
      'CallConnected: documents field data.callID, which the definition lacks',
    ]);
    expect(crossCheckReference(reference, definitionOf(withoutPayloadField('GetVoipEndpointByID', 'employee_id')))).toEqual([
      'GetVoipEndpointByID: documents field data.employee_id, which the definition lacks',
    ]);
    expect(crossCheckReference(reference, definitionOf(withoutParameter('Dial', 'destination')))).toEqual([
      'Dial: documents parameter destination, which the definition lacks',
    ]);
  });

  it('fails when the page misses something the definition has', () => {
    const stale = buildReferencePage(withoutEventField('LostCallerAdded', 'attempts'));
    expect(crossCheckReference(stale, definition)).toEqual(['LostCallerAdded: misses field data.attempts']);
    const noDial = buildReferencePage(withoutOperation('Dial'));
    expect(crossCheckReference(noDial, definition)).toEqual(['misses operation Dial']);
  });

  it('keeps table cells intact whatever the text holds', () => {
    const text = 'a | b \\ c\nnext line';
    expect(splitRow(`| ${cell(text)} | x |`)).toEqual(['a | b \\ c next line', 'x']);
  });
});

describe('connector readme', () => {
  it('lists exactly the visible operations of the definition', () => {
    expect(crossCheckReadme(readme, definition)).toEqual([]);
  });

  it("has the certified-connector template's sections, in order", () => {
    const sections = [...readme.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
    expect(sections).toEqual([
      `Publisher: ${connector.brand.publisher}`,
      'Prerequisites',
      'Supported Operations',
      'Obtaining Credentials',
      'Getting Started',
      'Known Issues and Limitations',
      'Frequently Asked Questions',
      'Deployment Instructions',
    ]);
    expect(readme.startsWith(`# ${connector.brand.title}\n`)).toBe(true);
  });

  it('states the credentials, limits and deployment facts makers need', () => {
    expect(readme).toContain('`<key>`');
    expect(readme).toContain('`Bearer <key>`');
    expect(readme).toContain(connector.brand.apiKeyPortal);
    expect(readme).toMatch(/At most 20 webhooks per account/);
    expect(readme).toMatch(/registration whose answer is lost can leave a subscription.*fails the registration with 424, a status the platform does not retry/i);
    expect(readme).toMatch(/Dial is not repeated on a timeout.*fails with 424/);
    expect(readme).toMatch(/no operation that lists webhooks/);
    expect(readme).toMatch(/A polling check answers within 3\.5 seconds/);
    expect(readme).toMatch(/Retry Policy to None/);
    expect(readme).toMatch(/paconn update .*--script script\.csx/);
    expect(readme).toMatch(/pac connector update .*--script-file script\.csx/);
  });

  it('fails when the model loses an operation the readme lists, or the readme misses one', () => {
    expect(crossCheckReadme(readme, definitionOf(withoutOperation('CallRecorded')))).toEqual([
      'lists operation CallRecorded, which the definition lacks',
    ]);
    expect(crossCheckReadme(buildConnectorReadme(withoutOperation('GetGroups')), definition)).toEqual(['misses operation GetGroups']);
  });
});

describe('documentation artifacts', () => {
  it('are part of the build, so npm run check catches a stale page', () => {
    const paths = buildArtifacts().map((a) => a.path);
    for (const doc of documentationArtifacts(connector)) expect(paths).toContain(doc.path);
    expect(paths).toContain(REFERENCE_PATH);
    expect(paths).toContain(CONNECTOR_README_PATH);
  });

  it('are committed as generated', () => {
    for (const doc of documentationArtifacts(connector)) {
      const file = path.join(root, doc.path);
      expect(fs.existsSync(file), `${doc.path} is committed (npm run build)`).toBe(true);
      expect(fs.readFileSync(file, 'utf8'), `${doc.path} is fresh (npm run build)`).toBe(doc.content);
    }
  });
});
