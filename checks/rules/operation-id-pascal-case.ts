import { type Rule, SOURCES } from '../rule';

/** PascalCase words, with an optional `_V2`-style revision suffix (the platform's versioning convention). */
const PASCAL = /^[A-Z][A-Za-z0-9]*(_V\d+)?$/;

export const rule: Rule = {
  id: 'operation-id-pascal-case',
  severity: 'error',
  description: 'Every `operationId` is PascalCase (e.g. `GetCallHistory`), optionally with a `_V2` revision suffix.',
  fix: 'Start the id with a capital letter and join words without separators.',
  source: SOURCES.strings,
  check(c) {
    return c.operations()
      .filter((op) => op.operationId !== undefined && !PASCAL.test(op.operationId))
      .map((op) => ({ pointer: `${op.pointer}/operationId`, operationId: op.operationId, message: `The operationId '${op.operationId}' is not PascalCase.` }));
  },
};
