/**
 * Dataverse solutions as a solution export lays them out: `[Content_Types].xml`, `solution.xml`
 * (manifest: unique name, version, publisher with its customization prefix, root components),
 * `customizations.xml` (`<Workflows>`, `<Connectors>`, `<connectionreferences>`) and the component
 * files (`Workflows/<Name>-<GUID>.json`, each flow's clientdata JSON; `Connector/<name>_*`, see
 * connector-component.ts). Three solutions are built from it:
 *
 * - the end-user flows solution (`buildSolution`): the Power Automate flows of `flows/`, their
 *   connection references bound to the published connector (`shared_<apiName>`);
 * - the certification package's connector solution (`buildConnectorSolution`): the connector alone;
 * - its flow solution (`buildSampleFlowsSolution`): the same connector and the same flows, their
 *   reference to this connector bound to the connector inside the solution.
 *
 * Brand names come from the brand profile: the connector's API name, the publisher and its prefix.
 * GUIDs are derived from the brand and the flow's file name, so every build writes the same ones and
 * a re-import updates the same flows. Pure: files in, files out; `zipSolution` packs them.
 *
 * Not confirmed by an import (no environment here). Connection references are declared in
 * customizations.xml only: exported solutions also list them as root components, but under an
 * environment-specific type code (a custom-entity code above 10000, different in every
 * environment), which a package built outside an environment cannot know.
 */
import { createHash } from 'crypto';
import JSZip from 'jszip';
import { zvanuParvaldnieks } from '../brand/zvanu-parvaldnieks';
import type { BrandProfile } from '../model/types';
import type { ConnectorComponent } from './connector-component';

export interface FlowSource {
  /** File name under flows/power-automate/ (`call-answered-to-excel.json`). */
  file: string;
  text: string;
}

export interface SolutionFile {
  /** Relative to the solution's root, forward slashes. */
  path: string;
  content: string | Buffer;
}

export interface SolutionWorkflow {
  id: string;
  name: string;
  path: string;
  connectionReferences: string[];
}

export interface ConnectionReference {
  logicalName: string;
  /** `/providers/Microsoft.PowerApps/apis/<api name>`. */
  connectorId: string;
  displayName: string;
  /** The GUID of the connector component the reference is bound to, when it is in the solution. */
  customConnectorId?: string;
}

