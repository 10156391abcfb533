/**
 * The connector's reference page, in the layout of the public reference page: connector metadata,
 * connection, throttling, then every action and trigger with its parameters and returned fields.
 * Pure: the model in, Markdown out (the tables are read from the Swagger document the model yields,
 * so they show exactly what the designer shows).
 */
import { buildSwagger } from '../generate/swagger';
import type { ConnectorModel } from '../model/types';
import { documentedLimits } from '../model/limits';
import { code, document, table } from './markdown';
import { operationRows, type OperationRows } from './rows';

export const REFERENCE_PATH = 'docs/reference.md';

/** The line that names an operation under its heading; the cross-check test finds operations by it. */
export const operationIdLine = (operationId: string): string => `Operation ID: ${code(operationId)}`;

const KIND_LABEL: Record<OperationRows['kind'], string> = {
  action: 'Action',
  polling: 'Polling trigger',
  webhook: 'Webhook trigger',
};

function operationSection(op: OperationRows): string {
  const parameters =
    op.parameters.length === 0
      ? 'No parameters.'
      : table(
          ['Name', 'Key', 'Required', 'Type', 'Description'],
          op.parameters.map((p) => [p.name, p.key, p.required ? 'True' : 'False', p.type, p.description]),
        );
  const returns = op.file
    ? `Returns the file itself: **${op.file.name}** (binary), ${op.file.description.charAt(0).toLowerCase()}${op.file.description.slice(1)}`
    : op.returns.length === 0
      ? 'Returns nothing.'
      : table(
          ['Name', 'Path', 'Type', 'Description'],
          op.returns.map((f) => [f.name, f.path, f.type, f.description]),
        );
  return document([
    `### ${op.summary}`,
    `${operationIdLine(op.operationId)} · ${KIND_LABEL[op.kind]} · ${code(`${op.method.toUpperCase()} ${op.path}`)}`,
    op.description,
    op.hint ? `*${op.hint}*` : null,
    '#### Parameters',
    parameters,
    op.kind === 'webhook' ? '#### Returns (the event of each run)' : '#### Returns',
    returns,
  ]).trimEnd();
}

function overview(ops: readonly OperationRows[]): string {
  return table(
    ['Name', 'Description'],
    ops.map((op) => [op.summary, op.description]),
  );
}

export function buildReferencePage(model: ConnectorModel): string {
  const { brand, auth } = model;
  const ops = operationRows(buildSwagger(model));
  const actions = ops.filter((op) => op.kind === 'action');
  const triggers = ops.filter((op) => op.kind !== 'action');
  return document([
    `# ${brand.title}`,
    '<!-- Generated from the connector model by connector/docs/reference.ts (npm run build). Do not edit. -->',
    brand.description,
    '## Contact',
    table(['Name', 'Value'], [
      ['Name', brand.contact.name],
      ['URL', brand.contact.url],
      ['Email', brand.contact.email],
    ]),
    '## Connector metadata',
    table(['Name', 'Value'], [
      ['Publisher', brand.publisher],
      ['Version', brand.version],
      ['Website', brand.website],
      ['Privacy policy', brand.privacyPolicy],
      ['Categories', brand.categories.join(';')],
    ]),
    '## Creating a connection',
    'The connector supports one authentication type: an API key, sent in the ' +
      `${code(auth.header)} header. Paste the key as issued (${code('<key>')}) or with the prefix ` +
      `(${code('Bearer <key>')}); both forms work. The connection is not shareable.`,
    table(['Name', 'Type', 'Description', 'Required'], [[auth.displayName, 'securestring', auth.description, 'True']]),
    '## Throttling limits',
    table(['Name', 'Calls', 'Renewal period'], [
      ['API calls per connection', String(documentedLimits.callsPerConnection), `${documentedLimits.renewalSeconds} seconds`],
    ]),
    '## Actions',
    overview(actions),
    ...actions.map(operationSection),
    '## Triggers',
    overview(triggers),
    ...triggers.map(operationSection),
  ]);
}
