/**
 * Delivers PBX events: POSTs each event to the endpoint of every webhook registered for its
 * eventType in the store (the PBX's webhook registry). A transport failure or a 5xx is retried a
 * few times (the real PBX's retry policy is unknown); a 4xx is final and counted (a callback of a
 * deleted flow answers 404 — that is where leaked subscriptions show up).
 */
import type { PbxStore } from '../pbx/store';
import { send } from '../http';
import type { PbxEvent } from './events';

export interface DispatchStats {
  events: number;
  /** One per (event, subscribed endpoint). */
  deliveries: number;
  delivered: number;
  /** Final 4xx answers (unknown subscription, rejected event). */
  refused: number;
  /** Given up after retries (transport errors, 5xx). */
  failed: number;
  retries: number;
}

export interface DispatchProblem {
  eventType: string;
  endpoint: string;
  status: number | null;
  message: string;
}

export class EventDispatcher {
  readonly stats: DispatchStats = { events: 0, deliveries: 0, delivered: 0, refused: 0, failed: 0, retries: 0 };
  readonly problems: DispatchProblem[] = [];

  constructor(
    private readonly store: PbxStore,
    private readonly options: {
      retries?: number;
      maxProblems?: number;
      /** The event as the PBX writes it (PbxApi.jsonText: its public ids); default plain JSON. */
      render?: (event: PbxEvent) => string;
    } = {},
  ) {}

  /** Delivers one event to every current subscriber (in parallel); resolves when all answered. */
  publish = async (event: PbxEvent): Promise<void> => {
    this.stats.events++;
    const hooks = this.store.webhooks(event.eventType);
    if (hooks.length === 0) return;
    const body = this.options.render?.(event) ?? JSON.stringify(event);
    await Promise.all(hooks.map((hook) => this.deliver(event.eventType, hook.endpoint, body)));
  };

  /** Publishes many events with at most `concurrency` in flight (throughput runs). */
  async publishAll(events: readonly PbxEvent[], concurrency = 32): Promise<void> {
    let next = 0;
    const worker = async () => {
      while (next < events.length) await this.publish(events[next++]);
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, events.length) }, worker));
  }

  private async deliver(eventType: string, endpoint: string, body: string): Promise<void> {
    this.stats.deliveries++;
    const attempts = 1 + (this.options.retries ?? 2);
    let last: DispatchProblem | undefined;
    for (let attempt = 0; attempt < attempts; attempt++) {
      if (attempt > 0) this.stats.retries++;
      try {
        const res = await send({ method: 'POST', url: endpoint, headers: { 'content-type': 'application/json' }, body });
        if (res.status < 300) {
          this.stats.delivered++;
          return;
        }
        last = { eventType, endpoint, status: res.status, message: res.body.slice(0, 300) };
        if (res.status < 500) {
          this.stats.refused++;
          this.note(last);
          return;
        }
      } catch (e) {
        last = { eventType, endpoint, status: null, message: (e as Error).message };
      }
    }
    this.stats.failed++;
    if (last) this.note(last);
  }

  private note(problem: DispatchProblem): void {
    if (this.problems.length < (this.options.maxProblems ?? 200)) this.problems.push(problem);
  }
}
