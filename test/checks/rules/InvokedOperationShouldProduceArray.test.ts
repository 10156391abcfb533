import { GET_CALL, op, ruleTest } from '../helpers';
import type { FixtureFiles } from '../fixture';

/** The call_id input of GetCallByID offers a dropdown filled by `target`, reading `collection`. */
const dropdown = (target: string, collection?: string) => (f: FixtureFiles) => {
  op.getCall(f).parameters[0]['x-ms-dynamic-values'] = { operationId: target, ...(collection ? { 'value-collection': collection } : {}), 'value-path': 'callID', 'value-title': 'caller' };
};
const AT = `${GET_CALL}/parameters/0/x-ms-dynamic-values/operationId`;

ruleTest('InvokedOperationShouldProduceArray', {
  pass: [
    { name: "a dropdown reading the polling trigger's data array", mutate: dropdown('GetCalls', 'data') },
    { name: 'a built-in dropdown (no operation of this connector)', mutate: (f) => { op.getCall(f).parameters[0]['x-ms-dynamic-values'] = { builtInOperation: 'AadGraph.GetUsers', 'value-path': 'id' }; } },
    {
      name: 'an operation whose whole answer is an array (no value-collection), through a $ref',
      mutate: (f) => {
        f.definition.definitions.Calls = { type: 'array', items: { $ref: '#/definitions/Call' } };
        op.getCalls(f).responses['200'].schema = { $ref: '#/definitions/Calls' };
        dropdown('GetCalls')(f);
      },
    },
  ],
  fail: [
    { name: 'a dropdown naming an operation the connector lacks', fail: dropdown('ListThings', 'data'), pointer: AT, message: /'ListThings', which is not an operation/ },
    { name: 'a dropdown reading an object (the by-ID answer)', fail: dropdown('GetCallByID', 'data'), pointer: AT, message: /does not produce an array at 'data' \(type object|no such property/ },
    { name: 'a value-collection that is not in the answer', fail: dropdown('GetCalls', 'items'), pointer: AT, message: /no such property/ },
    { name: 'an answer that is an object, without value-collection', fail: dropdown('GetCalls'), pointer: AT, message: /as its response/ },
  ],
});
