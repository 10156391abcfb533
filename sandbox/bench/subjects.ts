/**
 * The two connectors a benchmark compares: this project's (definition, properties and script.csx
 * of one brand's folder: the top level, or brands/<slug>/) and that brand's production 1.0 baseline (a folder with its definition and properties;
 * it has no custom code, so the gateway runs it without a script).
 */
import * as fs from 'fs';
import * as path from 'path';
import { SandboxConnector } from '../connector';

export interface BenchSubjects {
  ours: SandboxConnector;
  baseline?: SandboxConnector;
  /** Why the baseline is missing, when it is. */
  baselineNote?: string;
}

export function loadSubjects(folder: string, baselineFolder: string): BenchSubjects {
  const ours = SandboxConnector.fromFolder(folder, 'this connector');
  const files = ['apiDefinition.swagger.json', 'apiProperties.json'].map((f) => path.join(baselineFolder, f));
  if (!files.every((f) => fs.existsSync(f))) {
    return { ours, baselineNote: `baseline folder ${baselineFolder} not found (or incomplete): baseline figures are null` };
  }
  return { ours, baseline: SandboxConnector.fromFolder(baselineFolder, 'production 1.0', { withScript: false }) };
}
