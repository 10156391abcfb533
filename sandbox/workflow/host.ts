/**
 * Runs one shipped workflow definition in a started sandbox: loads and validates it (refusing
 * anything unsupported, with file, pointer and name), binds its connections to this connector (the
 * sandbox gateway) and to the stand-ins, and hands its trigger to the flow runtime, which subscribes
 * (keeping the Location), polls, and unsubscribes when the flow is stopped. Each trigger output
 * becomes one run of the workflow's actions; runs are serialised so files fill in event order.
 */
import * as path from 'path';
import type { Finding } from '../../lib/finding';
import type { SandboxConnector } from '../connector';
import type { Sink, Item } from '../runtime/sinks';
import type { Sandbox } from '../sandbox';
import { ACTION_TYPES } from './actions';
import type { ConnectorApi, Json } from './apis';
import { WorkflowEngine, type WorkflowRun } from './engine';
import { loadWorkflow, problem, WorkflowError, type LoadedWorkflow } from './load';
import { excelStandIn, workbookFor } from './stand-ins/excel';
import { outlookStandIn } from './stand-ins/outlook';
import { teamsStandIn } from './stand-ins/teams';
import { ThisConnectorApi } from './this-connector';
import { TRIGGER_TYPES, type RuntimeTrigger } from './triggers';
import { nextOccurrence, type Recurrence, type ScheduledTrigger } from './recurrence';
import type { TimerHandle } from '../clock';

/** Where the stand-ins write: the workbook `PICK-IN-DESIGNER` Excel values bind to, the Teams outbox, the mail folder. */
export interface Bindings {
  workbook: string;
  teamsOutbox: string;
  mailDir: string;
}

export function defaultBindings(outDir: string): Bindings {
  return { workbook: path.join(outDir, 'calls.xlsx'), teamsOutbox: path.join(outDir, 'teams-outbox.jsonl'), mailDir: path.join(outDir, 'mail') };
}

export interface WorkflowHostOptions {
  sandbox: Sandbox;
  /** The connector the sandbox runs (its definition names this connector's operations). */
  connector: SandboxConnector;
  /** The flow file (Power Automate clientdata JSON or Logic Apps workflow.json). */
  file: string;
  /** Project root, for the file names in messages. */
  root?: string;
  bindings: Bindings;
  /** This connector's API name in flows (brand profile `apiName`). */
  apiName: string;
}

/** Validates a loaded workflow against the sandbox's APIs; returns the runtime trigger or the problems. */
export function prepareWorkflow(workflow: LoadedWorkflow, apis: Map<string, ConnectorApi>, thisApi: ThisConnectorApi, env: { now(): number }): { engine: WorkflowEngine; trigger?: RuntimeTrigger | ScheduledTrigger; problems: Finding[] } {
  const engine = new WorkflowEngine(workflow, ACTION_TYPES, apis, env);
  let trigger: RuntimeTrigger | ScheduledTrigger | undefined;
  const problems = engine.validate((ctx) => {
    const { name, trigger: def, at } = engine.trigger;
    const type = typeof def.type === 'string' ? def.type : '';
    const impl = TRIGGER_TYPES[type];
    if (!impl) ctx.report(`${at}/type`, 'workflow-trigger-type', `trigger "${name}": the trigger type "${type}" is not supported by the sandbox runtime (it runs ${Object.keys(TRIGGER_TYPES).join(', ')})`);
    else trigger = impl.prepare(def, at, ctx, thisApi, env);
  });
  if (problems.length === 0 && !trigger) problems.push(problem(workflow.file, engine.trigger.at, 'workflow-trigger', 'the trigger could not be prepared'));
  return { engine, trigger, problems };
}

export class WorkflowHost implements Sink {
  private chain: Promise<void> = Promise.resolve();
  private done = 0;

  private constructor(
    readonly id: string,
    readonly workflow: LoadedWorkflow,
    readonly engine: WorkflowEngine,
    private readonly sandbox: Sandbox,
    /** The APIs this workflow uses (closed when it stops: the workbook is written then). */
    private readonly used: ConnectorApi[],
  ) {}

