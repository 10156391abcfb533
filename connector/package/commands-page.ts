/** COMMANDS.md of the package: the exact command lines for this package and target. */
import { document } from '../docs/markdown';
import type { ConnectorModel } from '../model/types';
import { certificationNames } from './certification-package';
import { deployFiles, pacCommands, paconnCommands } from './commands';
import { CONNECTOR_ID_PLACEHOLDER, type ResolvedTarget } from './target';

/** Microsoft's connector repository: the pull request goes to its `dev` branch. */
export const CONNECTORS_REPOSITORY = 'microsoft/PowerPlatformConnectors';

const fence = (lines: readonly string[], language = 'sh'): string => ['```' + language, ...lines, '```'].join('\n');

export function buildCommandsPage(model: ConnectorModel, target: ResolvedTarget): string {
  const { brand } = model;
  const names = certificationNames(brand);
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
    '## Certification, in order',
    `Publishing ${brand.version} takes three steps, in this order. The package is submitted by the connector's verified publisher, ` +
      `${brand.publisher}, from its own Partner Center account.`,
    '### 1. Open source: a pull request to the `dev` branch',
    `Replace ${'`certified-connectors/' + brand.certificationFolder + '/`'} in a fork of ${CONNECTORS_REPOSITORY} with the files of ${'`certification/`'}, ` +
      `on a branch of ${'`dev`'}, validate the definition (${'`paconn validate`'} runs Microsoft's rules remotely; sign in first with ${'`paconn login`'}) ` +
      `and open the pull request against ${CONNECTORS_REPOSITORY} ${'`dev`'} (not ${'`master`'}). Run from this folder:`,
    fence([
      'PACKAGE="$PWD"',
      `git clone --branch dev https://github.com/<your GitHub account>/PowerPlatformConnectors.git`,
      'cd PowerPlatformConnectors',
      `git switch -c ${brand.slug}-${brand.version}`,
      `cp "$PACKAGE"/certification/* "certified-connectors/${brand.certificationFolder}/"`,
      `paconn validate --api-def "certified-connectors/${brand.certificationFolder}/apiDefinition.swagger.json"`,
      `git add "certified-connectors/${brand.certificationFolder}" && git commit -m "${brand.title} ${brand.version}"`,
      `git push -u origin ${brand.slug}-${brand.version}`,
    ]),
    `Its ${'`apiProperties.json`'} keeps publisher and stack owner. Microsoft's engineers review the pull request (1 to 2 weeks a round) ` +
      'and merge it; only then does the submission below go ahead.',
    '### 2. Partner Center: the package',
    `The file to submit is ${'`certification-package/' + names.zip + '`'}: ${'`intro.md`'} and ${'`' + names.pdpkg + '`'}, whose ` +
      `${'`PkgAssets/`'} holds ${'`' + names.connectorSolution + '`'} (the connector alone) and ${'`' + names.flowSolution + '`'} ` +
      `(the connector and the sample flows on it), with ${'`ImportConfig.xml`'}; ${'`certification-package/unpacked/`'} shows the same files unzipped. ` +
      "Check it first with Microsoft's validator, `scripts/ConnectorPackageValidator.ps1` of the repository above; the script runs on Windows (it wants an absolute path with a drive letter):",
    fence([`pwsh -File ConnectorPackageValidator.ps1 -zipFilePath "C:\\<folder>\\${names.zip}" -isPluginEnabled n`], 'powershell'),
    'Then, in Partner Center: Marketplace offers → Microsoft 365 and Copilot program → New offer → Power Platform Connector; name the offer ' +
      'after the connector; give the package; in the notes for certification, give the reviewers a test account (an API key allowed to call every ' +
      'API method, with an IP access list that admits the platform) — never in the package; submit. The package is given as a link: ' +
      'publishers upload the zip to Azure Blob Storage and give its SAS URL, for example:',
    fence([
      `az storage blob upload --auth-mode login --account-name <storage account> --container-name <container> --name ${names.zip} --file certification-package/${names.zip}`,
      `az storage blob generate-sas --auth-mode login --as-user --account-name <storage account> --container-name <container> --name ${names.zip} --permissions r --expiry <YYYY-MM-DD> --full-uri`,
    ]),
    '### 3. What the reviewers test',
    `As Microsoft's certification pages describe it (the exact test list is Microsoft's): the package validator and the definition checks, then ` +
      `${'`' + names.connectorSolution + '`'} and ${'`' + names.flowSolution + '`'} imported into a test environment in that order, a connection made with ` +
      'the test account of the notes, and the operations and the sample flows run. ' +
      'The flow solution carries the connector so that the flows run on the version under review, not on the published one. ' +
      "The flows need the empty workbooks of `flows/` in the reviewer's OneDrive and a Teams channel, picked in the designer (their `PICK-IN-DESIGNER` values); " +
      `each turned-on flow with a webhook trigger holds one of the account's webhooks. Findings come back in Partner Center. Once approved, Microsoft deploys the ` +
      'connector to the preview region first, where the publisher tests it, then to every region.',
    '### The Package Deployer assembly',
    `${'`' + names.pdpkg + '`'} holds no Package Deployer assembly (the ${'`.dll`'} that ${'`pac package`'} builds): Microsoft's validator does not ` +
      'ask for one, and it cannot be built here. If a reviewer asks for it, build it on Windows with the .NET SDK and the Power Platform CLI, ' +
      'replace the package zip with the built one, and check the result again:',
    fence([
      `Expand-Archive certification-package\\${names.zip} -DestinationPath build`,
      `Expand-Archive build\\${names.pdpkg} -DestinationPath build\\pdpkg`,
      `pac package init --outputDirectory build\\${names.name}Package`,
      `cd build\\${names.name}Package`,
      `pac package add-solution --path ..\\pdpkg\\${names.assets}\\${names.connectorSolution}`,
      `pac package add-solution --path ..\\pdpkg\\${names.assets}\\${names.flowSolution}`,
      'dotnet publish -c Release',
      `Get-ChildItem bin\\Release\\*.pdpkg.zip | Copy-Item -Destination ..\\${names.pdpkg}`,
      'cd ..',
      `Compress-Archive -Path intro.md, ${names.pdpkg} -DestinationPath ${names.zip} -Force`,
      `pwsh -File ConnectorPackageValidator.ps1 -zipFilePath "$PWD\\${names.zip}" -isPluginEnabled n`,
    ], 'powershell'),
  ]);
}
