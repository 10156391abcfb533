import { ruleTest } from '../helpers';

ruleTest('ConnectorMetadataPropertiesMissing', {
  fail: [
    { name: 'no privacy policy', fail: (f) => { f.definition['x-ms-connector-metadata'].splice(1, 1); }, pointer: '/x-ms-connector-metadata', message: /Privacy policy/ },
    { name: 'no metadata at all', fail: (f) => { delete f.definition['x-ms-connector-metadata']; }, pointer: '', message: /Website/ },
  ],
});
