/**
 * The connector as a Dataverse solution component, in the layout a solution export uses: one
 * `<Connector>` element in customizations.xml and its parts as files under `Connector/`, named
 * `<logical name>_<part>`:
 *
 * | element | file | content |
 * | --- | --- | --- |
 * | `openapidefinition` | `_openapidefinition.json` | apiDefinition.swagger.json, byte for byte |
 * | `connectionparameters` | `_connectionparameters.json` | `properties.connectionParameters` of apiProperties.json |
 * | `policytemplateinstances` | `_policytemplateinstances.json` | `properties.policyTemplateInstances` |
 * | `customcodeblobcontent` | `_customcodeblobcontent.csx` | script.csx, byte for byte |
 * | `iconblob` | `_iconblob.Png` | the icon of `deploy/` |
 * | `scriptoperations` | (inline) | `properties.scriptOperations` as a JSON array |
 * | `displayname`, `description`, `iconbrandcolor` | (inline) | `info.title`, `info.description`, `properties.iconBrandColor` |
 *
 * Facts from exported solutions studied (their code is not used here):
 * - microsoft/coe-starter-kit `CenterofExcellenceCoreComponents/SolutionPackage/src/Connectors/admin_5Foffice-20365-20management-20api.xml`
 *   and `..._connectionparameters.json`: the element names, the `/Connector/<name>_<part>` paths
 *   (`_iconblob.Png`), `connectortype`, and that the parameters file is the bare
 *   `connectionParameters` object (no `properties` wrapper).
 * - cjennison/microsoft-trusted-customer `solutions/MicrosoftTrustedCustomer/Connectors/mtc_mtc-20microsoft-20graph-20mail.xml`
 *   (commit 8b98a5b6f6f52cd4234ee9fe29e6ff0043fdd868): a connector with custom code:
 *   `<scriptoperations>` as a JSON array and `<customcodeblobcontent>` pointing at `_customcodeblobcontent.csx`,
 *   in the element order used here.
 * - microsoft/coe-starter-kit `CenterofExcellenceAuditLogs/SolutionPackage/Other/Customizations.xml`,
 *   `Other/Solution.xml` and `Workflows/ChildAdminSyncLogs-751183FC-DB68-EA11-A811-000D3A31CF04.json`:
 *   a flow on a custom connector of the solution: the connection reference names the API
 *   (`shared_<internal id>`) and the connector's GUID (`<customconnectorid>`), the flow's reference
 *   carries `api.logicalName` (the connector's logical name), and a connector is component type 372.
 * - Microsoft Dataverse, "connector table/entity reference": the columns behind these elements
 *   (`connectortype` 1 = CustomConnector; `scriptoperations`, "a list of operations to which the
 *   custom code will apply"; `iconblob`, an image column of at most 144×144, so Dataverse scales
 *   the 230×230 icon down on import).
 * - microsoft/PowerPlatformConnectors issue #597: a `<Connector>` element of customizations.xml.
 *
 * Unconfirmed (no environment to import into): the logical name is `<prefix>_<title encoded>`
 * (space → `-20`, as in the names above), and the API name flows call is `shared_` + that name with
 * `_` encoded (`-5f`). An environment adds `-5f<hash>` to it; an exported solution carries its own
 * environment's, and the import binds flows through `api.logicalName` and the reference's
 * `<customconnectorid>`, so the hash is left out here. One publisher's own checklist reports
 * Partner Center rejecting an empty `policytemplateinstances` (error 5000.1.1.16); Microsoft's
 * validator does not check it, and this connector declares no policy templates (its custom code
 * does that work), so the file holds `[]`.
 */
import { toJson } from '../generate/json';
import type { BrandProfile } from '../model/types';
import { SolutionError, stableGuid, xmlText, type SolutionFile } from './solution';

export interface ConnectorComponent {
  /** The component's GUID (lower case), stable per brand. */
  id: string;
  /** Logical name: `lmt_zvanu-20parvaldnieks`. */
  name: string;
  /** The API name flows call: `shared_lmt-5fzvanu-20parvaldnieks`. */
  apiName: string;
  displayName: string;
  description: string;
  /** `Connector/<name>_<part>` files. */
  files: SolutionFile[];
  /** The `<Connector>` element, indented for `<Connectors>`. */
  xml: string[];
}

