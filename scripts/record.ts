/** `npm run record -- <operationId>... [options]`: the command lives in contract/record-cli.ts (flags, --help). */
import { runRecordCli } from '../contract/record-cli';

runRecordCli(process.argv.slice(2), process.env, { out: (l) => console.log(l), err: (l) => console.error(l) }).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    console.error(`record: unexpected failure: ${(e as Error).stack ?? String(e)}`);
    process.exitCode = 1;
  },
);
