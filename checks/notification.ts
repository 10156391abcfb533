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
    c.walkSchema(body.node.schema, `${body.pointer}/schema`, (v) => {
      if (v.node['x-ms-notification-url'] === true) sites.push({ op, body, property: v });
    });
  }
  return sites;
}
