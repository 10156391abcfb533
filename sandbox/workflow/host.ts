/**
 * Runs one shipped workflow definition in a started sandbox: loads and validates it (refusing
 * anything unsupported, with file, pointer and name), binds its connections to this connector (the
 * sandbox gateway) and to the stand-ins, and hands its trigger to the flow runtime, which subscribes
 * (keeping the Location), polls, and unsubscribes when the flow is stopped. Each trigger output
 * becomes one run of the workflow's actions; runs are serialised so files fill in event order, except
 * that a run waiting for a callback (a webhook action: a card waiting for someone to press its button)
 * lets the next run start; it goes on when the answer arrives. Stopping the flow cancels the runs
 * still waiting.
 */
import * as path from 'path';
import type { Finding } from '../../lib/finding';
import type { SandboxConnector } from '../connector';
import type { Sink, Item } from '../runtime/sinks';
import type { Sandbox } from '../sandbox';
import { ACTION_TYPES } from './actions';
import type { ConnectorApi, Json, RunEnv } from './apis';
import { ActionCancelled, WorkflowEngine, type RunHooks, type WorkflowRun } from './engine';
import { loadWorkflow, problem, WorkflowError, type LoadedWorkflow } from './load';
import { excelStandIn, workbookFor, type WorkbookTemplate } from './stand-ins/excel';
import { oneDriveStandIn } from './stand-ins/onedrive';
import { outlookStandIn } from './stand-ins/outlook';
import { teamsStandIn } from './stand-ins/teams';
import { ThisConnectorApi } from './this-connector';
import { TRIGGER_TYPES, type RuntimeTrigger } from './triggers';
import { nextOccurrence, type Recurrence, type ScheduledTrigger } from './recurrence';
import type { TimerHandle } from '../clock';

/** Where the stand-ins write: the workbook `PICK-IN-DESIGNER` Excel values bind to, the Teams outbox, the mail folder, the OneDrive folder. */
export interface Bindings {
  workbook: string;
  teamsOutbox: string;
  mailDir: string;
  driveDir: string;
}

export function defaultBindings(outDir: string): Bindings {
  return { workbook: path.join(outDir, 'calls.xlsx'), teamsOutbox: path.join(outDir, 'teams-outbox.jsonl'), mailDir: path.join(outDir, 'mail'), driveDir: path.join(outDir, 'onedrive') };
}

/**
 * The stand-ins of Microsoft's connectors, bound to where they write: one workbook (a table for each workbook
 * the flows name), one Teams outbox, one mail folder, one OneDrive folder. Several flows on one connection
 * share one set, as a maker's flows share one workbook and one channel.
 */
export function standIns(bindings: Bindings, tables: readonly WorkbookTemplate[]): Map<string, ConnectorApi> {
  return new Map<string, ConnectorApi>([
    ['excelonlinebusiness', excelStandIn(bindings.workbook, tables)],
    ['teams', teamsStandIn(bindings.teamsOutbox)],
    ['office365', outlookStandIn(bindings.mailDir)],
    ['onedriveforbusiness', oneDriveStandIn(bindings.driveDir)],
  ]);
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
  /**
   * Stand-ins shared with other flows (`standIns`): this host uses them but leaves writing their files to
   * whoever made them. Without them the host makes its own (on `bindings`) and writes them when it finishes.
   */
  shared?: Map<string, ConnectorApi>;
}

