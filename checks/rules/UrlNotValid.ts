import { isObject, str } from '../connector';
import { pointer } from '../../lib/finding';
import { type Rule, type RuleHit, SOURCES } from '../rule';

function isAbsoluteUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** Metadata entries whose value is a URL. */
const URL_METADATA = ['Website', 'Privacy policy'];

export const rule: Rule = {
  id: 'UrlNotValid',
  severity: 'warn',
  description: 'The contact `url` and the `Website` and `Privacy policy` metadata are absolute http(s) URLs.',
  fix: 'Use the full URL including `https://`.',
  source: SOURCES.validator,
  check(c) {
    const hits: RuleHit[] = [];
    const contact = isObject(c.doc.info) && isObject(c.doc.info.contact) ? c.doc.info.contact : undefined;
    if (contact && contact.url !== undefined && !isAbsoluteUrl(str(contact.url) ?? '')) {
      hits.push({ pointer: '/info/contact/url', message: "The 'url' property must be a valid absolute URL." });
    }
    const metadata = c.doc['x-ms-connector-metadata'];
    if (Array.isArray(metadata)) {
      metadata.forEach((entry, index) => {
        if (!isObject(entry) || !URL_METADATA.includes(str(entry.propertyName) ?? '')) return;
        if (!isAbsoluteUrl(str(entry.propertyValue) ?? '')) {
          hits.push({
            pointer: pointer('x-ms-connector-metadata', index, 'propertyValue'),
            message: `The '${str(entry.propertyName)}' value must be a valid absolute URL.`,
          });
        }
      });
    }
    return hits;
  },
};
