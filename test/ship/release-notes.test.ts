/**
 * The version is bumped consistently, the CHANGELOG states it, and the limits the documentation
 * states are the ones script.csx enforces.
 */
import * as fs from 'fs';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { documentedLimits } from '../../connector/model/limits';
import { connector } from '../../connector/model/connector';

const root = path.join(__dirname, '../..');
const read = (file: string): string => fs.readFileSync(path.join(root, file), 'utf8');

describe('version and changelog', () => {
  const definition = JSON.parse(read('apiDefinition.swagger.json')) as { info: { version: string } };
  const changelog = read('CHANGELOG.md');

  it('bumps the connector past the published 1.0, in the model and in the committed definition', () => {
    expect(connector.brand.version).not.toBe('1.0');
    expect(definition.info.version).toBe(connector.brand.version);
  });

  it('opens the CHANGELOG with an entry for the model version that states the bump', () => {
    const first = /^## \[([^\]]+)\]/m.exec(changelog);
    expect(first?.[1]).toBe(connector.brand.version);
    const entry = changelog.slice(first!.index, changelog.indexOf('\n## [', first!.index + 1));
    expect(entry).toContain(`Connector version ${connector.brand.version} (was 1.0)`);
    expect(entry).toContain('No existing flow needs a change');
    for (const section of ['### Fixed', '### Added', '### Known issues']) expect(entry).toContain(section);
  });
});

describe('documented limits', () => {
  const script = read('script.csx');
  const constant = (name: string): number => {
    const match = new RegExp(`const int ${name} = (\\d+);`).exec(script);
    if (!match) throw new Error(`script.csx has no constant ${name}`);
    return Number(match[1]);
  };

  it('match the time budget, the items per check and the default page size of script.csx', () => {
    expect(constant('BudgetMs')).toBe(documentedLimits.scriptBudgetMs);
    expect(constant('MaxItemsPerCheck')).toBe(documentedLimits.maxItemsPerCheck);
    expect(constant('DefaultPageSize')).toBe(documentedLimits.defaultPageSize);
  });

  it('match the webhook limit the custom code tells users about', () => {
    expect(script).toContain(`at most ${documentedLimits.maxWebhooks} webhooks`);
  });
});
