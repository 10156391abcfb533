/**
 * The generated documentation, as artifacts of `npm run build` (so `npm run check` fails when a
 * committed page is stale). The published baseline is bundled as a module, so this stays pure.
 */
import published from '../baseline/published-1.0.json';
import { parseBaseline } from '../compat/baseline-format';
import type { Surface } from '../compat/surface';
import type { ConnectorModel } from '../model/types';
import { buildChangeReport, CHANGE_REPORT_PATH } from './change-report';
import { buildConnectorReadme, CONNECTOR_README_PATH } from './connector-readme';
import { buildReferencePage, REFERENCE_PATH } from './reference';

export function publishedBaseline(): Surface {
  return parseBaseline(published, 'connector/baseline/published-1.0.json');
}

export function documentationArtifacts(
  model: ConnectorModel,
  baseline: Surface = publishedBaseline(),
): Array<{ path: string; content: string }> {
  return [
    { path: CONNECTOR_README_PATH, content: buildConnectorReadme(model) },
    { path: REFERENCE_PATH, content: buildReferencePage(model) },
    { path: CHANGE_REPORT_PATH, content: buildChangeReport(model, baseline) },
  ];
}
