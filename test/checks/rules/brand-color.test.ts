import { ruleTest } from '../helpers';

ruleTest('brand-color', {
  fail: [
    { name: 'the default blue', fail: (f) => { f.properties.properties.iconBrandColor = '#007EE5'; }, file: 'apiProperties.json', pointer: '/properties/iconBrandColor' },
    { name: 'white', fail: (f) => { f.properties.properties.iconBrandColor = '#ffffff'; }, file: 'apiProperties.json', pointer: '/properties/iconBrandColor' },
    { name: 'not a colour', fail: (f) => { f.properties.properties.iconBrandColor = 'orange'; }, file: 'apiProperties.json', pointer: '/properties/iconBrandColor' },
  ],
});
