// Measures what script.csx costs per execution: the time inside the host (Mono runner + script),
// with a backend that answers instantly, warm, over many executions of typical operations.
import { ScriptHost, type Backend, type ScriptRequest } from './host';

/** One figure of `npm run bench`: this connector and the production 1.0 (null: not measured there). */
export interface Figure {
  /** null: not measured on this machine (e.g. the shared corpus is absent). */
  ours: number | null;
  baseline: number | null;
}

export interface ScriptOverheadOptions {
  executions?: number;
  warmup?: number;
  /** The brand's script.csx; defaults to the top-level one. */
  scriptPath?: string;
  /** The brand's PBX host, as its definition declares (the script forwards to it). */
  pbxHost?: string;
}

const PBX_HOST = 'pbx.bench.invalid';
const CONNECTOR = 'https://bench.azure-apim.net/apim/connector/bench';
const KEY = 'bench-key-0000';

const page = {
  version: '2',
  status: 'success',
  statusCode: 200,
  message: '',
  data: Array.from({ length: 10 }, (_, i) => ({
    callID: 5010 - i,
    caller: '+3710000001',
    destination: '+3710000002',
    direction: 'in',
    status: 1,
    callStarted: '2024-05-14T09:12:03+03:00',
    callConnected: '2024-05-14T09:12:11+03:00',
    callEnded: '2024-05-14T09:15:40+03:00',
    connectionTime: 209,
    contactID: 101,
    recordingID: null,
  })),
};
const registered = { version: '2', status: 'success', statusCode: 200, message: '', data: '57' };

const workloadFor = (PBX: string): Array<{ request: ScriptRequest; backend: Backend }> => [
  {
    request: { operationId: 'GetCallHistory', method: 'GET', url: `${PBX}/trigger/call_history?initial_call_id=5000`, headers: { Authorization: KEY }, originalRequestUri: `${CONNECTOR}/trigger/call_history?initial_call_id=5000` },
    backend: () => ({ status: 200, headers: { 'content-type': 'application/json' }, body: page }),
  },
  {
    request: {
      operationId: 'CallConnected',
      method: 'POST',
      url: `${PBX}/webhooks/CallConnected`,
      headers: { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ endpoint: 'https://callback.example.invalid/workflows/bench/triggers/manual/run' }),
      originalRequestUri: `${CONNECTOR}/webhooks/CallConnected`,
    },
    backend: () => ({ status: 200, headers: { 'content-type': 'application/json' }, body: registered }),
  },
];

/**
 * Nearest-rank percentile of `samples` (any order; the input is not changed), 0 for no samples.
 * The one percentile of `npm run bench` (the sandbox figures use it too).
 */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return 0;
  const sorted = [...samples].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index];
}

const round = (ms: number): number => Math.round(ms * 1000) / 1000;

/** scriptOverheadMs*: inside the host; scriptRoundTripMsMedian: as the caller sees it (adds the JSON-lines hops). */
export async function measureScriptOverhead(options: ScriptOverheadOptions = {}): Promise<Record<string, Figure>> {
  const executions = options.executions ?? 2000;
  const warmup = options.warmup ?? 300;
  const workload = workloadFor(`https://${options.pbxHost ?? PBX_HOST}/api/v2`);
  const host = new ScriptHost({ scriptPath: options.scriptPath });
  await host.start();
  try {
    const inside: number[] = [];
    const roundTrip: number[] = [];
    for (let i = 0; i < warmup + executions; i++) {
      const { request, backend } = workload[i % workload.length];
      const started = process.hrtime.bigint();
      const result = await host.execute(request, backend);
      const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
      if (result.status >= 300) throw new Error(`bench: ${request.operationId} answered ${result.status}: ${result.body}`);
      if (i >= warmup) {
        inside.push(result.hostMs);
        roundTrip.push(elapsed);
      }
    }
    return {
      // 1.0 has no custom code: nothing to compare with.
      scriptOverheadMsMedian: { ours: round(percentile(inside, 50)), baseline: null },
      scriptOverheadMsP99: { ours: round(percentile(inside, 99)), baseline: null },
      scriptRoundTripMsMedian: { ours: round(percentile(roundTrip, 50)), baseline: null },
    };
  } finally {
    await host.stop();
  }
}
