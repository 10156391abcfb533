/**
 * The structure of apiProperties.json, checked always (Microsoft's schema runs only with
 * `--ms-schemas`): a wrong type on a key the platform reads is an error; a key it does not know is a
 * warning (certified connectors carry some, e.g. `script`).
 */
import { PROPERTIES_FILE, isObject } from '../connector';
import { pointer } from '../../lib/finding';
import { type Rule, type RuleHit, SOURCES } from '../rule';

const CONNECTION_TYPES = ['string', 'securestring', 'int', 'bool', 'oauthSetting', 'gatewaySetting'];

type Kind = 'string' | 'object' | 'array' | 'string[]';
const KEYS: Record<string, Kind> = {
  iconBrandColor: 'string',
  publisher: 'string',
  stackOwner: 'string',
  capabilities: 'string[]',
  connectionParameters: 'object',
  connectionParameterSets: 'object',
  policyTemplateInstances: 'array',
  scriptOperations: 'string[]',
};

function hasKind(value: unknown, kind: Kind): boolean {
  if (kind === 'string') return typeof value === 'string';
  if (kind === 'object') return isObject(value);
  if (kind === 'array') return Array.isArray(value);
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

const KIND_TEXT: Record<Kind, string> = { string: 'a string', object: 'an object', array: 'an array', 'string[]': 'an array of strings' };

export const rule: Rule = {
  id: 'api-properties-structure',
  severity: 'error',
  description: 'apiProperties.json has the structure the platform reads: a `properties` object whose known keys have the right types, connection parameters with a known `type`, policies with a `templateId` and `parameters` object.',
  fix: 'Correct the value at the reported pointer (e.g. `capabilities: []`, `"type": "securestring"`); remove keys the platform does not read.',
  severityReason: 'Import: paconn and the portal refuse properties of the wrong type. Unknown keys are only warnings: certified connectors carry some (e.g. `script`).',
  source: SOURCES.apiProperties,
  check(c) {
    const hit = (ptr: string, message: string, severity?: 'warn'): RuleHit => ({ file: PROPERTIES_FILE, pointer: ptr, message, ...(severity ? { severity } : {}) });
    if (c.properties === undefined) {
      // No file is the missing-file warning; a file that is JSON but no object (null, an array, a string) holds nothing the platform reads.
      if (c.propertiesFile === undefined) return [];
      const held = c.propertiesFile === null ? 'null' : Array.isArray(c.propertiesFile) ? 'an array' : `a ${typeof c.propertiesFile}`;
      return [hit('', `apiProperties.json holds ${held}, not an object with a 'properties' object.`)];
    }
    const props = c.apiProperties;
    if (!props) return [hit('', "apiProperties.json has no 'properties' object.")];
    const hits: RuleHit[] = [];
    for (const [key, value] of Object.entries(props)) {
      const kind = KEYS[key];
      if (kind === undefined) hits.push(hit(pointer('properties', key), `'properties.${key}' is not a key the platform reads.`, 'warn'));
      else if (!hasKind(value, kind)) hits.push(hit(pointer('properties', key), `'properties.${key}' must be ${KIND_TEXT[kind]}.`));
    }
    if (isObject(props.connectionParameters)) {
      for (const [name, param] of Object.entries(props.connectionParameters)) {
        const type = isObject(param) ? param.type : undefined;
        if (typeof type !== 'string' || !CONNECTION_TYPES.includes(type)) {
          hits.push(hit(pointer('properties', 'connectionParameters', name), `The connection parameter '${name}' must have a type among ${CONNECTION_TYPES.join(', ')} (it has ${JSON.stringify(type ?? null)}).`));
        }
      }
    }
    if (Array.isArray(props.policyTemplateInstances)) {
      props.policyTemplateInstances.forEach((policy, i) => {
        const at = pointer('properties', 'policyTemplateInstances', i);
        if (!isObject(policy)) hits.push(hit(at, 'A policy must be an object with templateId, title and parameters.'));
        else if (policy.parameters !== undefined && !isObject(policy.parameters)) hits.push(hit(`${at}/parameters`, "A policy's 'parameters' must be an object."));
      });
    }
    return hits;
  },
};
