// Serves a scenario's steps to the script, in order: each Context.SendAsync must match the next
// step's request (origin, method, path, query, body, Authorization: present, or absent when the step has
// none), and gets that step's response (its bytes when it has `bodyBase64`).
// Mismatches are collected (and the script sees a transport error), so a test can name them all.
import { deepEqual } from '../lib/json';
import type { ScenarioRequest, ScenarioStep } from '../contract/scenario';
import type { Backend, BackendResponse, OutboundRequest } from './host';

export interface StepServerOptions {
  /** Query parameters the script adds when the step's request lacks them (e.g. limit=50 on polls). */
  addedQuery?: Record<string, string>;
  /** When set, Authorization must equal this exactly; otherwise a "<redacted>" value is matched by presence. */
  authorization?: string;
  /** The PBX's origin (`https://<host>`): a step without `origin` must be sent there. Unset: not checked. */
  pbxOrigin?: string;
}

/** Differences between what the step expects and what the script sent (empty = match). */
export function requestDifferences(expected: ScenarioRequest, actual: OutboundRequest, options: StepServerOptions = {}): string[] {
  const problems: string[] = [];
  const url = new URL(actual.url);
  const origin = expected.origin ?? options.pbxOrigin;
  if (origin !== undefined && url.origin !== new URL(origin).origin) problems.push(`origin ${url.origin}, expected ${origin}`);
  if (expected.method.toUpperCase() !== actual.method.toUpperCase()) problems.push(`method ${actual.method}, expected ${expected.method}`);
  if (url.pathname !== expected.path) problems.push(`path ${url.pathname}, expected ${expected.path}`);

  const wanted: Record<string, string> = { ...(options.addedQuery ?? {}), ...expected.query };
  const sent: Record<string, string> = {};
  for (const [name, value] of url.searchParams) {
    if (name in sent) problems.push(`query parameter ${name} sent twice`);
    sent[name] = value;
  }
  for (const name of new Set([...Object.keys(wanted), ...Object.keys(sent)])) {
    if (wanted[name] !== sent[name]) problems.push(`query ${name}=${sent[name] ?? '(absent)'}, expected ${wanted[name] ?? '(absent)'}`);
  }

  for (const [name, value] of Object.entries(expected.headers ?? {})) {
    const got = actual.headers[name.toLowerCase()];
    if (name.toLowerCase() === 'authorization') {
      if (options.authorization !== undefined ? got !== options.authorization : !got) {
        problems.push(`authorization ${got === undefined ? 'absent' : 'not as expected'}`); // the key itself is never printed
      }
    } else if (value.includes('<redacted>') ? got === undefined : got === undefined || !got.toLowerCase().startsWith(value.toLowerCase())) {
      problems.push(`header ${name}: ${got ?? '(absent)'}, expected ${value}`);
    }
  }
  // A step without Authorization (a file link on another host) must get none: the key never goes there.
  if (!Object.keys(expected.headers ?? {}).some((n) => n.toLowerCase() === 'authorization') && actual.headers.authorization !== undefined) {
    problems.push('authorization sent, expected none');
  }

  const expectedBody = expected.body ?? null;
  if (expectedBody === null) {
    if (actual.body) problems.push(`a body was sent, none expected`);
  } else {
    let sentBody: unknown = actual.body;
    if (typeof expectedBody !== 'string') {
      try {
        sentBody = actual.body ? JSON.parse(actual.body) : null;
      } catch {
        sentBody = actual.body;
      }
    }
    if (!deepEqual(sentBody, expectedBody)) problems.push(`body ${actual.body ?? '(none)'}, expected ${JSON.stringify(expectedBody)}`);
  }
  return problems;
}

export class StepServer {
  readonly problems: string[] = [];
  private served = 0;

  constructor(
    private readonly steps: readonly ScenarioStep[],
    private readonly options: StepServerOptions = {},
  ) {}

  /** Number of steps answered so far. */
  get servedCount(): number {
    return this.served;
  }

  readonly backend: Backend = (request: OutboundRequest): BackendResponse => {
    const index = this.served;
    const step = this.steps[index];
    if (!step) {
      this.problems.push(`request ${index + 1} (${request.method} ${new URL(request.url).pathname}) has no step: the scenario has ${this.steps.length}`);
      throw new Error(`scenario has no step ${index + 1}`);
    }
    const differences = requestDifferences(step.request, request, this.options);
    if (differences.length > 0) {
      this.problems.push(`step ${index + 1}: ${differences.join('; ')}`);
      throw new Error(`request does not match step ${index + 1}`);
    }
    this.served++;
    const body = step.response.bodyBase64 !== undefined ? Buffer.from(step.response.bodyBase64, 'base64') : (step.response.body ?? undefined);
    return { status: step.response.status, headers: step.response.headers ?? {}, body };
  };

  /** Throws when a request did not match or a step was never requested. */
  assertComplete(): void {
    const problems = [...this.problems];
    if (this.served < this.steps.length) problems.push(`only ${this.served} of ${this.steps.length} steps were requested`);
    if (problems.length > 0) throw new Error(`scenario steps not served as expected:\n- ${problems.join('\n- ')}`);
  }
}
