// Shared by the sandbox tests: the project's own generated connector (top level), one Mono host per
// file, and a fresh sandbox per test (cheap: in memory, random ports).
import * as fs from 'fs';
import * as path from 'path';
import { pollingPolicy } from '../../connector/generate/properties';
import { connector as model } from '../../connector/model/connector';
import type { PollingTrigger } from '../../connector/model/types';
import type { JsonObject } from '../../lib/json-pointer';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { ScriptHost } from '../../script-host/host';
import { SandboxConnector } from '../../sandbox/connector';
import { Sandbox, type SandboxOptions } from '../../sandbox/sandbox';
import type { LoadedWorkflow } from '../../sandbox/workflow/load';

export const ROOT = path.resolve(__dirname, '..', '..');

/** This connector; `withScript: false` gives the same definition run the 1.0 way (no custom code). */
export function ourConnector(withScript = true): SandboxConnector {
  return SandboxConnector.fromFolder(ROOT, withScript ? 'this connector' : 'no custom code', { withScript });
}

/**
 * The same definition with the 1.0 way of polling: a `pollingtrigger` policy per polling trigger (the 1.0
 * state parameters and expressions) and no custom code. The gateway emulates the declared policy.
 */
export function legacyConnector(): SandboxConnector {
  const read = (name: string) => JSON.parse(fs.readFileSync(path.join(ROOT, name), 'utf8')) as Record<string, never>;
  const properties = read('apiProperties.json') as unknown as { properties: Record<string, unknown> };
  const policies = model.operations.filter((op): op is PollingTrigger => op.kind === 'polling').map(pollingPolicy);
  const legacy = { ...properties, properties: { ...properties.properties, policyTemplateInstances: policies } };
  return new SandboxConnector('the 1.0 polling policy', read('apiDefinition.swagger.json'), legacy as never);
}

/** A Mono host started and stopped around the file's tests: script.csx, or the script at `scriptPath` (a variant). */
export function useScriptHost(scriptPath = path.join(ROOT, 'script.csx')): () => ScriptHost {
  const host = new ScriptHost({ scriptPath });
  beforeAll(() => host.start());
  afterAll(() => host.stop());
  return () => host;
}

/** Starts sandboxes on demand and stops every one after each test. */
export function useSandboxes(): (options: SandboxOptions) => Promise<Sandbox> {
  const started: Sandbox[] = [];
  afterEach(async () => {
    while (started.length) await started.pop()!.stop();
  });
  return async (options) => {
    const sb = await Sandbox.start(options);
    started.push(sb);
    return sb;
  };
}

export const MINUTE = 60_000;

/** A Power Automate trigger polling GetCallHistory every 3 minutes, split on `data` (one run per call). */
export function callHistoryPollingTrigger(connectionName: string, limit = 50): Record<string, unknown> {
  return {
    type: 'OpenApiConnection',
    recurrence: { frequency: 'Minute', interval: 3 },
    splitOn: "@triggerBody()?['data']",
    inputs: { host: { connectionName, operationId: 'GetCallHistory', apiId: `/providers/Microsoft.PowerApps/apis/${connectionName}` }, parameters: { limit } },
  };
}

/**
 * A Power Automate workflow held in memory (no file): `actions` under the trigger `t` (a Request trigger
 * unless given), with the connection `c` bound to the API named `api` when one is given.
 */
export function memoryWorkflow(actions: JsonObject, options: { trigger?: JsonObject; api?: string } = {}): LoadedWorkflow {
  const { trigger = { type: 'Request' }, api } = options;
  return {
    file: 'mem.json',
    style: 'power-automate',
    name: 'mem',
    at: '/properties/definition',
    definition: { triggers: { t: trigger }, actions },
    connections: new Map(api === undefined ? [] : [['c', { name: 'c', api, file: 'mem.json', pointer: '' }]]),
  };
}
