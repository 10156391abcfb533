// lib/json's duplicate-key finder: `npm run check` warns at each repeated key (file-duplicate-key),
// which JSON.parse would drop in silence; the pointer and the offset must land on the repeat itself.
import { describe, expect, it } from 'vitest';
import { findDuplicateKeys, lineColumn } from '../../lib/json';

describe('findDuplicateKeys', () => {
  it('finds each repeat at any depth, inside arrays, with its pointer and the offset of its quote', () => {
    const text = '{"a":1,"b":{"x":[1,{"k":"v","k":2}],"x":3},"a":"\\"a"}';
    const found = findDuplicateKeys(text);
    expect(found).toEqual([
      { key: 'k', offset: text.indexOf('"k":2'), pointer: '/b/x/1/k' },
      { key: 'x', offset: text.indexOf('"x":3'), pointer: '/b/x' },
      { key: 'a', offset: text.lastIndexOf('"a":'), pointer: '/a' },
    ]);
  });

  it('reports nothing for keys that repeat only in different objects or inside string values; keys equal once escapes are decoded are a repeat', () => {
    expect(findDuplicateKeys('{"a":{"a":{"a":[{"a":1},{"a":2}]}},"b":"{\\"b\\":1,\\"b\\":2}"}')).toEqual([]);
    const escaped = '[1, "x", {"k\\u0022": 1, "k\\"": 2}]';
    expect(findDuplicateKeys(escaped)).toEqual([{ key: 'k"', offset: escaped.indexOf('"k\\""'), pointer: '/2/k"' }]);
  });

  it('compares keys as JSON reads them (escapes decoded) and escapes ~ and / in the pointer', () => {
    const text = '{"paths":{"/a~b":1,"\\/a~b":2}}';
    const [repeat] = findDuplicateKeys(text);
    expect(repeat).toMatchObject({ key: '/a~b', pointer: '/paths/~1a~0b' });
    expect(lineColumn(text, repeat.offset)).toEqual({ line: 1, column: text.indexOf('"\\/a~b"') + 1 });
  });

  it('walks without recursion: 100,000 levels of nesting are fine', () => {
    const depth = 100_000;
    expect(findDuplicateKeys(`${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`)).toEqual([]);
    expect(findDuplicateKeys(`${'['.repeat(depth)}{"z":1,"z":2}${']'.repeat(depth)}`)).toHaveLength(1);
  });
});
