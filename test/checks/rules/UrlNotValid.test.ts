import { ruleTest } from '../helpers';

ruleTest('UrlNotValid', {
  fail: [
    { name: 'a relative contact URL', fail: (f) => { f.definition.info.contact.url = 'support.example.com'; }, pointer: '/info/contact/url' },
    { name: 'a privacy policy without scheme', fail: (f) => { f.definition['x-ms-connector-metadata'][1].propertyValue = 'www.example.com/privacy'; }, pointer: '/x-ms-connector-metadata/1/propertyValue', message: /Privacy policy/ },
  ],
});
