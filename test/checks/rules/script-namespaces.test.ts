import { ruleTest } from '../helpers';

ruleTest('script-namespaces', {
  pass: [
    { name: 'a using statement and a commented directive', mutate: (f) => { f.script = f.script.replace('public class', '// using System.Reflection;\npublic class') + '\n// using (var x = y) { }'; } },
    // Microsoft-authored certified scripts (Azure Communication Services Email, SMS, Identity) import ScriptBase's namespace.
    { name: 'the namespace of ScriptBase itself', mutate: (f) => { f.script = 'using Microsoft.PowerPlatform.Connectors.CustomCode.CSharp;\n' + f.script; } },
  ],
  // Snowflake v2 imports a namespace outside Microsoft's list: an error (the code does not compile on upload).
  fail: [{ fail: (f) => { f.script = 'using System.Reflection;\n' + f.script; }, file: 'script.csx', pointer: '', message: /line 1: .*System\.Reflection/, severity: 'error' }],
});
