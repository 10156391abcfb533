import { PROPERTIES_FILE, str } from '../connector';
import { type Rule, SOURCES } from '../rule';

/** The portal's default blue and plain white, which certification rejects as a brand colour. */
const FORBIDDEN = ['#007ee5', '#ffffff'];

export const rule: Rule = {
  id: 'brand-color',
  severity: 'warn',
  description: 'apiProperties.json sets `iconBrandColor` to a `#rrggbb` colour that is neither the default `#007ee5` nor white `#ffffff`.',
  fix: 'Set `properties.iconBrandColor` to the brand\'s colour, the icon\'s background.',
  source: SOURCES.submission,
  check(c) {
    if (!c.properties) return [];
    const color = str(c.apiProperties?.iconBrandColor);
    const at = '/properties/iconBrandColor';
    if (color === undefined) return [{ file: PROPERTIES_FILE, pointer: '/properties', message: "apiProperties.json has no 'iconBrandColor'." }];
    if (!/^#[0-9a-fA-F]{6}$/.test(color)) return [{ file: PROPERTIES_FILE, pointer: at, message: `The brand colour '${color}' is not a #rrggbb colour.` }];
    if (FORBIDDEN.includes(color.toLowerCase())) return [{ file: PROPERTIES_FILE, pointer: at, message: `The brand colour '${color}' is the platform default or white; certification requires the brand's own colour.` }];
    return [];
  },
};