  static async start(options: WorkflowHostOptions): Promise<WorkflowHost> {
    const sb = options.sandbox;
    const workflow = loadWorkflow(options.file, options.root);
    const thisApi = new ThisConnectorApi(options.apiName, options.connector, sb.connection.url);
    const apis = new Map<string, ConnectorApi>([
      [thisApi.name, thisApi],
      ['excelonlinebusiness', excelStandIn(options.bindings.workbook, workbookFor(JSON.stringify(workflow.definition)))],
      ['teams', teamsStandIn(options.bindings.teamsOutbox)],
      ['office365', outlookStandIn(options.bindings.mailDir)],
    ]);
    const { engine, trigger, problems } = prepareWorkflow(workflow, apis, thisApi, { now: sb.clock.now });
    if (problems.length > 0 || !trigger) throw new WorkflowError(problems);
    const used = [...engine.usedApis];
    // The flow's id in callback URLs: the Power Automate file's name, the Logic Apps workflow's folder.
    const id = (workflow.style === 'logic-apps' ? workflow.name : path.basename(workflow.file, '.json')).replace(/[^A-Za-z0-9_-]+/g, '-') || 'workflow';
    const host = new WorkflowHost(id, workflow, engine, sb, used);
    if ('recurrence' in trigger) {
      host.schedule(trigger.recurrence);
      return host;
    }
    const status = await sb.runtime.save({ id, name: workflow.name, trigger, sink: { kind: 'custom', sink: host } });
    if (status !== 'on') {
      await host.close();
      throw new Error(`${workflow.file}: the trigger could not start: ${sb.runtime.flow(id)?.error ?? status}`);
    }
    return host;
  }

  // --- Recurrence: a run at each occurrence of the schedule, on the virtual clock --------------

  private timer: TimerHandle | undefined;
  private nextAt: number | undefined;

  /** For a Recurrence trigger: when it fires next (virtual clock, ms since the epoch); undefined otherwise. */
  get nextScheduledRun(): number | undefined {
    return this.nextAt;
  }

  private schedule(recurrence: Recurrence): void {
    const clock = this.sandbox.clock;
    const arm = (): void => {
      this.nextAt = nextOccurrence(recurrence, clock.now());
      this.timer = clock.at(this.nextAt, async () => {
        arm();
        // The trigger's output: when it fired (the body of a Recurrence run is empty).
        this.write(null);
        await this.chain;
      });
    };
    arm();
  }

  // --- Sink: the flow runtime hands over each trigger output ----------------------------------

  write(item: Item | null): void {
    const { name } = this.engine.trigger;
    this.chain = this.chain.then(async () => {
      await this.engine.run(name, { headers: {}, body: item as Json });
      this.done++;
    });
  }

  get count(): number {
    return this.done;
  }

  async close(): Promise<void> {
    await this.chain;
  }

  // --- results -------------------------------------------------------------------------------

  get runs(): WorkflowRun[] {
    return this.engine.runs;
  }

  get failedRuns(): WorkflowRun[] {
    return this.engine.runs.filter((r) => r.status === 'Failed');
  }

  /** What the stand-ins produced so far (`rows`, `messages`, `mails`). */
  produced(): Array<{ api: string; label: string; count: number }> {
    return this.used.flatMap((api) => {
      const p = api.produced?.();
      return p ? [{ api: api.title, ...p }] : [];
    });
  }

  /** Turns the flow off and deletes it (the runtime unsubscribes), finishes the runs, writes the stand-ins' files. */
  async stop(): Promise<void> {
    this.timer?.cancel();
    if (this.sandbox.runtime.flow(this.id)) await this.sandbox.runtime.delete(this.id);
    await this.finish();
  }

  /** Finishes the runs and writes the stand-ins' files, leaving the subscription as it is (shutdown of a served sandbox). */
  async finish(): Promise<void> {
    await this.close();
    for (const api of this.used) await api.close?.();
  }
}
