/**
 * `npm run contract:coverage`: a table of operations by scenario kind (success, empty, error, 429,
 * event); exits 1 when an operation or webhook event lacks a success (or event) scenario, or when a
 * scenario is malformed or names an unknown operation.
 */
import * as path from 'path';
import { contractCoverage, coverageOperations, formatCoverage } from '../contract/coverage';
import { DefinitionError, PROJECT_ROOT } from '../lib/definition';
import { loadProjectContract } from '../contract/project';
import { listScenarios, ScenarioError } from '../contract/scenario';

function main(): number {
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

process.exitCode = main();
