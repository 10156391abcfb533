import { describe, expect, it } from 'vitest';
import { parseBaseline, serializeBaseline } from '../../connector/compat/baseline-format';
import { BASELINE_VERSION, checkCompatibility, compareSurfaces, COMPAT_RULE_DOCS, COMPAT_RULES, type CompatRuleId } from '../../connector/compat/guard';
import { withFixHint } from '../../connector/compat/rules';
import { extractSurface, type Surface } from '../../connector/compat/surface';
import { ACT, at, inlineDefinition, type JsonObject, THING_BY_ID, THING_CREATED, THINGS } from './fixtures';

/** The baseline as the guard sees it in production: serialized, stored, parsed back (no pointers). */
function baselineOf(definition: JsonObject): Surface {
  return parseBaseline(JSON.parse(serializeBaseline(extractSurface(definition), { source: 'fixture' })), 'fixture');
}

const BASELINE = baselineOf(inlineDefinition());

/** Applies `change` to a fresh copy of the fixture and runs the guard. */
function guardAfter(change: (definition: JsonObject) => void): ReturnType<typeof checkCompatibility> {
  const definition = inlineDefinition();
  change(definition);
  const findings = checkCompatibility(BASELINE, definition);
  // Every rule the guard reports is in its catalogue (the check CLI and docs list them from there).
  for (const finding of findings) expect(Object.keys(COMPAT_RULES)).toContain(finding.rule);
  return findings;
}

const properties = (definition: JsonObject, pointer: string): JsonObject => at(definition, pointer).properties as JsonObject;
const parameters = (definition: JsonObject, operation: string): JsonObject[] => at(definition, operation).parameters as JsonObject[];
const DATA = `${THING_BY_ID}/responses/200/schema/properties/data`;

/** The message the guard reports: what changed, then the rule's fix hint and its section of docs/rules.md. */
const hint = (rule: CompatRuleId, change: string): string => withFixHint(rule, change);

