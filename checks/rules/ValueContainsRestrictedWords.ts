import { isObject, str } from '../connector';
import { type Rule, type RuleHit, SOURCES } from '../rule';

/** Power Platform product names, which neither the title nor the description may contain. */
const PRODUCT_NAMES = ['Power Apps', 'PowerApps', 'Power Automate', 'Microsoft Flow', 'Logic Apps', 'Power Platform', 'Power BI', 'Power Pages', 'Copilot Studio', 'Power Virtual Agents'];
const TITLE_WORDS = ['API', 'Connector', ...PRODUCT_NAMES];
const DESCRIPTION_WORDS = ['API', ...PRODUCT_NAMES];

function found(text: string, words: string[]): string[] {
  return words.filter((word) => new RegExp(`\\b${word.replace(/ /g, '\\s*')}\\b`, word === 'API' ? '' : 'i').test(text));
}

export const rule: Rule = {
  id: 'ValueContainsRestrictedWords',
  severity: 'warn',
  description: 'The title contains neither "API", "Connector" nor a Power Platform product name; the description neither "API" nor a product name.',
  fix: 'Rephrase the title or description without the restricted words.',
  source: SOURCES.submission,
  check(c) {
    const info = isObject(c.doc.info) ? c.doc.info : {};
    const hits: RuleHit[] = [];
    for (const [key, words] of [['title', TITLE_WORDS], ['description', DESCRIPTION_WORDS]] as const) {
      const text = str(info[key]);
      const bad = text === undefined ? [] : found(text, words);
      if (bad.length > 0) {
        hits.push({ pointer: `/info/${key}`, message: `The value '${text}' contains at least one of the restricted words: '${bad.join("', '")}'.` });
      }
    }
    return hits;
  },
};
