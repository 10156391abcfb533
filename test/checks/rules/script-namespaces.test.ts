import { ruleTest } from '../helpers';

ruleTest('script-namespaces', {
  pass: [
    { name: 'a using statement and a commented directive', mutate: (f) => { f.script = f.script.replace('public class', '// using System.Reflection;\npublic class') + '\n// using (var x = y) { }'; } },
    { name: 'qualified names in allowed namespaces, and a disallowed one in a string', mutate: (f) => { f.script += '\nclass Q { byte[] b = System.Text.Encoding.UTF8.GetBytes("System.Globalization.CultureInfo"); int m = System.Math.Max(1, 2); }'; } },
  ],
  // Snowflake v2 imports a namespace outside Microsoft's list: an error (the code does not compile on upload).
  fail: [
    { fail: (f) => { f.script = 'using System.Reflection;\n' + f.script; }, file: 'script.csx', pointer: '', message: /line 1: .*System\.Reflection/, severity: 'error' },
    // No using at all: the namespace is reached by its full name.
    { fail: (f) => { f.script = 'class Q { string s = 1.5.ToString(System.Globalization.CultureInfo.InvariantCulture); }\n' + f.script; }, file: 'script.csx', pointer: '', message: /line 1: .*System\.Globalization.*fully qualified/, severity: 'error' },
  ],
});