/** Validates a loaded workflow against the sandbox's APIs; returns the runtime trigger or the problems. */
export function prepareWorkflow(workflow: LoadedWorkflow, apis: Map<string, ConnectorApi>, thisApi: ThisConnectorApi, env: RunEnv): { engine: WorkflowEngine; trigger?: RuntimeTrigger | ScheduledTrigger; problems: Finding[] } {
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
  /** Runs going on (not waiting for a callback): each resolves when its run ends or starts to wait. */
  private readonly busy = new Set<Promise<void>>();
  /** Every run not ended yet, waiting or not. */
  private readonly unfinished = new Set<Promise<unknown>>();

  private constructor(
    readonly id: string,
    readonly workflow: LoadedWorkflow,
    readonly engine: WorkflowEngine,
    private readonly sandbox: Sandbox,
    /** The APIs this workflow uses (closed when it stops: the workbook is written then, unless they are shared). */
    readonly used: ConnectorApi[],
    private readonly shared: boolean,
  ) {}

  static async start(options: WorkflowHostOptions): Promise<WorkflowHost> {
    const sb = options.sandbox;
    const workflow = loadWorkflow(options.file, options.root);
    const thisApi = new ThisConnectorApi(options.apiName, options.connector, sb.connection.url);
    const apis = new Map<string, ConnectorApi>([[thisApi.name, thisApi], ...(options.shared ?? standIns(options.bindings, [workbookFor(JSON.stringify(workflow.definition))]))]);
    // The flow's id in callback URLs: the Power Automate file's name, the Logic Apps workflow's folder.
    const id = (workflow.style === 'logic-apps' ? workflow.name : path.basename(workflow.file, '.json')).replace(/[^A-Za-z0-9_-]+/g, '-') || 'workflow';
    // Runs wait in sandbox time; a webhook action's callback is the flow runtime's, as the platform's are.
    const env: RunEnv = { now: sb.clock.now, after: (ms, run) => sb.clock.after(ms, run), callback: (action) => sb.runtime.actionCallback(id, action) };
    const { engine, trigger, problems } = prepareWorkflow(workflow, apis, thisApi, env);
    if (problems.length > 0 || !trigger) throw new WorkflowError(problems);
    const used = [...engine.usedApis];
    if (sb.runtime.flow(id)) throw new Error(`${workflow.file}: a flow with the id "${id}" already runs in this sandbox (the same file twice?)`);
    const host = new WorkflowHost(id, workflow, engine, sb, used, options.shared !== undefined);
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
    this.chain = this.chain.then(() => this.start(name, item));
  }

  /** Starts a run; resolves when it ends or waits for a callback (the next run may start then). */
  private start(trigger: string, item: Item | null): Promise<void> {
    return new Promise<void>((released) => {
      let done: () => void = () => undefined;
      const markBusy = (): void => {
        const busy = new Promise<void>((resolve) => (done = resolve));
        this.busy.add(busy);
        void busy.then(() => this.busy.delete(busy));
      };
      markBusy();
      const hooks: RunHooks = {
        suspend: async (wait) => {
          done();
          released();
          try {
            return await wait;
          } finally {
            markBusy();
          }
        },
      };
      const run = this.engine.run(trigger, { headers: {}, body: item as Json }, hooks).then(() => {
        this.done++;
        done();
        released();
      });
      this.unfinished.add(run);
      void run.then(() => this.unfinished.delete(run));
    });
  }

  get count(): number {
    return this.done;
  }

  /** Runs waiting for a callback (a card nobody has answered yet). */
  get waiting(): number {
    return this.sandbox.runtime.waitingActionCount(this.id);
  }

  /** Lets the runs started so far finish, or reach a wait. */
  async close(): Promise<void> {
    await this.chain;
    while (this.busy.size > 0) await Promise.all([...this.busy]);
  }

  // --- results -------------------------------------------------------------------------------

  get runs(): WorkflowRun[] {
    return this.engine.runs;
  }

  get failedRuns(): WorkflowRun[] {
    return this.engine.runs.filter((r) => r.status === 'Failed');
  }

  /** Runs that were still waiting for a callback when the flow was stopped. */
  get cancelledRuns(): WorkflowRun[] {
    return this.engine.runs.filter((r) => r.status === 'Cancelled');
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

  /**
   * Finishes the runs (those still waiting for a callback are cancelled, as deleting a flow cancels its
   * runs) and writes the stand-ins' files, leaving the subscription as it is (shutdown of a served sandbox).
   */
  async finish(): Promise<void> {
    await this.close();
    this.sandbox.runtime.cancelWaitingActions(this.id, () => new ActionCancelled('the flow was stopped while this action waited for its answer'));
    while (this.unfinished.size > 0) await Promise.all([...this.unfinished]);
    if (!this.shared) for (const api of this.used) await api.close?.();
  }
}
