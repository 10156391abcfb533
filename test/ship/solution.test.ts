/**
 * The Power Automate flows as an unmanaged solution: the zip read back has Microsoft's layout, every
 * workflow customizations.xml names is in it, every connection reference a flow uses is declared,
 * GUIDs are stable, and brand names (API name, publisher prefix) come from the brand profile.
 */
import * as fs from 'fs';
import * as path from 'path';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { connector } from '../../connector/model/connector';
import { buildSolution, stableGuid, zipSolution, type FlowSource } from '../../connector/package/solution';

const root = path.join(__dirname, '../..');
const dir = path.join(root, 'flows', 'power-automate');
const flows: FlowSource[] = fs.readdirSync(dir).filter((f) => f.endsWith('.json')).map((file) => ({ file, text: fs.readFileSync(path.join(dir, file), 'utf8') }));
const brand = connector.brand;

async function readBack(b = brand): Promise<{ names: string[]; text: (p: string) => Promise<string> }> {
  const zip = await JSZip.loadAsync(await zipSolution(buildSolution(b, flows)));
  return { names: Object.keys(zip.files).sort(), text: (p) => zip.file(p)!.async('string') };
}

const all = (xml: string, re: RegExp): string[] => [...xml.matchAll(re)].map((m) => m[1]);

describe('the flows solution zip', () => {
  it('has the documented layout: [Content_Types].xml, solution.xml, customizations.xml and one Workflows/<Name>-<GUID>.json per flow', async () => {
    const { names } = await readBack();
    expect(names.filter((n) => !n.startsWith('Workflows/'))).toEqual(['[Content_Types].xml', 'customizations.xml', 'solution.xml']);
    const workflows = names.filter((n) => n.startsWith('Workflows/'));
    expect(workflows).toHaveLength(flows.length);
    for (const w of workflows) expect(w).toMatch(/^Workflows\/[A-Za-z0-9]+-[0-9A-F]{8}-[0-9A-F]{4}-5[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}\.json$/);
  });

  it('declares every workflow (also as a root component) and every connection reference its flows use', async () => {
    const { names, text } = await readBack();
    const customizations = await text('customizations.xml');
    const manifest = await text('solution.xml');
    const files = all(customizations, /<JsonFileName>\/(.+?)<\/JsonFileName>/g);
    expect(files.sort()).toEqual(names.filter((n) => n.startsWith('Workflows/')));
    const declared = all(customizations, /connectionreferencelogicalname="([^"]+)"/g);
    const used = new Set<string>();
    for (const file of files) {
      const flow = JSON.parse(await text(file));
      expect(flow.properties.definition.triggers).toBeDefined();
      for (const ref of Object.values(flow.properties.connectionReferences) as Array<{ connection: { connectionReferenceLogicalName: string } }>) used.add(ref.connection.connectionReferenceLogicalName);
      const id = /-([0-9A-F-]{36})\.json$/.exec(file)![1].toLowerCase();
      expect(customizations).toContain(`WorkflowId="{${id}}"`);
      expect(manifest).toContain(`<RootComponent type="29" id="{${id}}" behavior="0" />`);
    }
    expect(declared.sort()).toEqual([...used].sort());
    expect(all(manifest, /<RootComponent type="(\d+)"/g)).toEqual(files.map(() => '29'));
    expect(all(customizations, /<connectorid>(.+?)<\/connectorid>/g)).toContain(`/providers/Microsoft.PowerApps/apis/shared_${brand.apiName}`);
    expect(await text('[Content_Types].xml')).toContain('Extension="json"');
  });

  it('is an unmanaged solution of the brand’s publisher, with its prefix, and the same bytes every build', async () => {
    const { text } = await readBack();
    const manifest = await text('solution.xml');
    expect(manifest).toContain('<UniqueName>ZvanuParvaldnieksFlows</UniqueName>');
    expect(manifest).toContain('<Managed>0</Managed>');
    expect(manifest).toContain(`<CustomizationPrefix>${brand.publisherPrefix}</CustomizationPrefix>`);
    expect(brand.publisherPrefix).toBe('lmt'); // today's flows use lmt_
    expect(all(await text('customizations.xml'), /connectionreferencelogicalname="([^"]+)"/g).every((n) => n.startsWith('lmt_'))).toBe(true);
    expect((await zipSolution(buildSolution(brand, flows))).equals(await zipSolution(buildSolution(brand, flows)))).toBe(true);
    expect(stableGuid('a')).toBe(stableGuid('a'));
    expect(stableGuid('a')).not.toBe(stableGuid('b'));
  });

  it('takes another brand’s API name, title and prefix everywhere', async () => {
    const other = { ...brand, title: 'Mobili Stotele', apiName: 'mobilistotele', publisherPrefix: 'mbs', slug: 'mobili-stotele', publisher: 'Example SIA' };
    const { names, text } = await readBack(other);
    const customizations = await text('customizations.xml');
    expect(customizations).toContain('connectionreferencelogicalname="mbs_MobiliStotele"');
    expect(customizations).toContain('<connectorid>/providers/Microsoft.PowerApps/apis/shared_mobilistotele</connectorid>');
    expect(customizations).not.toMatch(/lmt_|zvanuparvaldnieks/);
    const flow = await text(names.find((n) => n.startsWith('Workflows/AnsweredCalls'))!);
    expect(flow).not.toMatch(/zvanuparvaldnieks|lmt_/);
    expect(JSON.parse(flow).properties.definition.triggers.When_a_call_is_answered.inputs.host).toEqual({ connectionName: 'shared_mobilistotele', operationId: 'CallConnected', apiId: '/providers/Microsoft.PowerApps/apis/shared_mobilistotele' });
    expect(() => buildSolution({ ...brand, publisherPrefix: 'LMT_' }, flows)).toThrow(/not a Dataverse customization prefix/);
  });
});
