/**
 * Public API of the contract harness for other parts of the project (script tests, sandbox):
 * scenarios by operationId and name, and the replay against a definition.
 */
export { listScenarios, listScenarioFiles, loadScenario, readScenarioFile, serializeScenario, writeScenario, ScenarioError, SCENARIO_ROOT } from './scenario';
export type { Scenario, ExchangeScenario, EventScenario, ScenarioStep, ScenarioRequest, ScenarioResponse, LoadedScenario, JsonValue } from './scenario';
export { ContractDefinition, DefinitionError, loadProjectDefinition, PROJECT_ROOT } from './definition';
export { replayScenario, findingDifferences } from './replay';
export type { ContractFinding } from './findings';
export { contractCoverage, coverageOperations, formatCoverage, WEBHOOK_EVENTS } from './coverage';
