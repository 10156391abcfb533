import { SCRIPT_FILE } from '../connector';
import { scanCSharp } from '../csharp';
import { type Rule, SOURCES } from '../rule';

export const rule: Rule = {
  id: 'script-class-name',
  severity: 'error',
  description: 'script.csx declares `public class Script : ScriptBase`: the platform instantiates the class by that name.',
  fix: 'Name the class `Script` and derive it from `ScriptBase`: `public class Script : ScriptBase`.',
  severityReason: 'Runtime: Microsoft\'s documentation requires the class name `Script` (C# names are case-sensitive); under another name no operation the code serves can run.',
  source: SOURCES.code,
  check(c) {
    if (c.script === undefined) return [];
    const scanned = scanCSharp(c.script);
    if (/\bclass\s+Script\s*:\s*ScriptBase\b/.test(scanned.code)) return [];
    const other = /\bclass\s+(\w+)\s*:\s*ScriptBase\b/.exec(scanned.code);
    const message = other
      ? `line ${scanned.lineAt(other.index)}: the class deriving from ScriptBase is named '${other[1]}'; the platform only runs a class named 'Script'.`
      : "script.csx declares no 'class Script : ScriptBase'; the platform has no code to run.";
    return [{ file: SCRIPT_FILE, pointer: '', message }];
  },
};
