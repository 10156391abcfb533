import { ruleTest } from '../helpers';

const BLOCK = [
  '    // brand-texts:begin',
  '    private const string BrandProduct = "Sample Telephony";',
  '    private const string BrandPortal = "Sample Telephony admin portal";',
  '    // brand-texts:end',
];

/** Puts the brand block and `extra` lines right after the class's opening brace. */
const withBlock = (script: string, ...extra: string[]): string => script.replace('public class Script : ScriptBase\n{\n', (head) => head + [...BLOCK, ...extra].join('\n') + '\n');

ruleTest('script-brand-texts', {
  pass: [
    { name: 'texts used through the block’s constants', mutate: (f) => { f.script = withBlock(f.script, '    private const string Advice = "Fix it in the " + BrandPortal + ".";'); } },
    { name: 'a word that merely contains the name', mutate: (f) => { f.script = withBlock(f.script, '    // SampleTelephonyX and Sample-Telephony-2 are other words.'); } },
  ],
  fail: [
    {
      name: 'the product written out in a message',
      fail: (f) => { f.script = withBlock(f.script, '    private const string Advice = "Edit the connection in Sample Telephony.";'); },
      file: 'script.csx',
      pointer: '',
      message: /line 13: names the brand \("Sample Telephony"\) outside the brand block; use BrandProduct\./,
    },
    {
      name: 'the product named above the brand block',
      fail: (f) => { f.script = withBlock(f.script).replace('public class Script : ScriptBase', '// Custom code of the Sample Telephony connector.\npublic class Script : ScriptBase'); },
      file: 'script.csx',
      pointer: '',
      message: /names the brand \("Sample Telephony"\) outside the brand block; use BrandProduct\./,
    },
    {
      name: 'a second begin marker',
      fail: (f) => { f.script = withBlock(f.script, '    // brand-texts:begin'); },
      file: 'script.csx',
      pointer: '',
      message: /exactly one '\/\/ brand-texts:begin' line and one '\/\/ brand-texts:end' line \(found 2 and 1\)/,
    },
  ],
});
