/**
 * Quiet tests: a test run prints nothing but vitest's own output. `captureOutput` takes over the
 * console and process.stdout/stderr until `stop()`, which restores them and returns what was
 * written; test/support/quiet-setup.ts uses it around every test and every test file and fails
 * the test (or file) that wrote anything. A test that means to print injects its own sink instead.
 */
import { format } from 'node:util';

export interface Capture {
  /** Restores the console and streams; returns what was written meanwhile, one entry per write. */
  stop(): string[];
}

const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace', 'dir', 'table'] as const;

export function captureOutput(): Capture {
  const written: string[] = [];
  const restore: Array<() => void> = [];
  for (const method of CONSOLE_METHODS) {
    const original = console[method];
    console[method] = (...args: unknown[]) => {
      written.push(`console.${method}: ${format(...args)}`);
    };
    restore.push(() => {
      console[method] = original;
    });
  }
  for (const name of ['stdout', 'stderr'] as const) {
    const stream = process[name];
    const original = stream.write;
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      written.push(`process.${name}: ${typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8')}`);
      const callback = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
      callback?.();
      return true;
    }) as typeof stream.write;
    restore.push(() => {
      stream.write = original;
    });
  }
  let stopped = false;
  return {
    stop() {
      if (!stopped) for (const undo of restore.reverse()) undo();
      stopped = true;
      return written;
    },
  };
}

/** The failure for output that was not asked for: what was written, shortened. */
export function strayOutputError(where: string, written: readonly string[]): Error {
  const shown = written.slice(0, 5).map((w) => `  ${w.trimEnd().slice(0, 300)}`);
  const more = written.length > 5 ? [`  … and ${written.length - 5} more`] : [];
  return new Error(
    [`${where} wrote to the console (tests must be quiet: give the code under test a sink instead):`, ...shown, ...more].join('\n'),
  );
}
