import { ruleTest } from '../helpers';

const cut = (script: string, lines: number): string => script.split('\n').slice(0, -lines).join('\n');

ruleTest('script-truncated', {
  pass: [
    {
      name: 'braces inside strings, interpolations, chars and comments',
      mutate: (f) => {
        f.script = f.script.replace('// Subscribe', 'var a = "{"; var b = \'}\'; var d = $"{a}}}"; var e = @"}}"; /* { */ // }\n        // Subscribe');
      },
    },
  ],
  fail: [
    // A script.csx cut short: the last closing braces are gone.
    { name: 'a file cut short', fail: (f) => { f.script = cut(f.script, 3); }, file: 'script.csx', pointer: '', message: /line 10: this '\{' is never closed/, severity: 'error' },
    { name: 'a stray closing brace', fail: (f) => { f.script += '}\n'; }, file: 'script.csx', pointer: '', message: /closes nothing/ },
    { name: 'a block comment left open', fail: (f) => { f.script = f.script.replace('// Subscribe', '/* Subscribe'); }, file: 'script.csx', pointer: '', message: /line 11: a block comment is never closed/ },
  ],
});
