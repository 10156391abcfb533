/**
 * Which bodies are text and which are bytes, in one place: the script host, the sandbox's HTTP plumbing and
 * the workflow runtime carry text bodies as strings and anything else (a recording's audio) as bytes.
 * script-host/csharp/Runner.cs applies the same rule on the Mono side (test/script/host.test.ts holds both to it).
 */

/** JSON, XML, `text/*` and a missing type (an empty body, or the JSON the PBX sends) are text. */
export function isTextualMediaType(contentType: string | undefined | null): boolean {
  if (contentType === undefined || contentType === null || contentType.trim() === '') return true;
  const type = contentType.split(';')[0].trim().toLowerCase();
  return type.startsWith('text/') || type === 'application/json' || type === 'application/xml' || type.endsWith('+json') || type.endsWith('+xml');
}
