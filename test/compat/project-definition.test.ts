import * as fs from 'fs';
import * as path from 'path';
import { expect, it } from 'vitest';
import { checkCompatibility, loadBaseline } from '../../connector/compat/guard';

const PROJECT_DEFINITION = path.resolve(__dirname, '../../apiDefinition.swagger.json');

it('the generated apiDefinition.swagger.json keeps the whole published 1.0 surface', () => {
  if (!fs.existsSync(PROJECT_DEFINITION)) {
    throw new Error(`${PROJECT_DEFINITION} is missing: generate it with npm run build`);
  }
  const definition = JSON.parse(fs.readFileSync(PROJECT_DEFINITION, 'utf8')) as object;
  const findings = checkCompatibility(loadBaseline(), definition);
  expect(findings.map((f) => `${f.rule} at ${f.pointer}: ${f.message}`)).toEqual([]);
});
