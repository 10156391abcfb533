/**
 * A tiny connector that passes every rule: one action, one polling trigger, one webhook trigger
 * with its unsubscribe operation, shared schemas in `definitions`, apiProperties with the
 * polling policy, and a small script. Each rule test mutates a fresh copy.
 */
import type { ConnectorFiles } from '../../checks/connector';

export interface FixtureFiles extends ConnectorFiles {
  // Plain objects so tests can mutate them without casts.
  definition: Record<string, any>;
  properties: Record<string, any>;
  script: string;
}

const envelope = (data: object) => ({
  type: 'object',
  properties: {
    status: { type: 'string', 'x-ms-summary': 'Status', description: 'Outcome of the request, "success" or "error".' },
    data,
  },
});

export function baseFiles(): FixtureFiles {
  const definition = {
    swagger: '2.0',
    info: {
      title: 'Sample Telephony',
      description: 'Sample Telephony is a hosted phone system; this connector reads calls and reacts to call events.',
      version: '1.1',
      contact: { name: 'Sample Support', url: 'https://support.example.com', email: 'support@example.com' },
    },
    host: 'pbx.example.com',
    basePath: '/api/v2/',
    schemes: ['https'],
    consumes: [],
    produces: ['application/json'],
    paths: {
      '/calls/{call_id}': {
        get: {
          operationId: 'GetCallByID',
          summary: 'Get call by ID',
          description: 'Returns one call of the call history.',
          parameters: [
            {
              name: 'call_id',
              in: 'path',
              required: true,
              type: 'integer',
              'x-ms-summary': 'Call ID',
              description: 'Unique ID of the call.',
              'x-ms-url-encoding': 'single',
            },
          ],
          responses: {
            '200': { description: 'The call.', schema: envelope({ $ref: '#/definitions/Call' }) },
            default: { description: 'Operation failed.' },
          },
        },
      },
      '/trigger/calls': {
        get: {
          operationId: 'GetCalls',
          summary: 'When a call is registered',
          description: 'Triggers when a new call is registered.',
          'x-ms-trigger': 'batch',
          'x-ms-trigger-hint': 'To see it work, make a call.',
          parameters: [
            {
              name: 'initial_call_id',
              in: 'query',
              required: true,
              type: 'integer',
              default: 0,
              'x-ms-visibility': 'internal',
              'x-ms-summary': 'Initial call ID',
              description: 'Only calls with a greater ID are returned.',
            },
            {
              name: 'direction',
              in: 'query',
              required: false,
              type: 'string',
              enum: ['in', 'out'],
              'x-ms-summary': 'Direction',
              description: 'Return only incoming or only outgoing calls.',
            },
          ],
          responses: {
            '200': {
              description: 'New calls.',
              schema: envelope({ type: 'array', items: { $ref: '#/definitions/Call' }, 'x-ms-summary': 'Calls', description: 'The new calls, newest first.' }),
            },
          },
        },
      },
      '/webhooks/CallStarted': {
        'x-ms-notification-content': {
          description: 'A call started.',
          schema: { $ref: '#/definitions/CallEvent' },
        },
        post: {
          operationId: 'CallStarted',
          summary: 'When a call starts',
          description: 'Triggers when a call starts.',
          'x-ms-trigger': 'single',
          'x-ms-trigger-hint': 'To see it work, make a call.',
          consumes: ['application/json'],
          parameters: [
            {
              name: 'body',
              in: 'body',
              required: true,
              'x-ms-visibility': 'internal',
              schema: {
                type: 'object',
                required: ['endpoint'],
                properties: {
                  endpoint: {
                    type: 'string',
                    'x-ms-notification-url': true,
                    'x-ms-visibility': 'internal',
                    'x-ms-summary': 'Callback URL',
                    description: 'Where the platform receives events.',
                  },
                },
              },
            },
          ],
          responses: {
            '201': {
              description: 'Subscribed.',
              headers: { Location: { type: 'string', description: 'URL that deletes the subscription.' } },
              schema: envelope({ type: 'string', 'x-ms-summary': 'Webhook ID', description: 'ID of the new subscription.' }),
            },
          },
        },
      },
      '/webhooks/{webhook_id}': {
        delete: {
          operationId: 'DeleteWebhookByID',
          summary: 'Delete webhook by ID',
          description: 'Removes one webhook subscription.',
          'x-ms-visibility': 'internal',
          parameters: [
            {
              name: 'webhook_id',
              in: 'path',
              required: true,
              type: 'integer',
              'x-ms-summary': 'Webhook ID',
              description: 'Unique ID of the subscription to remove.',
              'x-ms-url-encoding': 'single',
            },
          ],
          responses: { '200': { description: 'Deleted.', schema: envelope({ type: 'string', 'x-ms-summary': 'Result', description: 'Confirmation text.' }) } },
        },
      },
    },
    definitions: {
      Call: {
        type: 'object',
        'x-ms-summary': 'Call',
        description: 'One call of the call history.',
        properties: {
          callID: { type: 'integer', format: 'int32', 'x-ms-summary': 'Call ID', description: 'Unique ID of the call.' },
          caller: { type: 'string', 'x-ms-summary': 'Caller', description: 'Phone number of the calling party.' },
          related: { $ref: '#/definitions/Call' },
        },
      },
      CallEvent: {
        type: 'object',
        properties: {
          eventType: { type: 'string', 'x-ms-summary': 'Event type', description: 'Name of the event, e.g. CallStarted.' },
          data: { $ref: '#/definitions/Call' },
        },
      },
    },
    'x-ms-connector-metadata': [
      { propertyName: 'Website', propertyValue: 'https://www.example.com' },
      { propertyName: 'Privacy policy', propertyValue: 'https://www.example.com/privacy' },
      { propertyName: 'Categories', propertyValue: 'Communication;IT Operations' },
    ],
    securityDefinitions: { api_key: { type: 'apiKey', in: 'header', name: 'Authorization' } },
    security: [{ api_key: [] }],
  };
  const properties = {
    properties: {
      connectionParameters: {
        api_key: { type: 'securestring', uiDefinition: { displayName: 'API key', description: 'Your API key.', constraints: { required: 'true' } } },
      },
      iconBrandColor: '#fd941b',
      capabilities: [],
      publisher: 'Sample Ltd',
      stackOwner: 'Sample Ltd',
      scriptOperations: ['CallStarted'],
      policyTemplateInstances: [
        {
          templateId: 'pollingtrigger',
          title: 'GetCallsPollingTriggerPolicy',
          parameters: {
            'x-ms-apimTemplateParameter.triggerConfig': { initial_call_id: '@{triggerBody().data[0].callID}' },
            'x-ms-apimTemplateParameter.triggerDataPath': '@triggerBody().data',
            'x-ms-apimTemplate-operationName': ['GetCalls'],
          },
        },
      ],
    },
  };
  const script = [
    'using System;',
    'using System.Net;',
    'using System.Net.Http;',
    'using System.Threading.Tasks;',
    'using Newtonsoft.Json.Linq;',
    '',
    'public class Script : ScriptBase',
    '{',
    '    public override async Task<HttpResponseMessage> ExecuteAsync()',
    '    {',
    '        // Subscribe answers 201 with a Location that points back at DeleteWebhookByID.',
    '        if (this.Context.OperationId == "CallStarted")',
    '        {',
    '            var response = await this.Context.SendAsync(this.Context.Request, this.CancellationToken).ConfigureAwait(false);',
    '            response.StatusCode = HttpStatusCode.Created;',
    '            return response;',
    '        }',
    '        return await this.Context.SendAsync(this.Context.Request, this.CancellationToken).ConfigureAwait(false);',
    '    }',
    '}',
    '',
  ].join('\n');
  return { definition, properties, script };
}
