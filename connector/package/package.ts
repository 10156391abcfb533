/**
 * The release package, as files: `deploy/` for paconn and pac, `certification/` as Microsoft's
 * connectors repository expects a certified connector folder, and `COMMANDS.md`. Pure: the generated
 * files at the top level of the working tree come in as text, the package comes out as
 * {path, content}; scripts/package.ts reads, checks and writes.
 */
import { toJson } from '../generate/json';
import { buildConnectorReadme } from '../docs/connector-readme';
import type { ConnectorModel } from '../model/types';
import { buildCommandsPage } from './commands-page';
import { deployFiles } from './commands';
import { buildIcon } from './icon';
import { buildSolution, type FlowSource, type Solution } from './solution';
import { CONNECTOR_ID_PLACEHOLDER, resolveTarget } from './target';

export interface PackageFile {
  /** Relative to the package folder `dist/<slug>/`, forward slashes. */
  path: string;
  content: string | Buffer;
}

export interface PackageInput {
  model: ConnectorModel;
  /** The top-level files as they are in the working tree, byte for byte. */
  definition: string;
  properties: string;
  script: string;
  environment?: string;
  connectorId?: string;
  /** The connector's Dataverse GUID for `pac connector update`. */
  pacConnectorId?: string;
  /** The Power Automate flows (flows/power-automate/*.json) for the solution; none: no solution. */
  flows?: readonly FlowSource[];
}

export class PackageError extends Error {
  override name = 'PackageError';
}

type Json = Record<string, unknown>;

function parseProperties(text: string): { properties: Json } & Json {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new PackageError(`apiProperties.json is not valid JSON (${(error as Error).message}); run npm run build.`);
  }
  const record = parsed as Json;
  if (typeof record !== 'object' || record === null || typeof record.properties !== 'object' || record.properties === null) {
    throw new PackageError('apiProperties.json has no "properties" object; run npm run build.');
  }
  return record as { properties: Json } & Json;
}

/** paconn and pac updates fail while `stackOwner` is present; certification needs it. */
export function withoutStackOwner(propertiesText: string): string {
  const parsed = parseProperties(propertiesText);
  const { stackOwner: _dropped, ...rest } = parsed.properties;
  return toJson({ ...parsed, properties: rest });
}

function requireCertificationFields(propertiesText: string): void {
  const { properties } = parseProperties(propertiesText);
  for (const key of ['publisher', 'stackOwner'] as const) {
    if (typeof properties[key] !== 'string' || properties[key] === '') {
      throw new PackageError(`apiProperties.json has no ${key}; certification needs it. Set it in the brand profile and run npm run build.`);
    }
  }
}

/**
 * paconn's settings. A key whose value is not known is left out, never filled with a placeholder:
 * paconn asks for `environment` and `connectorId` only when they are absent or empty, so a placeholder
 * would be sent as the target (paconn create writes the new connector id in with --overwrite-settings).
 */
export function buildSettings(target: { environment?: string; connectorId: string }): string {
  return toJson({
    ...(target.connectorId !== CONNECTOR_ID_PLACEHOLDER ? { connectorId: target.connectorId } : {}),
    ...(target.environment ? { environment: target.environment } : {}),
    apiProperties: deployFiles.properties,
    apiDefinition: deployFiles.definition,
    icon: deployFiles.icon,
    script: deployFiles.script,
  });
}

export interface BuiltPackage {
  files: PackageFile[];
  /** Placeholders in use (environment, connector id), for the writer to print. */
  placeholders: string[];
  /** The flows as an unmanaged solution (its files are under `solution/unpacked/`; the writer zips them). */
  solution?: Solution;
  /** The icon of `deploy/`, for the certification package's connector component. */
  icon: Buffer;
}

export function buildPackage(input: PackageInput): BuiltPackage {
  if (input.script.trim() === '') throw new PackageError('script.csx is empty; the connector needs its custom code.');
  requireCertificationFields(input.properties);
  const target = resolveTarget({ environment: input.environment, connectorId: input.connectorId, pacConnectorId: input.pacConnectorId });
  const icon = buildIcon(input.model.brand);
  const files: PackageFile[] = [
    { path: `deploy/${deployFiles.definition}`, content: input.definition },
    { path: `deploy/${deployFiles.properties}`, content: withoutStackOwner(input.properties) },
    { path: `deploy/${deployFiles.script}`, content: input.script },
    { path: `deploy/${deployFiles.icon}`, content: icon },
    { path: `deploy/${deployFiles.settings}`, content: buildSettings(target) },
    { path: 'certification/apiDefinition.swagger.json', content: input.definition },
    { path: 'certification/apiProperties.json', content: input.properties },
    { path: 'certification/script.csx', content: input.script },
    // Microsoft's repository names the file Readme.md.
    { path: 'certification/Readme.md', content: buildConnectorReadme(input.model) },
    { path: 'COMMANDS.md', content: buildCommandsPage(input.model, target) },
  ];
  const solution = input.flows && input.flows.length > 0 ? buildSolution(input.model.brand, input.flows) : undefined;
  for (const f of solution?.files ?? []) files.push({ path: `solution/unpacked/${f.path}`, content: f.content });
  return { files, placeholders: target.placeholders, solution, icon };
}
