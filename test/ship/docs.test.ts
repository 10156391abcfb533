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

  it('sends readers only to public places: web addresses, never this (private) repository', () => {
    // It is published on the connector's page and in microsoft/PowerPlatformConnectors, where no folder of this project exists.
    expect(readme).not.toMatch(/source repository|this repository/i);
    expect(readme).not.toMatch(/`(flows|docs|dist|connector|scripts|sandbox)\/[^`]*`/);
    const links = [...readme.matchAll(/\]\(([^)]+)\)/g)].map((m) => m[1]);
    for (const link of links) expect(link).toMatch(/^https:\/\//);
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

describe("the README's glossary", () => {
  const projectReadme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  const entry = (term: string): string => (new RegExp(`^- \\*\\*${term}\\*\\*:([\\s\\S]*?)(?=\\n- \\*\\*|\\n\\n)`, 'm').exec(projectReadme)?.[1] ?? '').replace(/\s+/g, ' ');

  it('describes polling triggers as 1.1 answers them: by the custom code, with no pollingtrigger policy in apiProperties.json', () => {
    const properties = JSON.parse(fs.readFileSync(path.join(root, 'apiProperties.json'), 'utf8')) as { properties: { policyTemplateInstances?: Array<{ templateId: string }> } };
    expect((properties.properties.policyTemplateInstances ?? []).map((p) => p.templateId)).not.toContain('pollingtrigger');
    const polling = entry('Polling trigger');
    expect(polling).toMatch(/the custom code answers it by the polling protocol/);
    expect(polling).toMatch(/1\.0 had the `pollingtrigger` policy/);
  });
});

describe("the README's troubleshooting", () => {
  const projectReadme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  const rows = projectReadme.slice(projectReadme.indexOf('## Troubleshooting')).split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| Symptom') && !l.startsWith('| ---'));

  // script.csx answers 424 (a status the platform's default retry policy does not resend) when a Dial or a webhook
  // registration may have happened without the PBX saying so (test/script/budget.test.ts): the maker meets it as a
  // failed action or a flow that cannot be saved, and looks it up here.
  it.each([
    ['Dial', /424.*call may have been placed.*Retry Policy.*None/i],
    ['a webhook registration', /424.*webhook may have been registered.*delete/i],
  ])("explains the 424 of %s whose outcome is unknown, and what to do", (_what, row) => {
    expect(rows.filter((r) => row.test(r))).toHaveLength(1);
  });
});
