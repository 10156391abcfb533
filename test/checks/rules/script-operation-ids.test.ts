import { ruleTest } from '../helpers';

ruleTest('script-operation-ids', {
  pass: [
    {
      name: 'strings unrelated to the operation id',
      mutate: (f) => { f.script = f.script.replace('return await', 'this.Context.Logger.LogInformation("Running " + this.Context.OperationId);\n        return await'); },
    },
    {
      // Certified DocuSign: "GetWorkflowIds" for the operation GetWorkflowIDs, compared ignoring case.
      name: 'a comparison that ignores case, naming the operation in another case',
      mutate: (f) => { f.script = f.script.replace('this.Context.OperationId == "CallStarted"', '"callstarted".Equals(this.Context.OperationId, StringComparison.OrdinalIgnoreCase)'); },
    },
    {
      name: 'a set built with StringComparer.OrdinalIgnoreCase, and a switch on the lowered id',
      mutate: (f) => {
        f.script = f.script.replace('if (this.Context.OperationId', [
          'var hooks = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "CALLSTARTED" };',
          '        switch (this.Context.OperationId.ToLowerInvariant()) { case "getcalls": break; }',
          '        if (hooks.Contains(this.Context.OperationId) && this.Context.OperationId',
        ].join('\n'));
      },
    },
  ],
  fail: [
    {
      name: 'a comparison respecting case that names an existing operation in another case (an error: its branch never runs)',
      fail: (f) => { f.script = f.script.replace('== "CallStarted"', '== "callStarted"'); },
      file: 'script.csx',
      pointer: '',
      message: /'callStarted' respecting case, but the operation is 'CallStarted'/,
      severity: 'error',
    },
    {
      // DocuSign's dead `case` labels: names no operation has, in any case (a warning: dead code).
      name: 'an equality test naming no operation (a warning)',
      fail: (f) => { f.script = f.script.replace('== "CallStarted"', '== "CallStart"'); },
      file: 'script.csx',
      pointer: '',
      message: /'CallStart', which is not an operationId/,
      severity: 'warn',
    },
    {
      name: 'a list of names',
      fail: (f) => { f.script = f.script.replace('if (this.Context.OperationId', 'var webhooks = new[] { "CallStarted", "CallEnded" };\n        if (webhooks.Contains(this.Context.OperationId)'); },
      file: 'script.csx',
      pointer: '',
      message: /'CallEnded'/,
      severity: 'warn',
    },
    {
      name: 'a dead switch case',
      fail: (f) => { f.script = f.script.replace('return await', 'switch (this.Context.OperationId) { case "GetCall": break; }\n        return await'); },
      file: 'script.csx',
      pointer: '',
      message: /'GetCall'/,
      severity: 'warn',
    },
  ],
});
