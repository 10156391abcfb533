/**
 * The Power Automate flows as an importable unmanaged solution, in the layout Microsoft documents
 * for an exported solution: `[Content_Types].xml`, `solution.xml` (manifest: unique name, version,
 * publisher with its customization prefix, root components), `customizations.xml` (`<Workflows>`
 * and `<connectionreferences>`) and `Workflows/<Name>-<GUID>.json` (each flow's clientdata JSON).
 *
 * Brand names come from the brand profile: the connector's API name (`shared_<apiName>`), the
 * publisher and its prefix (`<prefix>_<Name>` connection references). GUIDs are derived from the
 * brand and the flow's file name, so every build writes the same ones and a re-import updates the
 * same flows. Pure: files in, files out; `zipSolution` packs them.
 *
 * Not confirmed by an import (no environment here). Root components list the workflows (type 29);
 * connection references are declared in customizations.xml only: exported solutions list them too,
 * but under an environment-specific type code (a custom-entity code above 10000, different in every
 * environment), which a package built outside an environment cannot know.
 */
import { createHash } from 'crypto';
import JSZip from 'jszip';
import type { BrandProfile } from '../model/types';

export interface FlowSource {
  /** File name under flows/power-automate/ (`call-answered-to-excel.json`). */
  file: string;
  text: string;
}

export interface SolutionFile {
  /** Relative to the solution's root, forward slashes. */
  path: string;
  content: string;
}

export interface Solution {
  uniqueName: string;
  files: SolutionFile[];
  workflows: Array<{ id: string; name: string; path: string; connectionReferences: string[] }>;
  connectionReferences: Array<{ logicalName: string; connectorId: string }>;
}

export class SolutionError extends Error {
  override name = 'SolutionError';
}

type JsonMap = Record<string, unknown>;
const isMap = (v: unknown): v is JsonMap => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `Zvanu Parvaldnieks` → `ZvanuParvaldnieks`. */
export function pascal(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');
}

