/** Locates the callback-URL property (`x-ms-notification-url: true`) of webhook subscribe operations. */
import type { Connector, Located, OperationRef, SchemaVisit } from './connector';

export interface NotificationUrlSite {
  op: OperationRef;
  body: Located;
  property: SchemaVisit;
}

export function notificationUrlSites(c: Connector, op: OperationRef): NotificationUrlSite[] {
  return c.memoize(`notification url ${op.pointer}`, () => findSites(c, op));
}

function findSites(c: Connector, op: OperationRef): NotificationUrlSite[] {
  const sites: NotificationUrlSite[] = [];
  for (const body of c.parameters(op).filter((p) => p.node.in === 'body')) {
    // Each location once, its subtree too (a definition reused at every level is not walked along every path).
    const seen = new Set<string>();
    c.walkSchema(body.node.schema, `${body.pointer}/schema`, (v) => {
      if (seen.has(v.pointer)) return false;
      seen.add(v.pointer);
      if (v.node['x-ms-notification-url'] === true) sites.push({ op, body, property: v });
    });
  }
  return sites;
}