describe('checkCompatibility', () => {
  it('reports nothing for an unchanged definition', () => {
    expect(checkCompatibility(BASELINE, inlineDefinition())).toEqual([]);
  });

  describe('breaking changes, one category per test', () => {
    it('a removed operation', () => {
      const findings = guardAfter((d) => {
        delete (d.paths as JsonObject)['/act'];
      });
      expect(findings).toEqual([
        {
          file: 'apiDefinition.swagger.json',
          pointer: '/paths/~1act/post',
          rule: 'compat-operation-removed',
          severity: 'error',
          message: hint('compat-operation-removed', 'Act: operation removed (was POST /act)'),
          operationId: 'Act',
        },
      ]);
    });

    it('a renamed operation (same route, new operationId)', () => {
      const findings = guardAfter((d) => {
        at(d, ACT).operationId = 'ActNow';
      });
      expect(findings.map((f) => [f.rule, f.pointer, f.operationId])).toEqual([['compat-operation-renamed', `${ACT}/operationId`, 'Act']]);
      expect(findings[0].message).toBe(hint('compat-operation-renamed', 'Act: operation renamed to ActNow (POST /act)'));
    });

    it('an operation made internal', () => {
      const findings = guardAfter((d) => {
        at(d, THING_BY_ID)['x-ms-visibility'] = 'internal';
      });
      expect(findings.map((f) => [f.rule, f.pointer])).toEqual([['compat-operation-internal', `${THING_BY_ID}/x-ms-visibility`]]);
    });

    it('a changed path template', () => {
      const findings = guardAfter((d) => {
        const paths = d.paths as JsonObject;
        paths['/v2/act'] = paths['/act'];
        delete paths['/act'];
      });
      expect(findings.map((f) => [f.rule, f.pointer, f.message])).toEqual([
        ['compat-route-changed', '/paths/~1v2~1act/post', hint('compat-route-changed', 'Act: route changed POST /act → POST /v2/act')],
      ]);
    });

    it('a changed method', () => {
      const findings = guardAfter((d) => {
        const item = (d.paths as JsonObject)['/act'] as JsonObject;
        item.put = item.post;
        delete item.post;
      });
      expect(findings.map((f) => [f.rule, f.message])).toEqual([['compat-route-changed', hint('compat-route-changed', 'Act: route changed POST /act → PUT /act')]]);
    });

    it('a removed parameter, and a removed body property', () => {
      const findings = guardAfter((d) => {
        at(d, THINGS).parameters = parameters(d, THINGS).filter((p) => p.name !== 'limit');
        delete properties(d, `${ACT}/parameters/0/schema`).note;
      });
      expect(findings.map((f) => [f.rule, f.pointer, f.message])).toEqual([
        ['compat-parameter-removed', `${ACT}/parameters/0`, hint('compat-parameter-removed', 'Act: parameter body/note (body) removed')],
        ['compat-parameter-removed', `${THINGS}/parameters`, hint('compat-parameter-removed', 'GetThings: parameter limit (query) removed')],
      ]);
    });

    it('a removed body parameter is reported once, not once per property', () => {
      const findings = guardAfter((d) => {
        at(d, ACT).parameters = [];
      });
      expect(findings.map((f) => f.message)).toEqual([hint('compat-parameter-removed', 'Act: parameter body (body) removed')]);
    });

    it('a parameter moved to another location', () => {
      const findings = guardAfter((d) => {
        parameters(d, THINGS)[0].in = 'header';
      });
      expect(findings.map((f) => [f.rule, f.pointer, f.message])).toEqual([
        ['compat-parameter-moved', `${THINGS}/parameters/0`, hint('compat-parameter-moved', 'GetThings: parameter limit moved query → header')],
      ]);
    });

    it('a retyped parameter (type, or a format added)', () => {
      const findings = guardAfter((d) => {
        parameters(d, THINGS)[0].type = 'string';
        parameters(d, THING_BY_ID)[0].format = 'int64';
        properties(d, `${ACT}/parameters/0/schema`).target = { type: 'integer' };
      });
      expect(findings.map((f) => [f.rule, f.message])).toEqual([
        ['compat-parameter-retyped', hint('compat-parameter-retyped', 'Act: parameter body/target changed type string → integer')],
        ['compat-parameter-retyped', hint('compat-parameter-retyped', 'GetThingByID: parameter thing_id changed type integer → integer/int64')],
        ['compat-parameter-retyped', hint('compat-parameter-retyped', 'GetThings: parameter limit changed type integer → string')],
      ]);
    });

    it('a parameter made internal', () => {
      const findings = guardAfter((d) => {
        parameters(d, THINGS)[1]['x-ms-visibility'] = 'internal';
      });
      expect(findings.map((f) => [f.rule, f.pointer, f.message])).toEqual([
        ['compat-parameter-internal', `${THINGS}/parameters/1`, hint('compat-parameter-internal', 'GetThings: parameter date_from made internal (was visible, no x-ms-visibility)')],
      ]);
    });

    it('an optional parameter made required (also a body property)', () => {
      const findings = guardAfter((d) => {
        parameters(d, THINGS)[0].required = true;
        (at(d, `${ACT}/parameters/0/schema`).required as string[]).push('note');
      });
      expect(findings.map((f) => [f.rule, f.message])).toEqual([
        ['compat-parameter-required', hint('compat-parameter-required', 'Act: optional parameter body/note made required')],
        ['compat-parameter-required', hint('compat-parameter-required', 'GetThings: optional parameter limit made required')],
      ]);
    });

    it('a new required visible parameter; internal with a default is fine, internal without is not', () => {
      const findings = guardAfter((d) => {
        parameters(d, THINGS).push(
          { name: 'kind', in: 'query', required: true, type: 'string' },
          { name: 'api_version', in: 'query', required: true, type: 'string', default: '2', 'x-ms-visibility': 'internal' },
          { name: 'tenant', in: 'query', required: true, type: 'string', 'x-ms-visibility': 'internal' },
        );
      });
      expect(findings.map((f) => [f.rule, f.pointer, f.message])).toEqual([
        ['compat-parameter-new-required', `${THINGS}/parameters/3`, hint('compat-parameter-new-required', 'GetThings: new required parameter kind (query)')],
        ['compat-parameter-new-required', `${THINGS}/parameters/5`, hint('compat-parameter-new-required', 'GetThings: new required parameter tenant (query)')],
      ]);
    });

    it('a new required body property', () => {
      const findings = guardAfter((d) => {
        const schema = at(d, `${ACT}/parameters/0/schema`);
        (schema.properties as JsonObject).priority = { type: 'integer' };
        (schema.required as string[]).push('priority');
      });
      expect(findings.map((f) => [f.rule, f.pointer])).toEqual([
        ['compat-parameter-new-required', `${ACT}/parameters/0/schema/properties/priority`],
      ]);
    });

    it('a removed output field (nested in arrays, in an event, or a whole object once)', () => {
      const findings = guardAfter((d) => {
        const member = `${THINGS}/responses/200/schema/properties/data/items/properties/groups/items/properties/members/items`;
        delete properties(d, member).contactID;
        delete properties(d, `${THING_CREATED}/x-ms-notification-content/schema/properties/data`).id;
        delete properties(d, `${THING_BY_ID}/responses/200/schema`).data;
      });
      expect(findings.map((f) => [f.rule, f.message])).toEqual([
        ['compat-output-removed', hint('compat-output-removed', 'GetThingByID: output field data removed')],
        ['compat-output-removed', hint('compat-output-removed', 'GetThings: output field data[]/groups[]/members[]/contactID removed')],
        ['compat-output-removed', hint('compat-output-removed', 'ThingCreated: output field data/id removed')],
      ]);
      // The pointer leads to where the field used to be: its nearest surviving parent.
      expect(findings[1].pointer).toBe(`${THINGS}/responses/200/schema/properties/data/items/properties/groups/items/properties/members`);
      expect(findings[0].pointer).toBe(`${THING_BY_ID}/responses/200/schema`);
    });

    it('a retyped output field (type, format added, array item type)', () => {
      const findings = guardAfter((d) => {
        properties(d, DATA).id = { type: 'string' };
        properties(d, DATA).created = { type: 'string', format: 'date-time' };
        properties(d, DATA).tags = { type: 'array', items: { type: 'integer' } };
      });
      expect(findings.map((f) => [f.rule, f.pointer, f.message])).toEqual([
        ['compat-output-retyped', `${DATA}/properties/created`, hint('compat-output-retyped', 'GetThingByID: output field data/created changed type string → string/date-time')],
        ['compat-output-retyped', `${DATA}/properties/id`, hint('compat-output-retyped', 'GetThingByID: output field data/id changed type integer/int32 → string')],
        ['compat-output-retyped', `${DATA}/properties/tags/items`, hint('compat-output-retyped', 'GetThingByID: output field data/tags[] changed type string → integer')],
      ]);
    });

    it('a changed trigger kind', () => {
      const findings = guardAfter((d) => {
        delete at(d, THINGS)['x-ms-trigger'];
        at(d, ACT)['x-ms-trigger'] = 'batch';
      });
      expect(findings.map((f) => [f.rule, f.pointer, f.message])).toEqual([
        ['compat-trigger-kind-changed', `${ACT}/x-ms-trigger`, hint('compat-trigger-kind-changed', 'Act: trigger kind changed none → batch')],
        ['compat-trigger-kind-changed', THINGS, hint('compat-trigger-kind-changed', 'GetThings: trigger kind changed batch → none')],
      ]);
    });
  });

  describe('fix hints', () => {
    it('follow what broke with what to do and where the rule is explained', () => {
      const findings = guardAfter((d) => {
        delete properties(d, DATA).id;
      });
      expect(findings.map((f) => [f.rule, f.operationId, f.message])).toEqual([
        [
          'compat-output-removed',
          'GetThingByID',
          'GetThingByID: output field data/id removed — existing flows read it: keep it, or add a new operation instead (docs/rules.md#compat-output-removed)',
        ],
      ]);
    });

    it('exist for every rule, short, with a fix that keeps the published operation and names the way out', () => {
      for (const [id, rule] of Object.entries(COMPAT_RULE_DOCS)) {
        expect(COMPAT_RULES[id as CompatRuleId], id).toBe(rule.description);
        expect(rule.hint.length, id).toBeLessThanOrEqual(120);
        expect(rule.hint, id).not.toMatch(/[|`]/); // the change report puts messages in a Markdown table
        expect(hint(id as CompatRuleId, 'X: change'), id).toBe(`X: change — ${rule.hint} (docs/rules.md#${id})`);
        if (id === 'compat-definition-unreadable') continue;
        expect(rule.fix, id).toContain('deprecated: true');
        expect(rule.fix, id).toContain('new operation beside it');
        expect(rule.fix, id).toContain('Changing an operation safely');
      }
    });
  });

  describe('the webhook subscription exemption', () => {
    it('allows making the platform-filled subscription body internal', () => {
      const findings = guardAfter((d) => {
        parameters(d, `${THING_CREATED}/post`)[0]['x-ms-visibility'] = 'internal';
      });
      expect(findings).toEqual([]);
    });

    it('does not extend to a body a flow author fills', () => {
      const findings = guardAfter((d) => {
        parameters(d, ACT)[0]['x-ms-visibility'] = 'internal';
      });
      expect(findings.map((f) => [f.rule, f.message])).toEqual([['compat-parameter-internal', hint('compat-parameter-internal', 'Act: parameter body made internal (was important)')]]);
    });

    it('does not extend to a subscription body with a property the author fills', () => {
      const findings = guardAfter((d) => {
        const body = parameters(d, `${THING_CREATED}/post`)[0];
        (at(body, '/schema/properties') as JsonObject).filter = { type: 'string' };
        body['x-ms-visibility'] = 'internal';
      });
      expect(findings.map((f) => f.rule)).toEqual(['compat-parameter-internal']);
    });
  });

  it('allows additions and better texts, and lists the additions', () => {
    const definition = inlineDefinition();
    at(definition, THING_BY_ID).summary = 'Get a thing by its ID';
    at(definition, THING_BY_ID).description = 'Retrieves one thing.';
    parameters(definition, THINGS).push({ name: 'name', in: 'query', required: false, type: 'string' });
    properties(definition, DATA).archived = { type: 'boolean' };
    (definition.paths as JsonObject)['/things'] = {
      post: { operationId: 'CreateThing', parameters: [], responses: { '201': { description: 'Created', schema: { type: 'object' } } } },
    };
    const { breaking, added } = compareSurfaces(BASELINE, extractSurface(definition));
    expect(breaking).toEqual([]);
    expect(added).toEqual([
      { operationId: 'GetThingByID', kind: 'output', path: 'data/archived' },
      { operationId: 'GetThings', kind: 'parameter', path: 'name' },
      { operationId: 'CreateThing', kind: 'operation', path: 'POST /things' },
    ]);
  });

  it('names the version of the published baseline', () => {
    expect(BASELINE_VERSION).toBe('1.0');
  });

  it('turns an unreadable definition into one finding with a pointer', () => {
    const findings = guardAfter((d) => {
      at(d, `${THING_BY_ID}/responses/200`).schema = { $ref: '#/definitions/Missing' };
    });
    expect(findings).toHaveLength(1);
    expect(findings[0].rule).toBe('compat-definition-unreadable');
    expect(findings[0].pointer).toBe(`${THING_BY_ID}/responses/200/schema`);
    expect(findings[0].message).toContain("unresolved $ref '#/definitions/Missing'");
  });
});
