import type { FixtureFiles } from '../fixture';
import { GET_CALL, op, ruleTest } from '../helpers';

/** A connection declared only in the definition: apiProperties.json without connection parameters or policies sending one. */
const noConnectionInProperties = (f: FixtureFiles): void => {
  delete f.properties.properties.connectionParameters;
  f.properties.properties.policyTemplateInstances = f.properties.properties.policyTemplateInstances.filter((p: { templateId: string }) => p.templateId === 'pollingtrigger');
};

ruleTest('SecurityRequirementMustBeDefined', {
  pass: [{ name: 'an operation requiring a declared scheme', mutate: (f) => { op.getCall(f).security = [{ api_key: [] }]; } }],
  fail: [
    {
      name: 'a top-level requirement whose only alternative names an undeclared scheme, and no connection declared anywhere (an error)',
      fail: (f) => { f.definition.security = [{ partner_key: [] }]; f.definition.securityDefinitions = {}; noConnectionInProperties(f); },
      pointer: '/security/0',
      message: /'partner_key'/,
      severity: 'error',
    },
    {
      // Certified Truth Enforcer: `security` names 'Activation Token', securityDefinitions declares
      // api_key, and there is no apiProperties.json: the connection is built from api_key.
      name: 'an undeclared requirement beside a declared scheme, without apiProperties.json (a warning: Truth Enforcer)',
      fail: (f) => { f.definition.security = [{ 'Activation Token': [] }]; delete (f as { properties?: unknown }).properties; },
      pointer: '/security/0',
      message: /'Activation Token'.*builds the connection from the declared scheme \('api_key'\)/,
      severity: 'warn',
    },
    {
      // Annature's shape: `security` names partner_key, which securityDefinitions lacks, but the
      // connection parameters are in apiProperties.json and setheader policies send them.
      name: 'the same requirement when apiProperties.json declares the connection (a warning: Annature)',
      fail: (f) => {
        f.definition.security = [{ api_client_id: [], api_key: [], partner_key: [] }];
        f.definition.securityDefinitions = { api_client_id: { type: 'apiKey', in: 'header', name: 'X-Annature-Id' }, api_key: { type: 'apiKey', in: 'header', name: 'X-Annature-Key' } };
        f.properties.properties.connectionParameters = {
          api_client_id: { type: 'string', uiDefinition: { displayName: 'Id', description: 'Id', constraints: { required: 'true' } } },
          api_key: { type: 'securestring', uiDefinition: { displayName: 'Key', description: 'Key', constraints: { required: 'true' } } },
        };
        f.properties.properties.policyTemplateInstances.push({
          templateId: 'setheader', title: 'SetId',
          parameters: { 'x-ms-apimTemplateParameter.name': 'X-Annature-Id', 'x-ms-apimTemplateParameter.value': "@connectionParameters('api_client_id')", 'x-ms-apimTemplateParameter.existsAction': 'override', 'x-ms-apimTemplate-policySection': 'Request' },
        });
      },
      pointer: '/security/0',
      message: /'partner_key'.*declared in apiProperties\.json/,
      severity: 'warn',
    },
    {
      name: 'a connection declared only by a policy sending a connection parameter (a warning)',
      fail: (f) => {
        f.definition.security = [{ partner_key: [] }];
        f.definition.securityDefinitions = {};
        noConnectionInProperties(f);
        f.properties.properties.policyTemplateInstances.push({ templateId: 'setheader', title: 'h', parameters: { 'x-ms-apimTemplateParameter.value': "@connectionParameters('partner_key')" } });
      },
      pointer: '/security/0',
      message: /declared in apiProperties\.json/,
      severity: 'warn',
    },
    {
      // Scrive eSign: `basic_auth` is undeclared but the `oauth2-auth` alternative is declared.
      name: 'an undeclared alternative beside a declared one (a warning)',
      fail: (f) => { f.definition.security.push({ basic_auth: [] }); },
      pointer: '/security/1',
      message: /'basic_auth'/,
      severity: 'warn',
    },
    // Bloomflow: one operation names an undeclared key scheme; the connection's key is still sent.
    { name: 'an operation naming an undeclared scheme (a warning)', fail: (f) => { op.getCall(f).security = [{ oauth: [] }]; }, pointer: `${GET_CALL}/security/0`, severity: 'warn' },
  ],
});
