/**
 * webhookLeaks / subscribeRefused: on a fresh PBX, every webhook trigger goes through `cycles`
 * save → edit trigger → delete cycles (each edit and delete must unsubscribe). Leaks are the
 * subscriptions the PBX still holds at the end; refusals are the subscribes the 20-webhook limit
 * turned down meanwhile.
 */
import type { ScriptHost } from '../../script-host/host';
import type { SandboxConnector } from '../connector';
import { Sandbox } from '../sandbox';

export interface WebhookLifecycleResult {
  leaks: number;
  refused: number;
  subscribes: number;
  gatewayCalls: number;
  /** Script host time per gateway call (ms), when the connector has custom code. */
  scriptHostMs: number[];
}

export async function measureWebhookLifecycle(connector: SandboxConnector, scriptHost: ScriptHost | undefined, cycles = 100): Promise<WebhookLifecycleResult> {
  const sb = await Sandbox.start({ connector, scriptHost });
  try {
    for (const op of connector.operationsOfKind('single')) {
      for (let i = 0; i < cycles; i++) {
        const id = `${op.operationId}-${i}`;
        const flow = { id, name: id, trigger: { operationId: op.operationId }, sink: { kind: 'memory' as const } };
        await sb.runtime.save(flow);
        await sb.runtime.save({ ...flow, trigger: { ...flow.trigger, settings: { edited: true } } });
        await sb.runtime.delete(id);
      }
    }
    return {
      leaks: sb.store.webhooks().length,
      refused: sb.runtime.stats.subscribeRefused,
      subscribes: sb.runtime.stats.subscribes,
      gatewayCalls: sb.gateway.stats.requests,
      scriptHostMs: sb.gateway.stats.scriptHostMs,
    };
  } finally {
    await sb.stop();
  }
}
