/**
 * Clean shutdown for long-running commands (the mock PBX, `npm start -- --serve`): the first SIGINT
 * or SIGTERM runs `stop` (close servers, child processes) and exits with the code it returns (0 when
 * it returns none); a second signal while stopping exits at once, so a stuck stop never traps the user.
 *
 * Run through npm or npx, the command is a grandchild: `npm start` → `sh -c` → node. SIGTERM to npm
 * reaches the shell, which dies without passing it on, and node would keep serving as an orphan. So
 * the command also stops when its parent process goes away (its parent id changes).
 */
export interface ShutdownOptions {
  err?: (line: string) => void;
  /** How often to look at the parent process (ms); 0 turns the watch off. */
  parentPollMs?: number;
}

export function stopOnSignals(stop: () => Promise<number | void>, options: ShutdownOptions = {}): () => void {
  const err = options.err ?? ((line: string) => process.stderr.write(`${line}\n`));
  let stopping = false;
  const shutDown = (why: string): void => {
    if (stopping) {
      err(`${why} again: exiting without waiting`);
      process.exit(1);
    }
    stopping = true;
    stop().then(
      (code) => process.exit(code ?? 0),
      (error: unknown) => {
        err(`stopping failed: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      },
    );
  };
  const onSignal = (signal: NodeJS.Signals): void => shutDown(signal);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const parent = process.ppid;
  const pollMs = options.parentPollMs ?? 500;
  const watch = pollMs > 0 ? setInterval(() => process.ppid !== parent && shutDown('parent process gone'), pollMs) : undefined;
  watch?.unref();
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    if (watch) clearInterval(watch);
  };
}
