/**
 * `npm run setup`: installs what the tests need beyond npm (Mono's C# compiler, System.Net.Http,
 * Newtonsoft.Json) through scripts/setup.sh, which `npm test` also runs first. Quick when all is there.
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { defineCommand, runCommand } from '../lib/cli';

export const SETUP_CLI = defineCommand({
  command: 'npm run setup --',
  summary:
    "Installs what the tests need beyond npm: Mono's C# compiler (mcs), System.Net.Http and Newtonsoft.Json, from " +
    "Debian/Ubuntu packages, to compile and run script.csx. Does nothing when they are there; needs root or sudo once otherwise.",
  flags: {},
  notes: ['npm test runs the same step first (scripts/setup.sh); CI runs it on a clean machine.'],
  examples: ['npm run setup'],
});

function main(): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn('bash', [path.join(__dirname, 'setup.sh')], { stdio: 'inherit' });
    child.on('error', (error) => {
      process.stderr.write(`npm run setup: could not run bash: ${error.message}\n`);
      resolve(1);
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

if (require.main === module) runCommand(SETUP_CLI, main);
