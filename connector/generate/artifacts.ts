import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type BrandLayout, brandLayouts, brandPath, primaryBrand } from '../brand';
import { brandScript } from '../brand/script';
import { unfilledPlaceholder } from '../brand/texts';
import { parseBaseline } from '../compat/baseline-format';
import type { Surface } from '../compat/surface';
import { documentationArtifacts } from '../docs';
import { connector, connectorFor } from '../model/connector';
import type { ConnectorModel } from '../model/types';
import { toJson } from './json';
import { buildProperties } from './properties';
import { buildSwagger } from './swagger';

export interface Artifact {
  /** Relative to the project root, with forward slashes. */
  path: string;
  content: string;
}

/** The committed inputs the build reads besides the model: the script template and each brand's baseline. */
export interface BuildSources {
  /** script.csx as committed (the template: its brand block is rewritten per brand). */
  script: string;
  /** Baseline surface by brand slug. */
  baselines: Record<string, Surface>;
}

const projectRoot = join(__dirname, '..', '..');

/** Reads the build's inputs from the project (the only disk access of the build). */
export function readSources(root: string = projectRoot): BuildSources {
  const baselines: Record<string, Surface> = {};
  for (const layout of brandLayouts()) {
    const file = join(root, layout.baselineFile);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      throw new Error(
        `the ${layout.brand.title} baseline ${layout.baselineFile} is missing; create it from the brand's published 1.0 folder: ` +
          `npm run baseline -- --brand ${layout.brand.slug} --from <folder>`,
      );
    }
    baselines[layout.brand.slug] = parseBaseline(JSON.parse(text), layout.baselineFile);
  }
  return { script: readFileSync(join(root, 'script.csx'), 'utf8'), baselines };
}

/** One brand's files: definition, properties, script and docs, in the brand's folder. Pure. */
export function brandArtifacts(layout: BrandLayout, model: ConnectorModel, sources: BuildSources): Artifact[] {
  const at = (file: string): string => brandPath(layout, file);
  const baseline = sources.baselines[layout.brand.slug];
  if (baseline === undefined) throw new Error(`no baseline for brand ${layout.brand.slug} (${layout.baselineFile})`);
  const artifacts = [
    { path: at('apiDefinition.swagger.json'), content: toJson(buildSwagger(model)) },
    { path: at('apiProperties.json'), content: toJson(buildProperties(model)) },
    { path: at('script.csx'), content: brandScript(sources.script, layout.brand) },
    ...documentationArtifacts(model, baseline, layout.baselineFile).map((doc) => ({ path: at(doc.path), content: doc.content })),
  ];
  for (const artifact of artifacts) {
    // A placeholder in a text the model does not carry (e.g. a constant a builder imports) is never filled.
    const left = unfilledPlaceholder(artifact.content);
    if (left !== undefined) throw new Error(`${artifact.path} still holds the brand placeholder ${left}; put the text into the model (or the profile) so that applyBrand fills it`);
  }
  return artifacts;
}

/**
 * Every generated file of the connector, for every brand (checks/artifacts.ts adds the check's own docs/rules.md). `npm run build` writes them; `npm run
 * check` compares them with the committed files. `model` replaces the primary brand's connector
 * (tests pass a changed one). Pure once the sources are read.
 */
export function buildArtifacts(model: ConnectorModel = connector, sources: BuildSources = readSources()): Artifact[] {
  return brandLayouts().flatMap((layout) =>
    brandArtifacts(layout, layout.brand.slug === primaryBrand.slug ? model : connectorFor(layout.brand), sources),
  );
}
