/** COMMANDS.md of the package: the exact command lines for this package and target. */
import { document } from '../docs/markdown';
import type { ConnectorModel } from '../model/types';
import { deployFiles, pacCommands, paconnCommands } from './commands';
import { CONNECTOR_ID_PLACEHOLDER, type ResolvedTarget } from './target';

const fence = (lines: readonly string[], language = 'sh'): string => ['```' + language, ...lines, '```'].join('\n');

export function buildCommandsPage(model: ConnectorModel, target: ResolvedTarget): string {
  const { brand } = model;
  const paconn = paconnCommands(target);
  const pac = pacCommands(target);
  const warning =
    target.placeholders.length === 0
      ? null
      : ['> **PLACEHOLDERS — replace before running:**', ...target.placeholders.map((p) => `> - ${p}`)].join('\n');
  return document([
    `# Deploying ${brand.title} ${brand.version}`,
    warning,
    `Run every command inside ${'`deploy/`'}: paconn and pac read the file names relative to the current folder. ` +
      `Every update passes ${'`' + deployFiles.script + '`'}: an update without the script removes the connector's custom code ` +
      '(API key normalisation, webhook Location, paging).',
    '## paconn (Power Platform Connectors CLI)',
    'Sign in once with `paconn login`. First deployment, then every later one:',
    fence(['cd deploy', paconn.create, paconn.update]),
    `The same with ${'`' + deployFiles.settings + '`'}, which names every file, the script included ` +
      '(paconn create writes the new connector id into it' +
      (target.connectorId === CONNECTOR_ID_PLACEHOLDER ? '; to update a connector created elsewhere, add `"connectorId": "<id>"` first, or paconn asks for it' : '') +
      '):',
    fence(['cd deploy', paconn.createWithSettings, paconn.updateWithSettings]),
    'Certification rules, checked remotely before a submission:',
    fence(['cd deploy', paconn.validate]),
    '## pac (Power Platform CLI)',
    'Sign in once with `pac auth create`. pac needs the connector GUID for updates (`pac connector list` shows it):',
    fence(['cd deploy', pac.create, pac.update]),
    '## Certification',
    `Copy ${'`certification/`'} to ${'`certified-connectors/' + brand.certificationFolder + '/`'} in a fork of microsoft/PowerPlatformConnectors, ` +
      `run ${'`' + paconn.validate + '`'} there, and open a pull request. Its ${'`apiProperties.json`'} keeps publisher and stack owner; ` +
      'the icon is uploaded with the submission.',
  ]);
}
