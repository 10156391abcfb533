/**
 * The whole sandbox wired together: one virtual clock, the mock PBX (store + HTTP server), the
 * event dispatcher and story player on that store (which also plays each accepted Dial as a call),
 * the connector gateway with one connection, and the flow runtime. Everything listens on 127.0.0.1 with random ports.
 */
import { randomBytes } from 'crypto';
import type { ScriptHost } from '../script-host/host';
import { VirtualClock } from './clock';
import type { SandboxConnector } from './connector';
import { Gateway, type GatewayLogEntry } from './gateway/gateway';
import { PbxStore, RECORDING_STORAGE_HOST, startPbxServer, type PbxBehaviourOptions, type PbxServer, type SeedOptions } from './pbx';
import { primaryBrand } from '../connector/brand';
import type { Market } from '../connector/brand/phone-numbers';
import { CALL_STATUS, fakeNumber } from './pbx/model';
import { formatRiga, parseTimestamp } from './pbx/time';
import { DEFAULT_NOW } from './pbx/seed';
import { FlowRuntime, type RuntimeLogEntry, type RuntimeOptions } from './runtime/runtime';
import { EventDispatcher } from './traffic/dispatcher';
import { StoryPlayer } from './traffic/player';

export interface SandboxOptions {
  connector: SandboxConnector;
  /** A started host, shared by the caller (one Mono process per test file). */
  scriptHost?: ScriptHost;
  seed?: SeedOptions;
  /** The PBX host the mock stands in for; defaults to the host of the connector's definition. */
  pbxHost?: string;
  /** The market whose (fake) numbers the PBX holds and its callers have; default the primary brand's. */
  market?: Market;
  /** PBX behaviour (order, page size, PBX-side rate limit, recording links, …; a profile's `apiOptionsOf`). */
  pbx?: PbxBehaviourOptions;
  gateway?: { rateLimit?: { calls: number; windowMs: number }; pollRetryAfterSeconds?: number; log?: (e: GatewayLogEntry) => void };
  /** How the maker typed the key into the connection: production users were told to type "Bearer <key>". */
  keyStyle?: 'bearer' | 'plain';
  runtimeLog?: (e: RuntimeLogEntry) => void;
  /** Hears every check of a polling trigger (status, runs started). */
  onPoll?: RuntimeOptions['onPoll'];
  /** The seed of the calls the sandbox plays of its own accord: each Dial the PBX accepts (default the seed data's). */
  trafficSeed?: number;
}

export class Sandbox {
  /** PBX requests seen, by route (`list:calls`, `webhook:register`, …). */
  readonly pbxCalls = new Map<string, number>();

  private constructor(
    readonly clock: VirtualClock,
    readonly store: PbxStore,
    readonly pbx: PbxServer,
    readonly gateway: Gateway,
    readonly connection: { id: string; url: string },
    readonly runtime: FlowRuntime,
    readonly dispatcher: EventDispatcher,
    readonly player: StoryPlayer,
    /** The throwaway key of this PBX (random per sandbox; printed by `npm start -- --serve` only). */
    readonly apiKey: string,
    readonly market: Market,
  ) {
    pbx.api.onRequest(({ route }) => this.pbxCalls.set(route, (this.pbxCalls.get(route) ?? 0) + 1));
  }

  static async start(options: SandboxOptions): Promise<Sandbox> {
    const market = options.market ?? primaryBrand.market;
    const seed = { now: DEFAULT_NOW, market, ...options.seed };
    const clock = new VirtualClock(parseTimestamp(seed.now));
    const publicHost = options.pbxHost ?? options.connector.contract.host;
    const store = PbxStore.seeded(seed, { now: clock.now, publicHost, recordingLinks: options.pbx?.recordingLinks });
    // A throwaway key per sandbox: nothing real, nothing stored.
    const apiKey = randomBytes(16).toString('hex');
    const pbx = await startPbxServer({ apiKey, store, now: clock.now, publicHost, ...options.pbx });
    const gateway = new Gateway({
      connector: options.connector,
      backendBaseUrl: pbx.baseUrl,
      // The mock's storage listener stands in for the storage host of pre-signed recording links.
      hosts: { [RECORDING_STORAGE_HOST]: pbx.storageOrigin },
      now: clock.now,
      scriptHost: options.connector.hasScript ? options.scriptHost : undefined,
      ...options.gateway,
    });
    await gateway.start();
    const connection = gateway.addConnection({ apiKey: options.keyStyle === 'plain' ? apiKey : `Bearer ${apiKey}` });
    const runtime = new FlowRuntime({ connector: options.connector, connectionUrl: connection.url, clock, log: options.runtimeLog, onPoll: options.onPoll });
    await runtime.start();
    // Events name items by the ids the PBX's answers use (under big-ids, the same 21 digits).
    const dispatcher = new EventDispatcher(store, { render: (event) => pbx.api.jsonText(event) });
    const player = new StoryPlayer(store, clock, dispatcher.publish);
    // The PBX places the call a Dial asks for (the flows' callbacks reach their callers, or not).
    player.playDials(options.trafficSeed ?? seed.seed ?? 1);
    return new Sandbox(clock, store, pbx, gateway, connection, runtime, dispatcher, player, apiKey, market);
  }

  /**
   * Adds `count` answered inbound calls to the first contact, starting now, `spacingMs` apart
   * (each starts, connects and ends at the same instant); returns their ids in order.
   */
  addAnsweredCalls(count: number, spacingMs = 1000): number[] {
    const contact = this.store.view('contacts')[0];
    const ids: number[] = [];
    for (let i = 0; i < count; i++) {
      const stamp = formatRiga(this.clock.now() + i * spacingMs);
      const call = this.store.add('calls', {
        caller: fakeNumber(1, this.market),
        destination: contact.number,
        direction: 'in',
        status: CALL_STATUS.answered,
        callStarted: stamp,
        callConnected: stamp,
        callEnded: stamp,
        contactID: contact.contactID,
        transferredTo: null,
      });
      ids.push(call.callID);
    }
    return ids;
  }

  /** Updates the connector in place (1.0 → 1.1): connections and flows, with their trigger state, stay. */
  updateConnector(connector: SandboxConnector, scriptHost?: ScriptHost): void {
    this.gateway.replaceConnector(connector, connector.hasScript ? scriptHost : undefined);
    this.runtime.replaceConnector(connector);
  }

  /** All PBX requests so far. */
  get pbxCallCount(): number {
    let n = 0;
    for (const v of this.pbxCalls.values()) n += v;
    return n;
  }

  /** From now on virtual time follows the wall clock (for `--serve`); returns the function that stops it. */
  followRealTime(tickMs = 1000): () => void {
    let last = Date.now();
    const timer = setInterval(() => {
      const now = Date.now();
      void this.clock.advanceBy(now - last);
      last = now;
    }, tickMs);
    return () => clearInterval(timer);
  }

  async stop(): Promise<void> {
    await this.runtime.stop();
    await this.gateway.stop();
    await this.pbx.stop();
  }
}
