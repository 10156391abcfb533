/**
 * The project's own definition as the contract harness reads it: the generated files, plus the 1.0
 * cursor of each polling trigger (from the model), which script.csx keeps in the Locations it writes
 * now that no `pollingtrigger` policy declares it. Scenario replays carry it from poll to poll as before.
 */
import { connector } from '../connector/model/connector';
import { loadProjectDefinition, PROJECT_ROOT, type ContractDefinition, type ScriptCursor } from '../lib/definition';

export function projectCursors(): ScriptCursor[] {
  return connector.operations.flatMap((op) => (op.kind === 'polling' ? [{ operationId: op.operationId, parameter: op.stateParameter, idField: op.cursorField }] : []));
}

export function loadProjectContract(root: string = PROJECT_ROOT): ContractDefinition {
  return loadProjectDefinition(root, projectCursors());
}
