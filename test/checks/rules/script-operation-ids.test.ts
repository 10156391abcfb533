import { ruleTest } from '../helpers';

ruleTest('script-operation-ids', {
  pass: [{
    name: 'strings unrelated to the operation id',
    mutate: (f) => { f.script = f.script.replace('return await', 'this.Context.Logger.LogInformation("Running " + this.Context.OperationId);\n        return await'); },
  }],
  fail: [
    // DocuSign: script.csx branches on an operationId the definition does not have (an error: the branch never runs).
    { name: 'an equality test', fail: (f) => { f.script = f.script.replace('== "CallStarted"', '== "CallStart"'); }, file: 'script.csx', pointer: '', message: /'CallStart'/, severity: 'error' },
    {
      name: 'a list of names',
      fail: (f) => { f.script = f.script.replace('if (this.Context.OperationId', 'var webhooks = new[] { "CallStarted", "CallEnded" };\n        if (webhooks.Contains(this.Context.OperationId)'); },
      file: 'script.csx',
      pointer: '',
      message: /'CallEnded'/,
    },
    {
      name: 'a switch case',
      fail: (f) => { f.script = f.script.replace('return await', 'switch (this.Context.OperationId) { case "GetCall": break; }\n        return await'); },
      file: 'script.csx',
      pointer: '',
      message: /'GetCall'/,
    },
  ],
});
