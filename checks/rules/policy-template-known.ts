import { PROPERTIES_FILE, isObject, str } from '../connector';
import { pointer } from '../../lib/finding';
import { type Rule, type RuleHit, SOURCES } from '../rule';

/** The policy templates the platform offers (paconn's apiProperties schema and the policy template documentation). */
export const POLICY_TEMPLATES = [
  'convertarraytoobject', 'convertobjecttoarray', 'dynamichosturl', 'encodepropertyvalue', 'pollingtrigger',
  'routerequesttoendpoint', 'setconnectionstatustounauthenticated', 'setheader', 'setproperty', 'setqueryparameter',
  'setvaluefromurl', 'stringreplace', 'stringtoarray', 'updatenextlink',
];

export const rule: Rule = {
  id: 'policy-template-known',
  severity: 'error',
  description: 'Every policy in `policyTemplateInstances` names a template the platform has (`templateId`, e.g. `pollingtrigger`, `setheader`).',
  fix: `Correct the templateId (they are lower case): ${POLICY_TEMPLATES.join(', ')}.`,
  severityReason: 'Import: a policy of a template the platform does not have cannot be created, and the behaviour it was meant to add (a polling state, a header) is missing at runtime.',
  source: SOURCES.policies,
  check(c) {
    const list = c.apiProperties?.policyTemplateInstances;
    if (!Array.isArray(list)) return [];
    const hits: RuleHit[] = [];
    list.forEach((policy, i) => {
      if (!isObject(policy)) return;
      const id = str(policy.templateId);
      if (id !== undefined && POLICY_TEMPLATES.includes(id)) return;
      const near = id === undefined ? undefined : POLICY_TEMPLATES.find((t) => t === id.toLowerCase().replace(/[^a-z]/g, ''));
      hits.push({
        file: PROPERTIES_FILE,
        pointer: pointer('properties', 'policyTemplateInstances', i, 'templateId'),
        message: id === undefined
          ? `The policy '${str(policy.title) ?? i}' has no templateId.`
          : `The policy '${str(policy.title) ?? i}' uses the unknown template '${id}'${near ? ` (did you mean '${near}'?)` : ''}; the operations it names get no such policy.`,
      });
    });
    return hits;
  },
};
