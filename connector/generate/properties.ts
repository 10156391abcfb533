import type { ConnectorModel, PollingTrigger } from '../model/types';

export interface PollingPolicy {
  templateId: 'pollingtrigger';
  title: string;
  type: 'PollingTrigger';
  parameters: {
    'x-ms-apimTemplateParameter.triggerConfig': Record<string, string>;
    'x-ms-apimTemplateParameter.triggerDataPath': string;
    'x-ms-apimTemplate-operationName': string[];
  };
}

export interface ApiProperties {
  properties: {
    connectionParameters: Record<
      string,
      {
        type: 'securestring';
        uiDefinition: {
          displayName: string;
          description: string;
          tooltip: string;
          constraints: { tabIndex: number; clearText: boolean; required: 'true' };
        };
      }
    >;
    iconBrandColor: string;
    capabilities: string[];
    policyTemplateInstances: PollingPolicy[];
    publisher: string;
    stackOwner: string;
    scriptOperations: string[];
  };
}

/**
 * The cursor is the newest item's id. The custom code returns every new item newest first, so
 * `data[0]` is the newest whatever order the PBX uses; the expression stays the one 1.0 flows store.
 */
export function pollingPolicy(op: PollingTrigger): PollingPolicy {
  return {
    templateId: 'pollingtrigger',
    title: op.policyTitle,
    type: 'PollingTrigger',
    parameters: {
      'x-ms-apimTemplateParameter.triggerConfig': { [op.stateParameter]: `@{triggerBody().data[0].${op.cursorField}}` },
      'x-ms-apimTemplateParameter.triggerDataPath': '@triggerBody().data',
      'x-ms-apimTemplate-operationName': [op.operationId],
    },
  };
}

/** Operations whose requests run through script.csx: all of them, since every one needs the API key normalised. */
export function scriptOperations(model: ConnectorModel): string[] {
  return model.operations.map((op) => op.operationId);
}

/** Pure: the model in, apiProperties.json out. */
export function buildProperties(model: ConnectorModel): ApiProperties {
  const { auth, brand } = model;
  return {
    properties: {
      connectionParameters: {
        [auth.parameter]: {
          type: 'securestring',
          uiDefinition: {
            displayName: auth.displayName,
            description: auth.description,
            tooltip: auth.tooltip,
            constraints: { tabIndex: 2, clearText: false, required: 'true' },
          },
        },
      },
      iconBrandColor: brand.brandColor,
      capabilities: [],
      policyTemplateInstances: model.operations.filter((op): op is PollingTrigger => op.kind === 'polling').map(pollingPolicy),
      publisher: brand.publisher,
      stackOwner: brand.stackOwner,
      scriptOperations: scriptOperations(model),
    },
  };
}
