import { isObject, str } from '../connector';
import { pointer } from '../../lib/finding';
import { type Rule, type RuleHit, SOURCES } from '../rule';

/** The connector's identity fields that the submission requirements make mandatory. */
export const rule: Rule = {
  id: 'RequiredPropertyMissing',
  severity: 'warn',
  description: 'The definition has `info.title`, `info.description` and `info.contact` with `name`, `url` and `email`.',
  fix: 'Add the missing property with a non-empty value (support team name, support URL, support email).',
  source: SOURCES.validator,
  check(c) {
    const hits: RuleHit[] = [];
    const info = isObject(c.doc.info) ? c.doc.info : undefined;
    if (!info) return [{ pointer: '', message: "The 'info' property is required." }];
    for (const key of ['title', 'description']) {
      if (!str(info[key])?.trim()) hits.push({ pointer: pointer('info'), message: `The 'info.${key}' property is required.` });
    }
    const contact = info.contact;
    if (!isObject(contact)) {
      hits.push({ pointer: pointer('info'), message: "The 'info.contact' property is required (name, url, email)." });
    } else {
      for (const key of ['name', 'url', 'email']) {
        if (!str(contact[key])?.trim()) hits.push({ pointer: pointer('info', 'contact'), message: `The 'info.contact.${key}' property is required.` });
      }
    }
    return hits;
  },
};
