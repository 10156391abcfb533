/**
 * Every generated file of the project: the connector's (per brand, from connector/generate/) and the
 * check's own rule catalogue, docs/rules.md. Composed here, a layer above the model, so that the
 * model's generators never import the checks.
 */
import { type Artifact, buildArtifacts } from '../connector/generate/artifacts';
import { renderRulesDoc } from './docs';

export const RULES_DOC_PATH = 'docs/rules.md';

export function projectArtifacts(): Artifact[] {
  return [...buildArtifacts(), { path: RULES_DOC_PATH, content: renderRulesDoc() }];
}
