import { isObject, str } from '../connector';
import { type Rule, SOURCES } from '../rule';

const EMAIL = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

export const rule: Rule = {
  id: 'ContactEmailNotValid',
  severity: 'warn',
  description: 'The contact `email`, if present, is a valid ASCII email address.',
  fix: 'Set `info.contact.email` to the support mailbox, e.g. `support@example.com`.',
  source: SOURCES.validator,
  check(c) {
    const contact = isObject(c.doc.info) && isObject(c.doc.info.contact) ? c.doc.info.contact : undefined;
    const email = contact ? contact.email : undefined;
    if (email === undefined || (typeof email === 'string' && EMAIL.test(email))) return [];
    return [{ pointer: '/info/contact/email', message: `The contact 'email' property must be a valid email address (got '${str(email) ?? typeof email}').` }];
  },
};
