/**
 * The command lines that deploy the package, built in one place so COMMANDS.md, the connector readme
 * and the tests agree. paconn and pac read file names relative to the current folder, so every
 * command runs inside `deploy/`.
 */

/** The file names of the deployable folder; settings.json names the same ones. */
export const deployFiles = {
  definition: 'apiDefinition.swagger.json',
  properties: 'apiProperties.json',
  script: 'script.csx',
  icon: 'icon.png',
  settings: 'settings.json',
} as const;

export interface Target {
  /** Power Platform environment GUID (paconn `--env`, pac `--environment`); absent: paconn asks, pac uses its auth profile's. */
  environment?: string;
  /** paconn's connector id (the API name paconn create prints, e.g. `shared_zvanu-...`). */
  connectorId: string;
  /** pac needs the connector's Dataverse GUID; a placeholder unless the given id is a GUID. */
  pacConnectorId: string;
}

/** Quotes a value for POSIX shells and PowerShell alike when it holds anything but safe characters. */
function arg(value: string): string {
  return /^[A-Za-z0-9_./:=@-]+$/.test(value) ? value : `"${value.replace(/"/g, '\\"')}"`;
}

const f = deployFiles;

export function paconnCommands(target: Target): { create: string; update: string; createWithSettings: string; updateWithSettings: string; validate: string } {
  const files = `--api-def ${f.definition} --api-prop ${f.properties} --script ${f.script} --icon ${f.icon}`;
  const env = target.environment ? ` --env ${arg(target.environment)}` : '';
  return {
    create: `paconn create ${files}${env}`,
    // Without --script, paconn update uploads no script and the connector loses its custom code.
    update: `paconn update ${files}${env} --cid ${arg(target.connectorId)}`,
    // create writes the new connector id back into settings.json; without the flag paconn stops to ask.
    createWithSettings: `paconn create --settings ${f.settings} --overwrite-settings`,
    updateWithSettings: `paconn update --settings ${f.settings}`,
    validate: `paconn validate --api-def ${f.definition}`,
  };
}

export function pacCommands(target: Target): { create: string; update: string } {
  const files =
    `--api-definition-file ${f.definition} --api-properties-file ${f.properties} ` +
    `--script-file ${f.script} --icon-file ${f.icon}`;
  const env = target.environment ? ` --environment ${arg(target.environment)}` : '';
  return {
    create: `pac connector create ${files}${env}`,
    update: `pac connector update --connector-id ${arg(target.pacConnectorId)} ${files}${env}`,
  };
}
