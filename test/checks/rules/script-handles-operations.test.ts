import type { FixtureFiles } from '../fixture';
import { GET_CALL, GET_CALLS, WEBHOOK, policy, ruleTest } from '../helpers';

/** The script's tables; null leaves a table out. */
interface Tables {
  webhooks?: string[] | null;
  /** operationId → [cursor parameter, id field] */
  polling?: Record<string, string[]> | null;
  actions?: string[] | null;
}

const quote = (names: string[]): string => names.map((n) => `"${n}"`).join(', ');

/**
 * Gives the fixture's script the tables script.csx dispatches on (by default: in step with the
 * fixture's definition), a special case for DeleteWebhookByID, and a scriptOperations naming all.
 */
function withTables(f: FixtureFiles, tables: Tables = {}): void {
  const webhooks = tables.webhooks === undefined ? ['CallStarted'] : tables.webhooks;
  const polling = tables.polling === undefined ? { GetCalls: ['initial_call_id', 'callID'] } : tables.polling;
  const actions = tables.actions === undefined ? ['GetCallByID'] : tables.actions;
  const declarations = [
    ...(webhooks ? [`    private static readonly HashSet<string> WebhookRegistrations = new HashSet<string> { ${quote(webhooks)} };`] : []),
    ...(polling
      ? [
        '    private static readonly Dictionary<string, PollingTrigger> PollingTriggers = new Dictionary<string, PollingTrigger>',
        '    {',
        ...Object.entries(polling).map(([name, args]) => `        { "${name}", new PollingTrigger(${quote(args)}) },`),
        '    };',
      ]
      : []),
    '    // Plain actions: forwarded, errors explained.',
    ...(actions ? [`    private static readonly HashSet<string> Actions = new HashSet<string> { ${quote(actions)} };`] : []),
  ];
  f.script = f.script
    .replace('{\n    public override', `{\n${declarations.join('\n')}\n\n    public override`)
    .replace(
      '        if (this.Context.OperationId == "CallStarted")',
      [
        '        if (this.Context.OperationId == "DeleteWebhookByID")',
        '        {',
        '            return await this.Context.SendAsync(this.Context.Request, this.CancellationToken).ConfigureAwait(false);',
        '        }',
        '        if (WebhookRegistrations.Contains(this.Context.OperationId))',
      ].join('\n'),
    );
  f.properties.properties.scriptOperations = ['GetCallByID', 'GetCalls', 'CallStarted', 'DeleteWebhookByID'];
}

const POLLING_ENTRY = '{ "GetCalls", new PollingTrigger("initial_call_id", "callID") },';

