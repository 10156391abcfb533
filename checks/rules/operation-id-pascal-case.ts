import { type Rule, SOURCES } from '../rule';

/**
 * Letters and digits starting with a letter, in PascalCase or lowerCamelCase, with optional
 * underscores between parts (`GetItem_V2`, `Contacts_List`): Microsoft's own connectors use all of these.
 */
const ID = /^[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*$/;

export const rule: Rule = {
  id: 'operation-id-pascal-case',
  severity: 'warn',
  description: 'Every `operationId` is one word of letters and digits (PascalCase such as `GetCallHistory` preferred; lowerCamel and `_V2`-style suffixes are accepted): no hyphens, spaces or dots, which flows and the SDKs cannot use as names.',
  fix: 'Join the words without separators, e.g. `Get-Call by id` → `GetCallByID`.',
  source: SOURCES.strings,
  check(c) {
    return c.operations()
      .filter((op) => op.operationId !== undefined && !ID.test(op.operationId))
      .map((op) => ({ pointer: `${op.pointer}/operationId`, operationId: op.operationId, message: `The operationId '${op.operationId}' contains characters other than letters, digits and underscores between words.` }));
  },
};
