/**
 * `npm run build`: regenerate every artifact from the model, then run the checks.
 * The builders are pure; this is the thin writer.
 */
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { buildArtifacts } from '../connector/build/artifacts';

const root = join(__dirname, '..');
let artifacts: ReturnType<typeof buildArtifacts>;
try {
  artifacts = buildArtifacts();
} catch (error) {
  // A model the builders refuse (two operations on one route, a view field that does not exist...).
  console.error(`build: the model cannot be built: ${(error as Error).message}`);
  process.exit(1);
}
let written = 0;
for (const artifact of artifacts) {
  const target = join(root, artifact.path);
  if (existsSync(target) && readFileSync(target, 'utf8') === artifact.content) continue;
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, artifact.content);
  written++;
  console.log(`wrote ${artifact.path}`);
}
console.log(`build: ${written} file(s) changed`);
if (process.argv.includes('--no-check')) process.exit(0);
const check = spawnSync(process.execPath, [require.resolve('ts-node/dist/bin.js'), join(root, 'scripts/check.ts'), ...process.argv.slice(2)], {
  stdio: 'inherit',
  cwd: root,
});
process.exit(check.status ?? 1);