/** A name-based GUID (SHA-1, RFC 4122 version 5 layout): the same name always yields the same GUID. */
export function stableGuid(name: string): string {
  const h = createHash('sha1').update(`zvanu-parvaldnieks-solution:${name}`).digest();
  h[6] = (h[6] & 0x0f) | 0x50;
  h[8] = (h[8] & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

const xmlEscape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * One flow rebranded: the connection reference its trigger uses is this connector's
 * (`shared_<apiName>`, `<prefix>_<Title>`); the others keep their API and take the prefix.
 */
export function brandFlow(source: FlowSource, brand: BrandProfile): { doc: JsonMap; name: string; references: Array<{ logicalName: string; connectorId: string; displayName: string }> } {
  let doc: unknown;
  try {
    doc = JSON.parse(source.text);
  } catch (e) {
    throw new SolutionError(`flows/power-automate/${source.file} is not valid JSON (${(e as Error).message})`);
  }
  const props = isMap(doc) && isMap(doc.properties) ? doc.properties : undefined;
  const definition = props && isMap(props.definition) ? props.definition : undefined;
  const refs = props && isMap(props.connectionReferences) ? props.connectionReferences : undefined;
  if (!props || !definition || !refs) throw new SolutionError(`flows/power-automate/${source.file} has no properties.definition and properties.connectionReferences: not a flow's clientdata`);
  const trigger = isMap(definition.triggers) ? Object.values(definition.triggers)[0] : undefined;
  const ownRef = isMap(trigger) && isMap(trigger.inputs) && isMap(trigger.inputs.host) ? trigger.inputs.host.connectionName : undefined;
  if (typeof ownRef !== 'string' || !isMap(refs[ownRef])) throw new SolutionError(`flows/power-automate/${source.file}: the trigger names no connection reference of the file`);
  const ownApi = `shared_${brand.apiName}`;
  const rename = (key: string): string => (key === ownRef ? ownApi : key);
  const newRefs: JsonMap = {};
  const references: Array<{ logicalName: string; connectorId: string; displayName: string }> = [];
  for (const [key, ref] of Object.entries(refs)) {
    if (!isMap(ref) || !isMap(ref.connection) || !isMap(ref.api) || typeof ref.api.name !== 'string') {
      throw new SolutionError(`flows/power-automate/${source.file}: connection reference "${key}" lacks connection or api.name`);
    }
    const api = key === ownRef ? ownApi : ref.api.name;
    const old = String(ref.connection.connectionReferenceLogicalName ?? '');
    const suffix = key === ownRef ? pascal(brand.title) : old.replace(/^[A-Za-z0-9]+_/, '') || pascal(api.replace(/^shared_/, ''));
    const logicalName = `${brand.publisherPrefix}_${suffix}`;
    newRefs[rename(key)] = { ...ref, connection: { ...ref.connection, connectionReferenceLogicalName: logicalName }, api: { ...ref.api, name: api } };
    references.push({ logicalName, connectorId: `/providers/Microsoft.PowerApps/apis/${api}`, displayName: key === ownRef ? brand.title : suffix.replace(/([a-z])([A-Z])/g, '$1 $2') });
  }
  // Hosts in the definition name the connection reference and the API id: follow the rename.
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (!isMap(node)) return node;
    const out: JsonMap = {};
    for (const [k, v] of Object.entries(node)) {
      if (k === 'connectionName' && v === ownRef) out[k] = ownApi;
      else if (k === 'apiId' && typeof v === 'string' && v.endsWith(`/${ownRef}`)) out[k] = `/providers/Microsoft.PowerApps/apis/${ownApi}`;
      else out[k] = walk(v);
    }
    return out;
  };
  const name = typeof props.displayName === 'string' ? props.displayName : source.file.replace(/\.json$/, '');
  return { doc: { ...(doc as JsonMap), properties: { ...props, connectionReferences: newRefs, definition: walk(definition) } }, name, references };
}

export function buildSolution(brand: BrandProfile, flows: readonly FlowSource[]): Solution {
  if (!/^[a-z][a-z0-9]{1,7}$/.test(brand.publisherPrefix) || brand.publisherPrefix.startsWith('mscrm')) {
    throw new SolutionError(`publisherPrefix "${brand.publisherPrefix}" is not a Dataverse customization prefix (2–8 lower-case letters or digits, starting with a letter, not mscrm); fix the brand profile`);
  }
  const uniqueName = `${pascal(brand.title)}Flows`;
  const version = `${brand.version.split('.').concat(['0', '0', '0', '0']).slice(0, 4).join('.')}`;
  const files: SolutionFile[] = [];
  const workflows: Solution['workflows'] = [];
  const refs = new Map<string, { logicalName: string; connectorId: string; displayName: string }>();
  for (const flow of [...flows].sort((a, b) => a.file.localeCompare(b.file))) {
    const branded = brandFlow(flow, brand);
    const id = stableGuid(`${brand.slug}/workflow/${flow.file}`);
    const path = `Workflows/${pascal(branded.name)}-${id.toUpperCase()}.json`;
    files.push({ path, content: JSON.stringify(branded.doc, null, 2) + '\n' });
    workflows.push({ id, name: branded.name, path, connectionReferences: branded.references.map((r) => r.logicalName) });
    for (const r of branded.references) refs.set(r.logicalName, r);
  }
  const references = [...refs.values()].sort((a, b) => a.logicalName.localeCompare(b.logicalName));
  const publisherName = pascal(brand.publisher);
  const solutionXml = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<ImportExportXml version="9.2.0.0" SolutionPackageVersion="9.2" languagecode="1033" generatedBy="CrmLive" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">',
    '  <SolutionManifest>',
    `    <UniqueName>${uniqueName}</UniqueName>`,
    '    <LocalizedNames>',
    `      <LocalizedName description="${xmlEscape(`${brand.title} flows`)}" languagecode="1033" />`,
    '    </LocalizedNames>',
    '    <Descriptions>',
    `      <Description description="${xmlEscape(`Sample flows for the ${brand.title} connector.`)}" languagecode="1033" />`,
    '    </Descriptions>',
    `    <Version>${version}</Version>`,
    '    <Managed>0</Managed>',
    '    <Publisher>',
    `      <UniqueName>${publisherName}</UniqueName>`,
    '      <LocalizedNames>',
    `        <LocalizedName description="${xmlEscape(brand.publisher)}" languagecode="1033" />`,
    '      </LocalizedNames>',
    '      <Descriptions />',
    `      <EMailAddress>${xmlEscape(brand.contact.email)}</EMailAddress>`,
    `      <SupportingWebsiteUrl>${xmlEscape(brand.website)}</SupportingWebsiteUrl>`,
    `      <CustomizationPrefix>${brand.publisherPrefix}</CustomizationPrefix>`,
    `      <CustomizationOptionValuePrefix>${10000 + (parseInt(stableGuid(brand.publisherPrefix).slice(0, 4), 16) % 90000)}</CustomizationOptionValuePrefix>`,
    '    </Publisher>',
    '    <RootComponents>',
    ...workflows.map((w) => `      <RootComponent type="29" id="{${w.id}}" behavior="0" />`),
    '    </RootComponents>',
    '    <MissingDependencies />',
    '  </SolutionManifest>',
    '</ImportExportXml>',
    '',
  ].join('\n');
  const customizationsXml = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<ImportExportXml xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" OrganizationVersion="9.2.0.0" OrganizationSchemaType="Standard" CRMServerServiceabilityVersion="9.2.0.0">',
    '  <Entities />',
    '  <Roles />',
    '  <Workflows>',
    ...workflows.flatMap((w) => [
      `    <Workflow WorkflowId="{${w.id}}" Name="${xmlEscape(w.name)}">`,
      `      <JsonFileName>/${w.path}</JsonFileName>`,
      '      <Type>1</Type>',
      '      <Subprocess>0</Subprocess>',
      '      <Category>5</Category>',
      '      <Mode>0</Mode>',
      '      <Scope>4</Scope>',
      '      <OnDemand>0</OnDemand>',
      '      <TriggerOnCreate>0</TriggerOnCreate>',
      '      <TriggerOnDelete>0</TriggerOnDelete>',
      '      <AsyncAutodelete>0</AsyncAutodelete>',
      '      <SyncWorkflowLogOnFailure>0</SyncWorkflowLogOnFailure>',
      // Imported off (draft): the maker picks the connections and the PICK-IN-DESIGNER values first.
      '      <StateCode>0</StateCode>',
      '      <StatusCode>1</StatusCode>',
      '      <RunAs>1</RunAs>',
      '      <IsTransacted>1</IsTransacted>',
      `      <IntroducedVersion>${version}</IntroducedVersion>`,
      '      <IsCustomizable>1</IsCustomizable>',
      '      <BusinessProcessType>0</BusinessProcessType>',
      '      <IsCustomProcessingStepAllowedForOtherPublishers>1</IsCustomProcessingStepAllowedForOtherPublishers>',
      '      <PrimaryEntity>none</PrimaryEntity>',
      '      <LocalizedNames>',
      `        <LocalizedName languagecode="1033" description="${xmlEscape(w.name)}" />`,
      '      </LocalizedNames>',
      '    </Workflow>',
    ]),
    '  </Workflows>',
    '  <FieldSecurityProfiles />',
    '  <Templates />',
    '  <EntityMaps />',
    '  <EntityRelationships />',
    '  <OrganizationSettings />',
    '  <optionsets />',
    '  <CustomControls />',
    '  <connectionreferences>',
    ...references.flatMap((r) => [
      `    <connectionreference connectionreferencelogicalname="${r.logicalName}">`,
      `      <connectionreferencedisplayname>${xmlEscape(r.displayName)}</connectionreferencedisplayname>`,
      `      <connectorid>${r.connectorId}</connectorid>`,
      '      <iscustomizable>1</iscustomizable>',
      '      <statecode>0</statecode>',
      '      <statuscode>1</statuscode>',
      '    </connectionreference>',
    ]),
    '  </connectionreferences>',
    '  <Languages>',
    '    <Language>1033</Language>',
    '  </Languages>',
    '</ImportExportXml>',
    '',
  ].join('\n');
  const contentTypes =
    '<?xml version="1.0" encoding="utf-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
    '<Default Extension="xml" ContentType="application/octet-stream" /><Default Extension="json" ContentType="application/octet-stream" /></Types>\n';
  return {
    uniqueName,
    files: [{ path: '[Content_Types].xml', content: contentTypes }, { path: 'customizations.xml', content: customizationsXml }, { path: 'solution.xml', content: solutionXml }, ...files],
    workflows,
    connectionReferences: references.map(({ logicalName, connectorId }) => ({ logicalName, connectorId })),
  };
}

/** The solution zip: the files at its root, fixed timestamps (same input, same bytes). */
export async function zipSolution(solution: Solution): Promise<Buffer> {
  const zip = new JSZip();
  const date = new Date(Date.UTC(2026, 0, 1));
  for (const f of solution.files) zip.file(f.path, f.content, { date, createFolders: false });
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 9 } });
}
