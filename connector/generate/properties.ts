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
 * The 1.0 connector kept each polling trigger's cursor with a `pollingtrigger` policy reading
 * `data[0].<id>` of the response. Since 1.1 script.csx answers the polling protocol itself (202/200 +
 * Location, as certified connectors with custom code do): the order of that policy and custom code is
 * undocumented, so the policy is gone. The 1.0 state (`initial_<x>_id=N` in the stored URL) keeps its meaning.
 * Kept for the change report, which names what 1.0 declared.
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
      // No pollingtrigger policy: script.csx answers the polling protocol (see pollingPolicy).
      policyTemplateInstances: [],
      publisher: brand.publisher,
      stackOwner: brand.stackOwner,
      scriptOperations: scriptOperations(model),
    },
  };
}
