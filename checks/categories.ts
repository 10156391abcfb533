import { isObject, str } from './connector';
import { pointer } from '../lib/finding';
import type { Connector } from './connector';

/** The categories a certified connector may choose (certification submission requirements). */
export const ALLOWED_CATEGORIES = [
  'AI', 'Business Management', 'Business Intelligence', 'Collaboration', 'Commerce', 'Communication',
  'Content and Files', 'Finance', 'Data', 'Human Resources', 'Internet of Things', 'IT Operations',
  'Lifestyle and Entertainment', 'Marketing', 'Productivity', 'Sales and CRM', 'Security', 'Social Media', 'Website',
];

export const MAX_CATEGORIES = 2;

/** The `Categories` metadata entry split on ';', with its pointer. */
export function categories(c: Connector): { pointer: string; values: string[] } | undefined {
  const metadata = c.doc['x-ms-connector-metadata'];
  if (!Array.isArray(metadata)) return undefined;
  const index = metadata.findIndex((e) => isObject(e) && e.propertyName === 'Categories');
  if (index < 0) return undefined;
  const value = str((metadata[index] as { propertyValue?: unknown }).propertyValue) ?? '';
  return {
    pointer: pointer('x-ms-connector-metadata', index, 'propertyValue'),
    values: value.split(';').map((v) => v.trim()).filter((v) => v !== ''),
  };
}
