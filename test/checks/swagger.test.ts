/**
 * The Swagger 2.0 step on shapes that import and run although the Swagger 2.0 schema refuses them:
 * each is reported once, as a warning in readable words, or left to the rule that owns it.
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateSwagger } from '../../checks/swagger';
import { baseFiles } from './fixture';
import { GET_CALL, op } from './helpers';

const cacheDir = resolve(__dirname, '../../.cache');
const swaggerFindings = async (f: ReturnType<typeof baseFiles>) =>
  (await validateSwagger(f.definition, { cacheDir, properties: f.properties })).map((x) => ({ rule: x.rule, severity: x.severity, pointer: x.pointer, message: x.message }));

describe('the Swagger 2.0 step', () => {
  it('leaves `responses: {}` to OperationShouldHaveSuccessfulResponse: no second finding, no error', async () => {
    const f = baseFiles();
    op.webhook(f).responses = {};
    op.getCall(f).responses = {};
    expect(await swaggerFindings(f)).toEqual([]);
    // The operation still has to exist as Swagger: another schema error on it is still reported.
    op.getCall(f).parameters[0].in = 'paath';
    expect((await swaggerFindings(f)).map((x) => [x.severity, x.pointer])).toEqual([['error', `${GET_CALL}/parameters/0`]]);
  });

  it('accepts a `{{…}}` host that a dynamichosturl policy replaces (a warning), and refuses it without the policy', async () => {
    const f = baseFiles();
    f.definition.host = '{{siteUrl}}';
    expect(await swaggerFindings(f)).toEqual([expect.objectContaining({ rule: 'swagger-schema', severity: 'error', pointer: '/host' })]);
    // Microsoft's own connectors write the template id as `dynamicHostUrl`.
    f.properties.properties.policyTemplateInstances.push({ templateId: 'dynamicHostUrl', title: 'Set host', parameters: { 'x-ms-apimTemplateParameter.urlTemplate': "@connectionParameters('siteUrl')" } });
    expect(await swaggerFindings(f)).toEqual([
      expect.objectContaining({ rule: 'swagger-schema', severity: 'warn', pointer: '/host', message: expect.stringMatching(/dynamichosturl policy .* sets the host of every request/) }),
    ]);
  });

  it('takes `security: {}` (Azure Communication Services MMS, certified) as a warning, and another object as an error', async () => {
    const f = baseFiles();
    f.definition.security = {};
    expect(await swaggerFindings(f)).toEqual([
      expect.objectContaining({ rule: 'swagger-schema', severity: 'warn', pointer: '/security', message: expect.stringMatching(/`security: \{\}` requires nothing, as `\[\]` would/) }),
    ]);
    f.definition.security = { api_key: [] };
    expect(await swaggerFindings(f)).toEqual([expect.objectContaining({ rule: 'swagger-schema', severity: 'error', pointer: '/security' })]);
  });

  it('reports a value listed twice in a parameter enum once, in readable words, instead of a failed oneOf', async () => {
    const f = baseFiles();
    op.getCalls(f).parameters.push({ name: 'status', in: 'query', type: 'string', enum: ['answered', 'missed', 'answered'], 'x-ms-summary': 'Status', description: 'Status.' });
    const at = `/paths/~1trigger~1calls/get/parameters/${op.getCalls(f).parameters.length - 1}/enum`;
    expect(await swaggerFindings(f)).toEqual([
      { rule: 'swagger-schema', severity: 'warn', pointer: at, message: 'Swagger 2.0 schema: the enum lists "answered" more than once; the designer shows it twice. Remove the repeat.' },
    ]);
    // The definition itself is left as it was.
    expect(op.getCalls(f).parameters.at(-1).enum).toEqual(['answered', 'missed', 'answered']);
  });

  it('still reports an unreadable parameter as a failed oneOf error', async () => {
    const f = baseFiles();
    op.getCalls(f).parameters.push({ name: 'x', in: 'query', type: 'strin' });
    const found = await swaggerFindings(f);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ rule: 'swagger-schema', severity: 'error' });
  });

  it('follows a chain of 10,000 $refs and an allOf cycle without overflowing the stack', async () => {
    const f = baseFiles();
    for (let i = 0; i < 10000; i++) f.definition.definitions[`Link${i}`] = { type: 'object', properties: { next: { $ref: `#/definitions/Link${i + 1}` } } };
    f.definition.definitions.Link10000 = { type: 'object', allOf: [{ $ref: '#/definitions/Loop' }] };
    f.definition.definitions.Loop = { type: 'object', required: ['a'], properties: { a: { type: 'string' } }, allOf: [{ $ref: '#/definitions/Link10000' }] };
    op.getCall(f).responses['200'].schema = { $ref: '#/definitions/Link0' };
    const found = await swaggerFindings(f);
    expect(found.filter((x) => x.severity === 'error')).toEqual([]);
  });
});
