import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { runRules } from '../checks/engine';
import { validateSwagger } from '../checks/swagger';
const C = '/work/shared/corpus/connectors';
const dirs = readdirSync(C).flatMap((g) => readdirSync(join(C, g)).map((n) => join(C, g, n)));
let seed = 42; const rnd = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
const odd = [{ "x-ms-trigger": "single" }, { "x-ms-notification-content": 5 }, { "operationId": 3 }, { "in": "path", "name": 5 }, null, 7, 'x', [], {}, true, [null], { $ref: '#/nowhere' }, { $ref: 5 }, { type: 'array' }, -1, '', { properties: null }, { items: [] }, { allOf: 'x' }];
const crashes = new Map<string, number>();
(async () => {
  for (const dir of dirs) {
    const path = join(dir, 'apiDefinition.swagger.json');
    let text: string; try { text = readFileSync(path, 'utf8').replace(/^\uFEFF/, ''); JSON.parse(text); } catch { continue; }
    const props = existsSync(join(dir, 'apiProperties.json')) ? JSON.parse(readFileSync(join(dir, 'apiProperties.json'), 'utf8').replace(/^\uFEFF/, '')) : undefined;
    const script = existsSync(join(dir, 'script.csx')) ? readFileSync(join(dir, 'script.csx'), 'utf8') : undefined;
    for (let round = 0; round < 60; round++) {
      const doc = JSON.parse(text); const p = props === undefined ? undefined : JSON.parse(JSON.stringify(props));
      // collect containers
      for (let k = 0; k < 5; k++) {
        const target = rnd() < 0.8 ? doc : (p ?? doc);
        const nodes: Array<[any, string | number]> = [];
        const todo: any[] = [target];
        while (todo.length) { const n = todo.pop(); if (n && typeof n === 'object') for (const key of Object.keys(n)) { nodes.push([n, Array.isArray(n) ? Number(key) : key]); todo.push(n[key]); } }
        if (!nodes.length) continue;
        const [parent, key] = nodes[Math.floor(rnd() * nodes.length)];
        parent[key] = JSON.parse(JSON.stringify(odd[Math.floor(rnd() * odd.length)]));
      }
      try {
        for (const f of runRules({ definition: doc, properties: p, script })) if (/rule crashed/.test(f.message)) crashes.set(`${f.rule}: ${f.message.slice(0, 120)}`, (crashes.get(`${f.rule}: ${f.message.slice(0, 120)}`) ?? 0) + 1);
        await validateSwagger(doc, { cacheDir: '/work/i21/.cache', properties: p });
      } catch (e) { const m = `THROW ${(e as Error).stack?.split('\n').slice(0, 3).join(' | ')}`; crashes.set(m, (crashes.get(m) ?? 0) + 1); }
    }
  }
  for (const [m, n] of crashes) console.log(n, m);
  console.log("done", dirs.length);
})();
