import { describe, expect, it } from 'vitest';
import { collectionInitializer, operationIdLiterals, scanCSharp, usingDirectives } from '../../checks/csharp';

describe('C# scanning', () => {
  it('reads regular, verbatim and escaped strings and blanks comments', () => {
    const source = [
      'var a = "say \\"hi\\""; // "not a string"',
      'var b = @"C:\\dir ""quoted""";',
      '/* "neither" */ var c = $"{x}";',
      "var d = '\"';",
    ].join('\n');
    const scanned = scanCSharp(source);
    expect(scanned.literals.map((l) => [l.value, l.line])).toEqual([
      ['say "hi"', 1],
      ['C:\\dir "quoted"', 2],
      ['{x}', 3],
    ]);
    expect(scanned.code).not.toMatch(/not a string|neither|quoted/);
    expect(scanned.code.length).toBe(source.length);
  });

  it('lists using directives but not using statements', () => {
    const scanned = scanCSharp('using System;\nusing static System.Math;\nusing J = Newtonsoft.Json;\nusing (var s = new MemoryStream()) { }\n');
    expect(usingDirectives(scanned)).toEqual([
      { namespace: 'System', line: 1 },
      { namespace: 'System.Math', line: 2 },
      { namespace: 'Newtonsoft.Json', line: 3 },
    ]);
  });

  it('finds the literals compared with the operation id, and only those', () => {
    const source = [
      'if (Context.OperationId == "A") {}',
      'if ("B" != this.Context.OperationId) {}',
      'if (Context.OperationId.Equals("C")) {}',
      'switch (Context.OperationId) { case "D": break; }',
      'switch (name) { case "NotAnOperation": break; }',
      'var ops = new HashSet<string> { "E", "F" };',
      'if (ops.Contains(Context.OperationId)) {}',
      'var other = new List<string> { "G" };',
      'Log("Running " + Context.OperationId);',
    ].join('\n');
    expect(operationIdLiterals(scanCSharp(source)).map((l) => l.value)).toEqual(['A', 'B', 'C', 'D', 'E', 'F']);
  });
});

describe('operation ids named through a local or a dictionary', () => {
  it('follows `var id = Context.OperationId` and takes only dictionary keys', () => {
    const source = [
      'static readonly HashSet<string> Hooks = new HashSet<string> { "A", "B" };',
      'static readonly Dictionary<string, T> Polls = new Dictionary<string, T> { { "C", new T("state_id", "id") }, { "D", new T("x", "y") } };',
      'static readonly List<string> Unrelated = new List<string> { "NotAnOperation" };',
      'var made = new[] { Make("arg"), "F" }.Contains(operationId);',
      'string operationId = Context.OperationId;',
      'if (Hooks.Contains(operationId)) {}',
      'if (Polls.TryGetValue(operationId, out t)) {}',
      'if (operationId == "E") {}',
    ].join('\n');
    expect(operationIdLiterals(scanCSharp(source)).map((l) => l.value)).toEqual(['A', 'B', 'C', 'D', 'F', 'E']);
  });
});

describe('collection initializers', () => {
  const entries = (source: string, name: string) => collectionInitializer(scanCSharp(source), name)?.entries.map((e) => [e.key.value, ...e.args.map((a) => a.value)]);

  it('reads set members, dictionary entries with their constructor arguments, and index initializers', () => {
    const source = [
      '// Hooks = new HashSet<string> { "InAComment" };',
      'static readonly HashSet<string> Hooks = new HashSet<string>(StringComparer.Ordinal) { "A", @"B", "C, \\"D\\"" };',
      'static readonly Dictionary<string, T> Polls = new Dictionary<string, T>',
      '{',
      '    { "P", new T("state_id", "id") },',
      '    { "Q", new T("x", Make("y", "z")) }, // "not an entry"',
      '};',
      'static readonly Dictionary<string, T> Indexed = new Dictionary<string, T> { ["R"] = new T("a", "b"), [Key] = new T("c", "d") };',
    ].join('\n');
    expect(entries(source, 'Hooks')).toEqual([['A'], ['B'], ['C, "D"']]);
    expect(entries(source, 'Polls')).toEqual([['P', 'state_id', 'id'], ['Q', 'x', 'y', 'z']]);
    expect(entries(source, 'Indexed')).toEqual([['R', 'a', 'b']]);
    expect(collectionInitializer(scanCSharp(source), 'Polls')?.line).toBe(3);
  });

  it('is undefined when the name is not initialised with a collection', () => {
    expect(collectionInitializer(scanCSharp('var Actions = Load();\nvar OtherActions = new HashSet<string> { "A" };'), 'Actions')).toBeUndefined();
  });
});
