import { GET_CALL, op, ruleTest } from '../helpers';

ruleTest('SecurityRequirementMustBeDefined', {
  pass: [{ name: 'an operation requiring a declared scheme', mutate: (f) => { op.getCall(f).security = [{ api_key: [] }]; } }],
  fail: [
    {
      // Annature's shape: the only requirement names a scheme securityDefinitions lacks.
      name: 'a top-level requirement whose only alternative names an undeclared scheme (an error)',
      fail: (f) => { f.definition.security = [{ api_key: [], partner_key: [] }]; },
      pointer: '/security/0',
      message: /'partner_key'/,
      severity: 'error',
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
