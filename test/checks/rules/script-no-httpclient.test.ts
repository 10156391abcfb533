import { ruleTest } from '../helpers';

ruleTest('script-no-httpclient', {
  pass: [{ name: 'HttpClient in a comment or string', mutate: (f) => { f.script += '\n// never new HttpClient()\nvar s = "new HttpClient()";'; } }],
  fail: [{ fail: (f) => { f.script += '\nvar client = new System.Net.Http.HttpClient();'; }, file: 'script.csx', pointer: '', message: /line 22/ }],
});
