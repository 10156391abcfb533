/**
 * The package a verified publisher submits in Partner Center, in the structure Microsoft's
 * validator (`scripts/ConnectorPackageValidator.ps1` in microsoft/PowerPlatformConnectors) reads:
 *
 *     <Name>.zip                       intro.md and one package zip, no folder
 *       intro.md
 *       <Name>.pdpkg.zip               one folder at its root
 *         [Content_Types].xml
 *         PkgAssets/                   exactly two solution zips, no folder
 *           ImportConfig.xml           the import order for Package Deployer
 *           ConnectorSolution.zip      the connector alone (customizations.xml: <Connector>, no <Workflows>)
 *           FlowSolution.zip           the connector and the sample flows (<Connector> and <Workflows>)
 *
 * The solution zip names are the ones publishers report from Microsoft's submission instructions
 * (unconfirmed here; the validator accepts any name). What is not written: the Package Deployer assembly (`<Name>.dll`) that
 * `pac package` builds. The validator does not ask for it (it counts no file beside the folder), and
 * COMMANDS.md names the commands that build it when a reviewer does. Pure and deterministic: the
 * same input gives the same bytes.
 */
import { buildConnectorIntro } from '../docs/connector-intro';
import type { ConnectorModel } from '../model/types';
import { buildConnectorComponent } from './connector-component';
import { buildConnectorSolution, buildSampleFlowsSolution, pascal, zipFiles, zipSolution, type FlowSource, type Solution, type SolutionFile } from './solution';

export interface CertificationInput {
  model: ConnectorModel;
  /** The brand's generated files as published, byte for byte. */
  definition: string;
  properties: string;
  script: string;
  icon: Buffer;
  /** The Power Automate flows of flows/power-automate/ (the same list the end-user solution ships). */
  flows: readonly FlowSource[];
}

export interface CertificationNames {
  /** `ZvanuParvaldnieks`. */
  name: string;
  /** The file to submit: `ZvanuParvaldnieks.zip`. */
  zip: string;
  /** The package inside it: `ZvanuParvaldnieks.pdpkg.zip`. */
  pdpkg: string;
  assets: 'PkgAssets';
  connectorSolution: 'ConnectorSolution.zip';
  flowSolution: 'FlowSolution.zip';
}

export function certificationNames(brand: ConnectorModel['brand']): CertificationNames {
  const name = pascal(brand.title);
  return { name, zip: `${name}.zip`, pdpkg: `${name}.pdpkg.zip`, assets: 'PkgAssets', connectorSolution: 'ConnectorSolution.zip', flowSolution: 'FlowSolution.zip' };
}

export interface CertificationPackage {
  names: CertificationNames;
  /** The file to submit. */
  zip: Buffer;
  /** The same content unpacked, each zip as a folder of its name without `.zip`; paths relative to `unpacked/`. */
  files: SolutionFile[];
  connectorSolution: Solution;
  flowSolution: Solution;
}

/** Package Deployer's import list: the connector first, then the flows on it; flows stay off (they need connections first). */
export function buildImportConfig(names: CertificationNames): string {
  const solution = (file: string) => `    <configsolutionfile solutionpackagefilename="${file}" overwriteunmanagedcustomizations="false" publishworkflowsandactivateplugins="false" />`;
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<configdatastorage xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema" installsampledata="false" waitforsampledatatoinstall="true" agentdesktopzipfile="" agentdesktopexename="" crmmigdataimportfile="">',
    '  <solutions>',
    solution(names.connectorSolution),
    solution(names.flowSolution),
    '  </solutions>',
    '</configdatastorage>',
    '',
  ].join('\n');
}

const PACKAGE_CONTENT_TYPES =
  '<?xml version="1.0" encoding="utf-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
  '<Default Extension="xml" ContentType="application/octet-stream" /><Default Extension="zip" ContentType="application/octet-stream" /></Types>\n';

export async function buildCertificationPackage(input: CertificationInput): Promise<CertificationPackage> {
  const { brand } = input.model;
  const names = certificationNames(brand);
  const connector = buildConnectorComponent({ brand, definition: input.definition, properties: input.properties, script: input.script, icon: input.icon });
  const connectorSolution = buildConnectorSolution(brand, connector);
  const flowSolution = buildSampleFlowsSolution(brand, input.flows, connector);
  const intro = buildConnectorIntro(input.model);
  const importConfig = buildImportConfig(names);
  const assets = `${names.assets}/`;
  const pdpkg = await zipFiles([
    { path: '[Content_Types].xml', content: PACKAGE_CONTENT_TYPES },
    { path: `${assets}ImportConfig.xml`, content: importConfig },
    { path: `${assets}${names.connectorSolution}`, content: await zipSolution(connectorSolution) },
    { path: `${assets}${names.flowSolution}`, content: await zipSolution(flowSolution) },
  ]);
  const zip = await zipFiles([
    { path: 'intro.md', content: intro },
    { path: names.pdpkg, content: pdpkg },
  ]);
  const folder = (zipName: string): string => zipName.replace(/\.zip$/, '');
  const pdpkgDir = `${folder(names.pdpkg)}/`;
  const files: SolutionFile[] = [
    { path: 'intro.md', content: intro },
    { path: `${pdpkgDir}[Content_Types].xml`, content: PACKAGE_CONTENT_TYPES },
    { path: `${pdpkgDir}${assets}ImportConfig.xml`, content: importConfig },
    ...connectorSolution.files.map((f) => ({ path: `${pdpkgDir}${assets}${folder(names.connectorSolution)}/${f.path}`, content: f.content })),
    ...flowSolution.files.map((f) => ({ path: `${pdpkgDir}${assets}${folder(names.flowSolution)}/${f.path}`, content: f.content })),
  ];
  return { names, zip, files, connectorSolution, flowSolution };
}
