import { ruleTest } from '../helpers';

ruleTest('script-class-name', {
  pass: [
    { name: 'a class declared without `public` and with more spacing', mutate: (f) => { f.script = f.script.replace('public class Script : ScriptBase', 'class Script   :  ScriptBase'); } },
    { name: 'a folder without script', mutate: (f) => { (f as { script?: string }).script = undefined; } },
  ],
  fail: [
    { name: 'a class named otherwise', fail: (f) => { f.script = f.script.replace('class Script', 'class MyScript'); }, file: 'script.csx', pointer: '', message: /line 7: .*'MyScript'/, severity: 'error' },
    { name: 'the class only in a comment', fail: (f) => { f.script = f.script.replace('public class Script : ScriptBase', '// public class Script : ScriptBase\npublic class Handler'); }, file: 'script.csx', pointer: '', message: /declares no/ },
  ],
});
