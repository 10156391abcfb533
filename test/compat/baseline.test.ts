import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { describe, expect, it } from 'vitest';
import { parseBaseline, serializeBaseline } from '../../connector/compat/baseline-format';
import { BASELINE_FILE, loadBaseline } from '../../connector/compat/guard';
import { extractSurface } from '../../connector/compat/surface';
import { inlineDefinition } from './fixtures';

describe('the stored baseline format', () => {
  const surface = extractSurface(inlineDefinition());
  const text = serializeBaseline(surface, { source: 'fixture/apiDefinition.swagger.json' });

  it('is two-space JSON with LF and a trailing newline, without pointers into the source file', () => {
    expect(text.endsWith('}\n')).toBe(true);
    expect(text).not.toContain('\r');
    expect(text).toContain('\n  "operations": [\n');
    expect(text).not.toMatch(/"pointer"|"outputsPointer"/);
  });

  it('reads back to the same surface', () => {
    const strip = <T extends { pointer?: string }>(item: T): T => ({ ...item, pointer: undefined });
    const expected = surface.operations.map((op) => ({
      ...strip(op),
      outputsPointer: undefined,
      parameters: op.parameters.map(strip),
      outputs: op.outputs.map(strip),
    }));
    const parsed = parseBaseline(JSON.parse(text), 'fixture');
    expect(JSON.parse(JSON.stringify(parsed.operations))).toEqual(JSON.parse(JSON.stringify(expected)));
  });

  it('is stable: same input, same bytes', () => {
    expect(serializeBaseline(extractSurface(inlineDefinition()), { source: 'fixture/apiDefinition.swagger.json' })).toBe(text);
  });

  it('rejects a damaged baseline naming the broken entry', () => {
    const damaged = JSON.parse(text) as { operations: Array<{ outputs: Array<Record<string, unknown>> }> };
    damaged.operations[1].outputs[2].type = 7;
    expect(() => parseBaseline(damaged, 'published-1.0.json')).toThrow(
      /published-1\.0\.json: operations\[1\]\.outputs\[2\]\.type: expected a string or null\. Regenerate it with: npm run baseline/,
    );
    expect(() => parseBaseline({}, 'published-1.0.json')).toThrow(/operations: expected an array/);
  });
});

describe('loadBaseline', () => {
  it('reads the committed published-1.0 baseline, which holds the published operations', () => {
    const baseline = loadBaseline();
    const history = baseline.operations.find((op) => op.operationId === 'GetCallHistory');
    expect(history?.trigger).toBe('batch');
    expect(history?.outputs.find((f) => f.path === 'data[]/callID')).toEqual({ path: 'data[]/callID', type: 'integer', format: 'int32' });
    // The committed file is exactly what the serializer writes (no hand edits, no stale format).
    expect(serializeBaseline(baseline, { source: 'certified-connector-1.0/apiDefinition.swagger.json' })).toBe(
      fs.readFileSync(BASELINE_FILE, 'utf8'),
    );
  });

  it('says how to create a missing baseline', () => {
    const missing = path.join(os.tmpdir(), 'compat-no-such-baseline.json');
    expect(() => loadBaseline(missing)).toThrow(/is missing\. Create it with: npm run baseline -- --from <production folder>/);
  });
});
