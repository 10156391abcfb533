import { ruleTest } from '../helpers';

ruleTest('publisher-required', {
  fail: [
    // Huddle: no publisher key at all.
    { name: 'no publisher', fail: (f) => { delete f.properties.properties.publisher; }, file: 'apiProperties.json', pointer: '/properties', severity: 'warn' },
    // Zoho Mail: an empty string.
    { name: 'an empty publisher', fail: (f) => { f.properties.properties.publisher = ' '; }, file: 'apiProperties.json', pointer: '/properties' },
  ],
});
