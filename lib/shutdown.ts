/**
 * Clean shutdown for long-running commands (the mock PBX, `npm start -- --serve`): the first SIGINT
 * or SIGTERM runs `stop` (close servers, child processes) and exits 0; a second signal while
 * stopping exits at once, so a stuck stop never traps the user.
 */
export function stopOnSignals(stop: () => Promise<void>, io: { err: (line: string) => void } = { err: (l) => process.stderr.write(`${l}\n`) }): () => void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      io.err(`${signal} again: exiting without waiting`);
      process.exit(1);
    }
    stopping = true;
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        io.err(`stopping failed: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
}
