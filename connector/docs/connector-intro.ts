/**
 * intro.md of the certification package: what the connector does, its prerequisites, how to get a
 * key and its known issues, for the reviewers and the connector's page. The sections are the
 * connector readme's own (one text, two documents): they are taken from it by heading, so the two
 * cannot drift apart.
 */
import { buildSwagger } from '../generate/swagger';
import type { ConnectorModel } from '../model/types';
import { buildConnectorReadme } from './connector-readme';
import { document } from './markdown';
import { operationRows, type OperationRows } from './rows';

/** The body of `## <heading>` in a Markdown document (up to the next `## `); an error when it is missing. */
export function markdownSection(markdown: string, heading: string): string {
  const lines = markdown.split('\n');
  const start = lines.indexOf(`## ${heading}`);
  if (start < 0) throw new Error(`the connector readme has no "## ${heading}" section`);
  const end = lines.findIndex((line, i) => i > start && line.startsWith('## '));
  return lines.slice(start + 1, end < 0 ? undefined : end).join('\n').trim();
}

const KINDS: Array<{ kind: OperationRows['kind']; title: string }> = [
  { kind: 'webhook', title: 'Triggers called by the PBX the moment an event happens' },
  { kind: 'polling', title: 'Triggers that check the PBX on a schedule' },
  { kind: 'action', title: 'Actions' },
];

export function buildConnectorIntro(model: ConnectorModel): string {
  const { brand } = model;
  const readme = buildConnectorReadme(model);
  const ops = operationRows(buildSwagger(model));
  return document([
    `# ${brand.title}`,
    brand.description,
    `Publisher: ${brand.publisher}. Version ${brand.version}.`,
    '## What the connector does',
    ...KINDS.flatMap(({ kind, title }) => {
      const list = ops.filter((op) => op.kind === kind);
      return list.length === 0 ? [] : [`**${title}** (${list.length}):`, list.map((op) => `- ${op.summary}`).join('\n')];
    }),
    '## Prerequisites',
    markdownSection(readme, 'Prerequisites'),
    '## How to get an API key',
    markdownSection(readme, 'Obtaining Credentials'),
    '## Known issues and limitations',
    markdownSection(readme, 'Known Issues and Limitations'),
  ]);
}
