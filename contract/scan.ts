/**
 * The secrets guard: scans scenario files for key-shaped strings (Bearer + anything but
 * `<redacted>`, JWTs, long hex or base64 tokens) and real-looking phone numbers (Latvian numbers
 * outside the fake `+3710` range, other E.164 numbers). Values are scanned through the YAML tree,
 * so each finding carries a JSON pointer and a line; comments are scanned too. Matches are masked
 * in messages so that a CI log does not repeat the secret it found.
 */
import * as fs from 'fs';
import * as path from 'path';
import YAML, { isMap, isPair, isScalar, isSeq, type Node } from 'yaml';
import { pointer as toPointer, type Finding } from '../lib/finding';
import { findPhoneNumbers, findSecrets, isIdKey, mask, pathWithoutIds, urlsWithoutIds, type SecretKind } from './scan-patterns';

export const SCAN_RULES = {
  secret: 'scenario-secret',
  phone: 'scenario-phone-number',
} as const;

const SECRET_NAMES: Record<SecretKind, string> = {
  bearer: 'an Authorization value other than "Bearer <redacted>"',
  jwt: 'a JWT-like token',
  hex: 'a long hex token',
  base64: 'a long base64-like token',
};

export interface ScanFinding extends Finding {
  line?: number;
}

/** Checks one string found at `ptr` (its key decides whether digits are an id or a number). */
function scanString(text: string, key: string | undefined, file: string, ptr: string, line: number | undefined, out: ScanFinding[]): void {
  for (const secret of findSecrets(text)) {
    out.push({
      file,
      pointer: ptr,
      line,
      rule: SCAN_RULES.secret,
      severity: 'error',
      message: `${SECRET_NAMES[secret.kind]} (${mask(secret.text)}): scenarios must never hold keys; re-record or write "<redacted>"`,
    });
  }
  if (isIdKey(key) && /^\d+$/.test(text)) return;
  const phoneText = urlsWithoutIds(key === 'path' ? pathWithoutIds(text) : text);
  for (const m of findPhoneNumbers(phoneText)) {
    out.push({
      file,
      pointer: ptr,
      line,
      rule: SCAN_RULES.phone,
      severity: 'error',
      message: `a real-looking phone number (${mask(m.text)}): use a fake one, +3710 followed by 7 digits`,
    });
  }
}

function lineAt(text: string, offset: number | undefined): number | undefined {
  return offset === undefined ? undefined : text.slice(0, offset).split('\n').length;
}

function walk(node: Node | null | undefined, ptr: string, key: string | undefined, ctx: { file: string; text: string; out: ScanFinding[] }): void {
  if (!node) return;
  if (isScalar(node)) {
    const v = node.value;
    if (key === 'bodyBase64' && typeof v === 'string') {
      // A file's bytes are no token: what they could leak is the text in them, so that is scanned.
      const text = (Buffer.from(v, 'base64').toString('latin1').match(/[\x20-\x7e]{4,}/g) ?? []).join(' ');
      scanString(text, key, ctx.file, ptr, lineAt(ctx.text, node.range?.[0]), ctx.out);
      return;
    }
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint') {
      scanString(String(v), key, ctx.file, ptr, lineAt(ctx.text, node.range?.[0]), ctx.out);
    }
    return;
  }
  if (isMap(node)) {
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const k = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      const childPtr = ptr + toPointer(k);
      if (isScalar(pair.key)) scanString(k, undefined, ctx.file, childPtr, lineAt(ctx.text, pair.key.range?.[0]), ctx.out);
      walk(pair.value as Node | null, childPtr, k, ctx);
    }
    return;
  }
  if (isSeq(node)) {
    node.items.forEach((item, i) => walk(item as Node | null, ptr + toPointer(i), key, ctx));
  }
}

/** Scans the text of one scenario file (YAML or JSON). A file that does not parse is scanned as text. */
export function scanScenarioText(text: string, file: string): ScanFinding[] {
  const out: ScanFinding[] = [];
  const docs = YAML.parseAllDocuments(text);
  const parsed = Array.isArray(docs) && docs.every((d) => d.errors.length === 0);
  if (parsed) {
    docs.forEach((doc) => walk(doc.contents as Node | null, '', undefined, { file, text, out }));
    // Comments are not in the tree: scan them from the token stream.
    let offset = 0;
    for (const token of new YAML.Lexer().lex(text)) {
      if (token.startsWith('#')) scanString(token, undefined, file, '', lineAt(text, offset), out);
      offset += token.length;
    }
  } else {
    text.split('\n').forEach((lineText, i) => scanString(lineText, undefined, file, '', i + 1, out));
  }
  return out;
}

/** All scenario-like files (.yaml, .yml, .json) under `root`, recursively, sorted. */
export function listScanFiles(root: string): string[] {
  if (!fs.existsSync(root)) return [];
  const out: string[] = [];
  const visit = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) visit(full);
      else if (/\.(ya?ml|json)$/i.test(entry.name)) out.push(full);
    }
  };
  visit(root);
  return out;
}

/**
 * Scans every scenario file under `root`. Findings name files relative to `relativeTo` (default:
 * the current directory) so that messages are short and stable.
 */
export function scanScenarios(root: string, relativeTo: string = process.cwd()): ScanFinding[] {
  return listScanFiles(root).flatMap((file) => scanScenarioText(fs.readFileSync(file, 'utf8'), path.relative(relativeTo, file) || file));
}

/** One line per finding: `file:line pointer [rule] message`. */
export function formatScanFindings(findings: ScanFinding[]): string {
  return findings.map((f) => `${f.file}${f.line ? `:${f.line}` : ''} ${f.pointer || '(document)'} [${f.rule}] ${f.message}`).join('\n');
}
