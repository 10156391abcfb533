import { ruleTest } from '../helpers';

ruleTest('RequiredPropertyMissing', {
  fail: [
    { name: 'a missing contact email', fail: (f) => { delete f.definition.info.contact.email; }, pointer: '/info/contact', message: /info\.contact\.email/ },
    { name: 'a missing contact', fail: (f) => { delete f.definition.info.contact; }, pointer: '/info', message: /info\.contact/ },
    { name: 'an empty title', fail: (f) => { f.definition.info.title = ' '; }, pointer: '/info', message: /info\.title/ },
  ],
});
