import { ruleTest } from '../helpers';

ruleTest('ValueContainsRestrictedWords', {
  pass: [{ name: '"api" inside a word', mutate: (f) => { f.definition.info.title = 'Rapid Calls'; } }],
  fail: [
    { name: '"API" in the title', fail: (f) => { f.definition.info.title = 'Sample API'; }, pointer: '/info/title', message: /API/ },
    { name: '"Connector" in the title', fail: (f) => { f.definition.info.title = 'Sample connector'; }, pointer: '/info/title' },
    { name: 'a product name in the description', fail: (f) => { f.definition.info.description += ' Use it in Power Automate flows.'; }, pointer: '/info/description', message: /Power Automate/ },
  ],
});
