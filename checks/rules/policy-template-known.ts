import { PROPERTIES_FILE, isObject, policyTemplateId, str } from '../connector';
import { editDistance } from '../../lib/edit-distance';
import { pointer } from '../../lib/finding';
import { type Rule, type RuleHit, SOURCES } from '../rule';

/** The policy templates the platform documents (policy template documentation, paconn's apiProperties schema). */
export const POLICY_TEMPLATES = [
  'convertarraytoobject', 'convertobjecttoarray', 'dynamichosturl', 'encodepropertyvalue', 'pollingtrigger',
  'routerequesttoendpoint', 'setconnectionstatustounauthenticated', 'setheader', 'setproperty', 'setqueryparameter',
  'setvaluefromurl', 'stringreplace', 'stringtoarray', 'updatenextlink',
];

export const rule: Rule = {
  id: 'policy-template-known',
  severity: 'error',
  description: 'Every policy in `policyTemplateInstances` has a `templateId`, and it names a template the platform documents (compared without case: `dynamicHostUrl` is `dynamichosturl`).',
  fix: `Give the policy its templateId; use one of ${POLICY_TEMPLATES.join(', ')} (any case).`,
  severityReason:
    'Error only for a policy without a templateId (or an empty one): paconn\'s apiProperties schema requires a non-empty string and there is no template to instantiate. ' +
    'Template ids compare without case: Microsoft\'s own certified connectors write `dynamicHostUrl` (CognitiveServicesQuestionAnswering), `SetProperty`, `StringReplace`, ' +
    '`ConvertObjectToArray` and `setQueryParameter`, and they run (53 such policies were reported as errors before). An id the documentation does not list is a warning: ' +
    'the schema accepts any string and the platform may know templates the documentation does not name, so the failure is not proven.',
  source: SOURCES.policies,
  check(c) {
    const list = c.apiProperties?.policyTemplateInstances;
    if (!Array.isArray(list)) return [];
    const hits: RuleHit[] = [];
    list.forEach((policy, i) => {
      if (!isObject(policy)) return;
      const id = policyTemplateId(policy);
      if (id !== undefined && POLICY_TEMPLATES.includes(id)) return;
      const name = str(policy.title) ?? String(i);
      const at = pointer('properties', 'policyTemplateInstances', i, 'templateId');
      if (id === undefined || id.trim() === '') {
        hits.push({ file: PROPERTIES_FILE, pointer: at, message: `The policy '${name}' has no templateId, so there is no template to create it from.` });
        return;
      }
      const squeezed = id.replace(/[^a-z]/g, '');
      const near = POLICY_TEMPLATES.find((t) => t === squeezed) ?? POLICY_TEMPLATES.find((t) => editDistance(t, squeezed) <= 2);
      hits.push({
        file: PROPERTIES_FILE,
        pointer: at,
        severity: 'warn',
        message: `The policy '${name}' uses the template '${str(policy.templateId)}', which the policy template documentation does not list${near ? ` (did you mean '${near}'?)` : ''}; if the platform does not know it either, the operations it names get no such policy.`,
      });
    });
    return hits;
  },
};
