import { GET_CALL, op, ruleTest } from '../helpers';

ruleTest('SecurityRequirementMustBeDefined', {
  pass: [{ name: 'an operation requiring a declared scheme', mutate: (f) => { op.getCall(f).security = [{ api_key: [] }]; } }],
  fail: [
    // Scrive eSign: `security` offers `basic_auth`, which `securityDefinitions` lacks.
    { name: 'an alternative naming an undeclared scheme', fail: (f) => { f.definition.security.push({ basic_auth: [] }); }, pointer: '/security/1', message: /'basic_auth'/, severity: 'error' },
    { name: 'an operation naming an undeclared scheme', fail: (f) => { op.getCall(f).security = [{ oauth: [] }]; }, pointer: `${GET_CALL}/security/0` },
  ],
});