ruleTest('script-handles-operations', {
  pass: [
    { name: 'tables in step with the definition and DeleteWebhookByID handled by name', mutate: (f) => withTables(f) },
    { name: 'a connector folder without script.csx', mutate: (f) => { (f as { script?: string }).script = undefined; } },
    {
      name: 'an index initializer and a bracketed state expression',
      mutate: (f) => {
        withTables(f);
        f.script = f.script.replace(POLLING_ENTRY, '["GetCalls"] = new PollingTrigger("initial_call_id", "callID"),');
        policy(f)['x-ms-apimTemplateParameter.triggerConfig'].initial_call_id = "@{triggerBody()?['data'][0]?['callID']}";
      },
    },
    {
      name: 'an operation the script compares by name instead of a table',
      mutate: (f) => {
        withTables(f, { actions: [] });
        f.script = f.script.replace('== "DeleteWebhookByID")', '== "DeleteWebhookByID" || this.Context.OperationId == "GetCallByID")');
      },
    },
  ],
  fail: [
    {
      name: 'a webhook trigger missing from WebhookRegistrations',
      fail: (f) => withTables(f, { webhooks: [] }),
      pointer: WEBHOOK,
      message: /'CallStarted' is not in WebhookRegistrations of script\.csx \(line \d+\)/,
    },
    {
      name: 'a polling trigger missing from PollingTriggers',
      fail: (f) => withTables(f, { polling: {} }),
      pointer: GET_CALLS,
      message: /'GetCalls' is not in PollingTriggers/,
    },
    {
      name: 'a script without a PollingTriggers table while it keeps the others',
      fail: (f) => withTables(f, { polling: null }),
      pointer: GET_CALLS,
      message: /declares no PollingTriggers/,
    },
    {
      name: 'a cursor parameter other than the policy\'s',
      fail: (f) => withTables(f, { polling: { GetCalls: ['initial_id', 'callID'] } }),
      file: 'script.csx',
      pointer: '',
      message: /the cursor parameter 'initial_id' and id field 'callID', but its pollingtrigger policy uses 'initial_call_id' and 'callID'/,
    },
    {
      name: 'an id field other than the one of the policy\'s data[0] expression',
      fail: (f) => withTables(f, { polling: { GetCalls: ['initial_call_id', 'id'] } }),
      file: 'script.csx',
      pointer: '',
      message: /id field 'id', but .* 'callID'/,
    },
    {
      name: 'a policy whose expression changed while the script kept the old field',
      fail: (f) => {
        withTables(f);
        f.definition.definitions.Call.properties.callNumber = { type: 'integer', 'x-ms-summary': 'Call number', description: 'Number of the call.' };
        policy(f)['x-ms-apimTemplateParameter.triggerConfig'].initial_call_id = '@{triggerBody().data[0].callNumber}';
      },
      file: 'script.csx',
      pointer: '',
      message: /'callNumber'/,
    },
    {
      name: 'a PollingTriggers entry without both strings',
      fail: (f) => withTables(f, { polling: { GetCalls: ['initial_call_id'] } }),
      file: 'script.csx',
      pointer: '',
      message: /two strings/,
    },
    {
      name: 'an action of scriptOperations in no table',
      fail: (f) => withTables(f, { actions: [] }),
      file: 'apiProperties.json',
      pointer: '/properties/scriptOperations/0',
      message: /'GetCallByID' runs through script\.csx but is neither in Actions/,
    },
    {
      name: 'DeleteWebhookByID neither in a table nor compared by name',
      fail: (f) => { withTables(f); f.script = f.script.replace('== "DeleteWebhookByID")', '== "DeleteWebhook")'); },
      file: 'apiProperties.json',
      pointer: '/properties/scriptOperations/3',
      message: /'DeleteWebhookByID'/,
    },
    {
      name: 'an action missing from Actions when scriptOperations is absent (every operation runs through the script)',
      fail: (f) => { withTables(f, { actions: [] }); delete f.properties.properties.scriptOperations; },
      pointer: GET_CALL,
      message: /'GetCallByID'/,
    },
    {
      name: 'a name in a table that is no operation',
      fail: (f) => withTables(f, { actions: ['GetCallByID', 'GetCallById'] }),
      file: 'script.csx',
      pointer: '',
      message: /Actions names 'GetCallById', which is not an operationId/,
    },
    {
      name: 'a trigger in Actions',
      fail: (f) => withTables(f, { actions: ['GetCallByID', 'GetCalls'] }),
      file: 'script.csx',
      pointer: '',
      message: /Actions lists 'GetCalls', which is a polling trigger .* belongs in PollingTriggers/,
    },
    {
      name: 'an action in WebhookRegistrations',
      fail: (f) => withTables(f, { webhooks: ['CallStarted', 'GetCallByID'] }),
      file: 'script.csx',
      pointer: '',
      message: /WebhookRegistrations lists 'GetCallByID', which is an action; it belongs in Actions/,
    },
    {
      name: 'a name listed twice',
      fail: (f) => { withTables(f); f.script = f.script.replace(POLLING_ENTRY, `${POLLING_ENTRY}\n        ${POLLING_ENTRY}`); },
      file: 'script.csx',
      pointer: '',
      message: /'GetCalls' appears twice in PollingTriggers/,
    },
    {
      name: 'a table entry the script never runs for',
      fail: (f) => { withTables(f); f.properties.properties.scriptOperations = ['GetCallByID', 'GetCalls', 'DeleteWebhookByID']; },
      file: 'apiProperties.json',
      pointer: '/properties/scriptOperations',
      message: /'CallStarted' has an entry in WebhookRegistrations .* scriptOperations does not list it/,
    },
  ],
});
