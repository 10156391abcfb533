/**
 * Where the package deploys to: environment and connector id from the command line or the
 * PP_ENVIRONMENT / PP_CONNECTOR_ID variables, placeholders when absent. pac identifies a connector by
 * its Dataverse GUID, paconn by its API name: the pac id is --pac-connector-id (PP_PAC_CONNECTOR_ID),
 * or the connector id when that is a GUID.
 *
 * paconn's settings schema only accepts a lowercase GUID as environment (an empty string fails
 * it), so without one settings.json leaves the key out and paconn asks for it; so does it without a
 * connector id (paconn asks only for an absent or empty one, so a placeholder would be the target); the commands leave
 * `--env`/`--environment` out too (pac then uses the environment of its auth profile). COMMANDS.md
 * and the package command name every placeholder in use.
 */
import type { Target } from './commands';

export const CONNECTOR_ID_PLACEHOLDER = 'REPLACE-WITH-CONNECTOR-ID';
export const PAC_CONNECTOR_ID_PLACEHOLDER = '<connector-guid-from-pac-connector-list>';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export interface ResolvedTarget extends Target {
  /** Human-readable notes on each placeholder in use; empty when everything was given. */
  placeholders: string[];
}

export class TargetError extends Error {
  override name = 'TargetError';
}

export function resolveTarget(given: { environment?: string; connectorId?: string; pacConnectorId?: string }): ResolvedTarget {
  const placeholders: string[] = [];
  const rawEnvironment = given.environment?.trim();
  let environment: string | undefined;
  if (rawEnvironment) {
    environment = rawEnvironment.toLowerCase();
    if (!GUID.test(environment)) {
      throw new TargetError(
        `Environment "${rawEnvironment}" is not an environment GUID (00000000-0000-0000-0000-000000000000 form). ` +
          'Copy the environment ID from the Power Platform admin center (Environments → your environment → Environment ID) ' +
          'and pass it with --environment or PP_ENVIRONMENT.',
      );
    }
  } else {
    placeholders.push(
      'no environment given: settings.json leaves it out and paconn asks for it; the pac commands use the environment of your pac auth profile. ' +
        'Rerun with --environment <GUID> (or PP_ENVIRONMENT) to name it.',
    );
  }
  const rawConnectorId = given.connectorId?.trim();
  let connectorId: string;
  if (rawConnectorId) {
    if (/\s/.test(rawConnectorId)) throw new TargetError(`Connector id "${rawConnectorId}" contains spaces; pass the id paconn create printed.`);
    connectorId = rawConnectorId;
  } else {
    connectorId = CONNECTOR_ID_PLACEHOLDER;
    placeholders.push(
      `no connector id given: settings.json leaves connectorId out (paconn create --settings writes the new id into it; paconn update --settings asks for it) ` +
        `and the paconn update line says ${CONNECTOR_ID_PLACEHOLDER}: for update rerun with --connector-id <id> (or PP_CONNECTOR_ID).`,
    );
  }
  const rawPac = given.pacConnectorId?.trim().toLowerCase();
  if (rawPac && !GUID.test(rawPac)) {
    throw new TargetError(`pac connector id "${given.pacConnectorId}" is not a GUID; "pac connector list" shows the connector's GUID.`);
  }
  const pacConnectorId = rawPac || (GUID.test(connectorId.toLowerCase()) ? connectorId.toLowerCase() : PAC_CONNECTOR_ID_PLACEHOLDER);
  if (pacConnectorId === PAC_CONNECTOR_ID_PLACEHOLDER) {
    placeholders.push(
      `pac connector update needs the connector's GUID ("pac connector list" shows it): rerun with --pac-connector-id <GUID> ` +
        `(or PP_PAC_CONNECTOR_ID), or replace ${PAC_CONNECTOR_ID_PLACEHOLDER}.`,
    );
  }
  return { environment, connectorId, pacConnectorId, placeholders };
}
