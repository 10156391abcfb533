import { ruleTest } from '../helpers';

ruleTest('schema-property-type', {
  pass: [
    { name: 'a property shaped by its properties', mutate: (f) => { f.definition.definitions.Call.properties.extra = { properties: { a: { type: 'string' } }, 'x-ms-summary': 'Extra', description: 'More.' }; } },
    { name: 'a property that is a reference to a typed definition', mutate: (f) => { f.definition.definitions.Call.properties.again = { $ref: '#/definitions/Call' }; } },
  ],
  fail: [
    // 7 of the 40 certified connectors: `"notes": { "description": "..." }` with no type.
    { name: 'a property with only a description', fail: (f) => { f.definition.definitions.Call.properties.notes = { 'x-ms-summary': 'Notes', description: 'Free text.' }; }, pointer: '/definitions/Call/properties/notes', message: /'notes' has no 'type'/, severity: 'warn' },
  ],
});
