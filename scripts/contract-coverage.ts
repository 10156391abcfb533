/**
 * `npm run contract:coverage`: a table of operations by scenario kind (success, empty, error, 429,
 * event); exits 1 when an operation or webhook event lacks a success (or event) scenario, or when a
 * scenario is malformed or names an unknown operation.
 */
import * as path from 'path';
import { defineCommand, runCommand } from '../lib/cli';

export const COVERAGE_CLI = defineCommand({
  command: 'npm run contract:coverage --',
  summary:
    'Prints which operations have which kinds of scenario (success, empty, error, 429, event) under test/scenarios/; ' +
    'exits 1 when an operation or webhook event lacks a success (or event) scenario, or a scenario is malformed ' +
    'or names an unknown operation.',
  flags: {},
  examples: ['npm run contract:coverage'],
});

async function main(): Promise<number> {
  // Loaded after the arguments are read, so that --help and usage errors answer at once.
  const { contractCoverage, coverageOperations, formatCoverage } = await import('../contract/coverage');
  const { DefinitionError, PROJECT_ROOT } = await import('../lib/definition');
  const { loadProjectContract } = await import('../contract/project');
  const { listScenarios, ScenarioError } = await import('../contract/scenario');
  try {
    const def = loadProjectContract();
    const scenarios = listScenarios().map((l) => l.scenario);
    const report = contractCoverage(coverageOperations(def), scenarios);
    process.stdout.write(formatCoverage(report));
    process.stdout.write(`${scenarios.length} scenarios in ${path.relative(PROJECT_ROOT, path.join(PROJECT_ROOT, 'test', 'scenarios'))}\n`);
    for (const p of report.problems) process.stderr.write(`error: ${p}\n`);
    return report.problems.length === 0 ? 0 : 1;
  } catch (e) {
    if (e instanceof ScenarioError || e instanceof DefinitionError) {
      process.stderr.write(`error: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}

if (require.main === module) runCommand(COVERAGE_CLI, main);
