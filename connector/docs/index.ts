/**
 * The generated documentation, as artifacts of `npm run build` (so `npm run check` fails when a
 * committed page is stale). The primary brand's published baseline is bundled as a module; the
 * others come in as arguments, so this stays pure.
 */
import published from '../baseline/published-1.0.json';
import { parseBaseline } from '../compat/baseline-format';
import type { Surface } from '../compat/surface';
import type { ConnectorModel } from '../model/types';
import { buildChangeReport, CHANGE_REPORT_PATH } from './change-report';
import { buildConnectorReadme, CONNECTOR_README_PATH } from './connector-readme';
import { buildReferencePage, REFERENCE_PATH } from './reference';

export const PRIMARY_BASELINE_FILE = 'connector/baseline/published-1.0.json';

export function publishedBaseline(): Surface {
  return parseBaseline(published, PRIMARY_BASELINE_FILE);
}

/** Paths relative to the brand's folder (`docs/…`). */
export function documentationArtifacts(
  model: ConnectorModel,
  baseline: Surface = publishedBaseline(),
  baselineFile: string = PRIMARY_BASELINE_FILE,
): Array<{ path: string; content: string }> {
  return [
    { path: CONNECTOR_README_PATH, content: buildConnectorReadme(model) },
    { path: REFERENCE_PATH, content: buildReferencePage(model) },
    { path: CHANGE_REPORT_PATH, content: buildChangeReport(model, baseline, baselineFile) },
  ];
}