export interface ConnectorParts {
  brand: BrandProfile;
  /** The brand's generated files as published, byte for byte. */
  definition: string;
  properties: string;
  script: string;
  icon: Buffer;
}

/** Lower case, diacritics dropped, every character but a–z and 0–9 as `-<hex>` (a space is `-20`). */
export function encodeName(text: string): string {
  return [...text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase()]
    .map((ch) => (/[a-z0-9]/.test(ch) ? ch : `-${ch.charCodeAt(0).toString(16).padStart(2, '0')}`))
    .join('');
}

export function connectorLogicalName(brand: BrandProfile): string {
  return `${brand.publisherPrefix}_${encodeName(brand.title)}`;
}

/** The file names of the parts, relative to the solution root. */
export function connectorFiles(name: string): Record<'definition' | 'parameters' | 'policies' | 'script' | 'icon', string> {
  return {
    definition: `Connector/${name}_openapidefinition.json`,
    parameters: `Connector/${name}_connectionparameters.json`,
    policies: `Connector/${name}_policytemplateinstances.json`,
    script: `Connector/${name}_customcodeblobcontent.csx`,
    icon: `Connector/${name}_iconblob.Png`,
  };
}

type Json = Record<string, unknown>;

function parse(text: string, file: string): Json {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new SolutionError(`${file} is not valid JSON (${(e as Error).message}); run npm run build.`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new SolutionError(`${file} is not a JSON object; run npm run build.`);
  return value as Json;
}

export function buildConnectorComponent(parts: ConnectorParts): ConnectorComponent {
  const definition = parse(parts.definition, 'apiDefinition.swagger.json');
  const properties = parse(parts.properties, 'apiProperties.json').properties as Json | undefined;
  const info = (definition.info ?? {}) as Json;
  if (typeof info.title !== 'string' || typeof info.description !== 'string') throw new SolutionError('apiDefinition.swagger.json has no info.title and info.description; run npm run build.');
  if (typeof properties !== 'object' || properties === null || typeof properties.connectionParameters !== 'object') {
    throw new SolutionError('apiProperties.json has no properties.connectionParameters; run npm run build.');
  }
  if (parts.script.trim() === '') throw new SolutionError('script.csx is empty; the connector solution carries the custom code.');
  const name = connectorLogicalName(parts.brand);
  const files = connectorFiles(name);
  const scriptOperations = Array.isArray(properties.scriptOperations) ? properties.scriptOperations : [];
  const color = typeof properties.iconBrandColor === 'string' ? properties.iconBrandColor : parts.brand.brandColor;
  const id = stableGuid(`${parts.brand.slug}/connector`);
  const element = (tag: string, value: string): string => `      <${tag}>${xmlText(value)}</${tag}>`;
  return {
    id,
    name,
    apiName: `shared_${name.replace(/_/g, '-5f')}`,
    displayName: info.title,
    description: info.description,
    files: [
      { path: files.definition, content: parts.definition },
      { path: files.parameters, content: toJson(properties.connectionParameters) },
      { path: files.policies, content: toJson(properties.policyTemplateInstances ?? []) },
      { path: files.script, content: parts.script },
      { path: files.icon, content: parts.icon },
    ],
    xml: [
      '    <Connector>',
      element('connectorid', id),
      element('description', info.description),
      element('displayname', info.title),
      element('iconbrandcolor', color),
      element('name', name),
      element('connectortype', '1'),
      element('scriptoperations', JSON.stringify(scriptOperations)),
      element('openapidefinition', `/${files.definition}`),
      element('connectionparameters', `/${files.parameters}`),
      element('policytemplateinstances', `/${files.policies}`),
      element('customcodeblobcontent', `/${files.script}`),
      element('iconblob', `/${files.icon}`),
      '    </Connector>',
    ],
  };
}
