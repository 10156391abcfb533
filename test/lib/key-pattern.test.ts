// lib/key-pattern.ts: the key in every form a server may echo it, each character in any of them.
import { describe, expect, it } from 'vitest';
import { keyPattern } from '../../lib/key-pattern';

const key = 'Zp+Kx/9q=Lm4';

describe('keyPattern', () => {
  it.each([
    ['as it is', key],
    ['percent-encoded', encodeURIComponent(key)],
    ['percent-encoded, hex in lower case', encodeURIComponent(key).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase())],
    ['JSON-escaped as PHP writes a slash', key.replace(/\//g, '\\/')],
    ['JSON-escaped as \\u002B', key.replace(/\+/g, '\\u002B').replace(/=/g, '\\u003d')],
    ['half percent-encoded (a slash left as it is)', encodeURIComponent(key).replace(/%2F/g, '/')],
    ['in another case', key.toLowerCase()],
  ])('matches the key %s', (_form, echoed) => {
    expect(`before ${echoed} after`.replace(keyPattern(key), '<key>')).toBe('before <key> after');
  });

  it('matches a space written + (a form), and every occurrence', () => {
    expect('a=Bearer+Zp%2BKx%2F9q%3DLm4&b=Bearer Zp+Kx/9q=Lm4'.replace(keyPattern(`Bearer ${key}`), '<key>')).toBe('a=<key>&b=<key>');
  });

  it('matches nothing short of the whole key', () => {
    for (const text of [key.slice(1), key.slice(0, -1), key.replace('K', 'X'), key.replace('+', ' ')]) expect(keyPattern(key).test(text), text).toBe(false);
  });
});