export interface Solution {
  uniqueName: string;
  files: SolutionFile[];
  workflows: SolutionWorkflow[];
  connectionReferences: ConnectionReference[];
  /** The connector component, in the certification package's solutions. */
  connector?: ConnectorComponent;
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

/** Text content: `&`, `<` and `>` escaped (quotes stay as they are, as exports write them). */
export const xmlText = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
/** An attribute value: quotes escaped too. */
export const xmlEscape = (s: string): string => xmlText(s).replace(/"/g, '&quot;');

/**
 * Where a flow's reference to this connector points: the published connector (`shared_<apiName>`)
 * for the end-user solution, the connector component of the solution for certification.
 */
export interface ConnectorBinding {
  /** The API name flows call (`shared_zvanuparvaldnieks`). */
  api: string;
  /** The connector component's logical name, when the connector travels in the solution (`api.logicalName` of exported flows). */
  logicalName?: string;
  /** The connection reference's logical name (`lmt_ZvanuParvaldnieks`). */
  referenceLogicalName: string;
  referenceDisplayName: string;
  /** The connector component's GUID (`<customconnectorid>` of the connection reference). */
  customConnectorId?: string;
}

/** The published connector: `shared_<apiName>`, reference `<prefix>_<Title>`. */
export function publishedBinding(brand: BrandProfile): ConnectorBinding {
  return { api: `shared_${brand.apiName}`, referenceLogicalName: `${brand.publisherPrefix}_${pascal(brand.title)}`, referenceDisplayName: brand.title };
}

/**
 * One flow rebranded: the connection reference its trigger uses is this connector's (bound as
 * `binding` says); the others keep their API and take the prefix.
 */
export function brandFlow(
  source: FlowSource,
  brand: BrandProfile,
  binding: ConnectorBinding = publishedBinding(brand),
): { doc: JsonMap; name: string; references: ConnectionReference[] } {
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
  // This connector's reference: the trigger's, or for a flow whose trigger calls no connector (Recurrence)
  // the one the shipped flows are written with (the Zvanu Parvaldnieks profile's API name).
  const triggerRef = isMap(trigger) && isMap(trigger.inputs) && isMap(trigger.inputs.host) ? trigger.inputs.host.connectionName : undefined;
  const ownRef = triggerRef ?? (isMap(trigger) && trigger.type === 'Recurrence' ? `shared_${zvanuParvaldnieks.apiName}` : undefined);
  if (typeof ownRef !== 'string' || !isMap(refs[ownRef])) throw new SolutionError(`flows/power-automate/${source.file}: the trigger names no connection reference of the file (a Recurrence flow declares shared_${zvanuParvaldnieks.apiName})`);
  const ownApi = binding.api;
  const rename = (key: string): string => (key === ownRef ? ownApi : key);
  const newRefs: JsonMap = {};
  const references: ConnectionReference[] = [];
  for (const [key, ref] of Object.entries(refs)) {
    if (!isMap(ref) || !isMap(ref.connection) || !isMap(ref.api) || typeof ref.api.name !== 'string') {
      throw new SolutionError(`flows/power-automate/${source.file}: connection reference "${key}" lacks connection or api.name`);
    }
    const own = key === ownRef;
    const api = own ? ownApi : ref.api.name;
    const old = String(ref.connection.connectionReferenceLogicalName ?? '');
    const logicalName = own ? binding.referenceLogicalName : `${brand.publisherPrefix}_${old.replace(/^[A-Za-z0-9]+_/, '') || pascal(api.replace(/^shared_/, ''))}`;
    const apiNode = own ? { ...ref.api, name: api, ...(binding.logicalName ? { logicalName: binding.logicalName } : {}) } : { ...ref.api, name: api };
    newRefs[rename(key)] = { ...ref, connection: { ...ref.connection, connectionReferenceLogicalName: logicalName }, api: apiNode };
    const suffix = logicalName.slice(brand.publisherPrefix.length + 1);
    references.push({
      logicalName,
      connectorId: `/providers/Microsoft.PowerApps/apis/${api}`,
      displayName: own ? binding.referenceDisplayName : suffix.replace(/([a-z])([A-Z])/g, '$1 $2'),
      ...(own && binding.customConnectorId ? { customConnectorId: binding.customConnectorId } : {}),
    });
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

/** `1.1` → `1.1.0.0`: a solution version has four parts. */
export function solutionVersion(brand: BrandProfile): string {
  return brand.version.split('.').concat(['0', '0', '0', '0']).slice(0, 4).join('.');
}

function requirePrefix(brand: BrandProfile): void {
  if (!/^[a-z][a-z0-9]{1,7}$/.test(brand.publisherPrefix) || brand.publisherPrefix.startsWith('mscrm')) {
    throw new SolutionError(`publisherPrefix "${brand.publisherPrefix}" is not a Dataverse customization prefix (2–8 lower-case letters or digits, starting with a letter, not mscrm); fix the brand profile`);
  }
}

/** The flows as solution workflows (sorted by file), with the connection references they use. */
function solutionFlows(brand: BrandProfile, flows: readonly FlowSource[], binding: ConnectorBinding, guidSeed: string): { files: SolutionFile[]; workflows: SolutionWorkflow[]; references: ConnectionReference[] } {
  const files: SolutionFile[] = [];
  const workflows: SolutionWorkflow[] = [];
  const refs = new Map<string, ConnectionReference>();
  for (const flow of [...flows].sort((a, b) => a.file.localeCompare(b.file))) {
    const branded = brandFlow(flow, brand, binding);
    const id = stableGuid(`${brand.slug}/${guidSeed}/${flow.file}`);
    const path = `Workflows/${pascal(branded.name)}-${id.toUpperCase()}.json`;
    files.push({ path, content: JSON.stringify(branded.doc, null, 2) + '\n' });
    workflows.push({ id, name: branded.name, path, connectionReferences: branded.references.map((r) => r.logicalName) });
    for (const r of branded.references) refs.set(r.logicalName, r);
  }
  return { files, workflows, references: [...refs.values()].sort((a, b) => a.logicalName.localeCompare(b.logicalName)) };
}

interface SolutionSpec {
  brand: BrandProfile;
  uniqueName: string;
  displayName: string;
  description: string;
  workflows: readonly SolutionWorkflow[];
  references: readonly ConnectionReference[];
  connector?: ConnectorComponent;
  files: readonly SolutionFile[];
}

function workflowXml(w: SolutionWorkflow, version: string): string[] {
  return [
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
  ];
}

function referenceXml(r: ConnectionReference): string[] {
  return [
    `    <connectionreference connectionreferencelogicalname="${r.logicalName}">`,
    `      <connectionreferencedisplayname>${xmlText(r.displayName)}</connectionreferencedisplayname>`,
    `      <connectorid>${r.connectorId}</connectorid>`,
    // An exported reference to a custom connector in the solution names the component's GUID too.
    ...(r.customConnectorId ? ['      <customconnectorid>', `        <connectorid>${r.customConnectorId}</connectorid>`, '      </customconnectorid>'] : []),
    '      <iscustomizable>1</iscustomizable>',
    '      <statecode>0</statecode>',
    '      <statuscode>1</statuscode>',
    '    </connectionreference>',
  ];
}

/** The publisher's option-value prefix: a number from 10000 to 99999, derived from the prefix (stable). */
function optionValuePrefix(brand: BrandProfile): number {
  return 10000 + (parseInt(stableGuid(brand.publisherPrefix).slice(0, 4), 16) % 90000);
}

function assemble(spec: SolutionSpec): Solution {
  requirePrefix(spec.brand);
  const { brand, connector } = spec;
  const version = solutionVersion(brand);
  // An empty container element is written self-closed: Microsoft's package validator treats a
  // `<Workflows>` or `<Connector>` node with no child as absent.
  const section = (tag: string, lines: string[]): string[] => (lines.length === 0 ? [`  <${tag} />`] : [`  <${tag}>`, ...lines, `  </${tag}>`]);
  const solutionXml = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<ImportExportXml version="9.2.0.0" SolutionPackageVersion="9.2" languagecode="1033" generatedBy="CrmLive" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">',
    '  <SolutionManifest>',
    `    <UniqueName>${spec.uniqueName}</UniqueName>`,
    '    <LocalizedNames>',
    `      <LocalizedName description="${xmlEscape(spec.displayName)}" languagecode="1033" />`,
    '    </LocalizedNames>',
    '    <Descriptions>',
    `      <Description description="${xmlEscape(spec.description)}" languagecode="1033" />`,
    '    </Descriptions>',
    `    <Version>${version}</Version>`,
    '    <Managed>0</Managed>',
    '    <Publisher>',
    `      <UniqueName>${pascal(brand.publisher)}</UniqueName>`,
    '      <LocalizedNames>',
    `        <LocalizedName description="${xmlEscape(brand.publisher)}" languagecode="1033" />`,
    '      </LocalizedNames>',
    '      <Descriptions />',
    `      <EMailAddress>${xmlText(brand.contact.email)}</EMailAddress>`,
    `      <SupportingWebsiteUrl>${xmlText(brand.website)}</SupportingWebsiteUrl>`,
    `      <CustomizationPrefix>${brand.publisherPrefix}</CustomizationPrefix>`,
    `      <CustomizationOptionValuePrefix>${optionValuePrefix(brand)}</CustomizationOptionValuePrefix>`,
    '    </Publisher>',
    '    <RootComponents>',
    // Type 372 is a connector, 29 a workflow (process).
    ...(connector ? [`      <RootComponent type="372" id="{${connector.id}}" schemaName="${connector.name}" behavior="0" />`] : []),
    ...spec.workflows.map((w) => `      <RootComponent type="29" id="{${w.id}}" behavior="0" />`),
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
    ...section('Workflows', spec.workflows.flatMap((w) => workflowXml(w, version))),
    '  <FieldSecurityProfiles />',
    '  <Templates />',
    '  <EntityMaps />',
    '  <EntityRelationships />',
    '  <OrganizationSettings />',
    '  <optionsets />',
    '  <CustomControls />',
    '  <EntityDataProviders />',
    ...(connector ? section('Connectors', connector.xml) : []),
    ...section('connectionreferences', spec.references.flatMap(referenceXml)),
    '  <Languages>',
    '    <Language>1033</Language>',
    '  </Languages>',
    '</ImportExportXml>',
    '',
  ].join('\n');
  const contentTypes =
    '<?xml version="1.0" encoding="utf-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
    '<Default Extension="xml" ContentType="application/octet-stream" /><Default Extension="json" ContentType="application/octet-stream" />' +
    (connector ? '<Default Extension="csx" ContentType="application/octet-stream" /><Default Extension="png" ContentType="application/octet-stream" />' : '') +
    '</Types>\n';
  return {
    uniqueName: spec.uniqueName,
    files: [
      { path: '[Content_Types].xml', content: contentTypes },
      { path: 'customizations.xml', content: customizationsXml },
      { path: 'solution.xml', content: solutionXml },
      ...(connector?.files ?? []),
      ...spec.files,
    ],
    workflows: [...spec.workflows],
    connectionReferences: [...spec.references],
    ...(connector ? { connector } : {}),
  };
}

/** The end-user flows solution: the flows bound to the published connector. */
export function buildSolution(brand: BrandProfile, flows: readonly FlowSource[]): Solution {
  requirePrefix(brand);
  const { files, workflows, references } = solutionFlows(brand, flows, publishedBinding(brand), 'workflow');
  return assemble({ brand, uniqueName: `${pascal(brand.title)}Flows`, displayName: `${brand.title} flows`, description: `Sample flows for the ${brand.title} connector.`, workflows, references, files });
}

/** The certification package's connector solution: the connector component alone. */
export function buildConnectorSolution(brand: BrandProfile, connector: ConnectorComponent): Solution {
  return assemble({
    brand,
    uniqueName: `${pascal(brand.title)}Connector`,
    displayName: `${brand.title} connector`,
    description: `The ${brand.title} connector with its custom code, for certification.`,
    workflows: [],
    references: [],
    connector,
    files: [],
  });
}

/**
 * The certification package's flow solution: the connector component and the flows, their
 * reference to this connector bound to that component (reviewers test the flows on the version
 * under review). Its own workflow GUIDs and reference name, so that importing it beside the
 * end-user solution replaces nothing of it.
 */
export function buildSampleFlowsSolution(brand: BrandProfile, flows: readonly FlowSource[], connector: ConnectorComponent): Solution {
  requirePrefix(brand);
  if (flows.length === 0) throw new SolutionError('flows/power-automate/ holds no flow: the certification flow solution needs at least one');
  const binding: ConnectorBinding = {
    api: connector.apiName,
    logicalName: connector.name,
    referenceLogicalName: `${brand.publisherPrefix}_${pascal(brand.title)}Connector`,
    referenceDisplayName: `${brand.title} (connector of this solution)`,
    customConnectorId: connector.id,
  };
  const { files, workflows, references } = solutionFlows(brand, flows, binding, 'certification-workflow');
  return assemble({
    brand,
    uniqueName: `${pascal(brand.title)}SampleFlows`,
    displayName: `${brand.title} sample flows`,
    description: `Sample flows for certification, on the ${brand.title} connector in this solution.`,
    workflows,
    references,
    connector,
    files,
  });
}

/** A zip of files at its root, fixed timestamps (same input, same bytes). */
export async function zipFiles(files: ReadonlyArray<{ path: string; content: string | Buffer }>): Promise<Buffer> {
  const zip = new JSZip();
  const date = new Date(Date.UTC(2026, 0, 1));
  for (const f of files) zip.file(f.path, f.content, { date, createFolders: false });
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 9 } });
}

/** The solution zip: the files at its root. */
export function zipSolution(solution: Solution): Promise<Buffer> {
  return zipFiles(solution.files);
}
