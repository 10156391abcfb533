import { renderRulesDoc } from '../../checks/docs';
import { documentationArtifacts } from '../docs';
import { connector } from '../model/connector';
import type { ConnectorModel } from '../model/types';
import { toJson } from './json';
import { buildProperties } from './properties';
import { buildSwagger } from './swagger';

export interface Artifact {
  /** Relative to the project root, with forward slashes. */
  path: string;
  content: string;
}

/**
 * Every generated file of the project. `npm run build` writes them; `npm run check` compares them
 * with the committed files. Pure: nothing here touches the disk.
 */
export function buildArtifacts(model: ConnectorModel = connector): Artifact[] {
  return [
    { path: 'apiDefinition.swagger.json', content: toJson(buildSwagger(model)) },
    { path: 'apiProperties.json', content: toJson(buildProperties(model)) },
    ...documentationArtifacts(model),
    { path: 'docs/rules.md', content: renderRulesDoc() },
  ];
}
