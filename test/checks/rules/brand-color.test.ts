import { ruleTest } from '../helpers';

ruleTest('brand-color', {
  fail: [
    { name: 'the default blue', fail: (f) => { f.properties.properties.iconBrandColor = '#007ee5'; }, file: 'apiProperties.json', pointer: '/properties/iconBrandColor', severity: 'warn' },
    // DocuSign ships #FFFFFF: a warning (certified connectors carry it), still found.
    { name: 'white, upper case', fail: (f) => { f.properties.properties.iconBrandColor = '#FFFFFF'; }, file: 'apiProperties.json', pointer: '/properties/iconBrandColor', severity: 'warn' },
    { name: 'not a colour', fail: (f) => { f.properties.properties.iconBrandColor = 'orange'; }, file: 'apiProperties.json', pointer: '/properties/iconBrandColor' },
  ],
});
