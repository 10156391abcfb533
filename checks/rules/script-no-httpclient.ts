import { SCRIPT_FILE } from '../connector';
import { scanCSharp } from '../csharp';
import { type Rule, SOURCES } from '../rule';

export const rule: Rule = {
  id: 'script-no-httpclient',
  severity: 'warn',
  description: 'script.csx never constructs an `HttpClient`; requests go through `Context.SendAsync`.',
  fix: 'Build an `HttpRequestMessage` and send it with `this.Context.SendAsync(request, this.CancellationToken)`.',
  source: SOURCES.code,
  check(c) {
    if (c.script === undefined) return [];
    const scanned = scanCSharp(c.script);
    return [...scanned.code.matchAll(/\bnew\s+(?:[\w.]+\.)?HttpClient\s*[({]/g)].map((m) => ({
      file: SCRIPT_FILE,
      pointer: '',
      message: `line ${scanned.lineAt(m.index ?? 0)}: custom code must not construct an HttpClient.`,
    }));
  },
};
