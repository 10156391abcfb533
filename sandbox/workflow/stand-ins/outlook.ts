/**
 * Office 365 Outlook, locally: `SendEmailV2` (Send an email (V2)) writes each mail as an RFC 5322
 * `.eml` file that a mail program opens.
 */
import * as fs from 'fs';
import * as path from 'path';
import { writeFileAtomically } from '../../../lib/files';
import { ActionFailure, ok, StandInApi, type ApiCall, type RunEnv } from '../apis';

const FROM = 'Flow sandbox <flow@sandbox.example.invalid>';

/** RFC 2047 for a header holding anything but printable ASCII. */
function header(value: string): string {
  return /^[\x20-\x7e]*$/.test(value) ? value : `=?UTF-8?B?${Buffer.from(value, 'utf8').toString('base64')}?=`;
}

export function renderEml(mail: { to: string; subject: string; html: string; importance?: string; cc?: string; date: Date }): string {
  const lines = [
    `From: ${FROM}`,
    `To: ${header(mail.to)}`,
    ...(mail.cc ? [`Cc: ${header(mail.cc)}`] : []),
    `Subject: ${header(mail.subject)}`,
    `Date: ${mail.date.toUTCString().replace('GMT', '+0000')}`,
    ...(mail.importance && mail.importance !== 'Normal' ? [`Importance: ${mail.importance}`] : []),
    'MIME-Version: 1.0',
    'Content-Type: text/html; charset=utf-8',
    'Content-Transfer-Encoding: base64',
    '',
    ...(Buffer.from(mail.html, 'utf8').toString('base64').match(/.{1,76}/g) ?? []),
    '',
  ];
  return lines.join('\r\n');
}

export function outlookStandIn(folder: string): StandInApi {
  let opened = false;
  let count = 0;
  const send = (call: ApiCall, env: RunEnv) => {
    const m = call.body !== null && typeof call.body === 'object' && !Array.isArray(call.body) ? call.body : {};
    if (typeof m.To !== 'string' || m.To.trim() === '') throw new ActionFailure(400, 'Outlook stand-in: To is required');
    if (typeof m.Subject !== 'string') throw new ActionFailure(400, 'Outlook stand-in: Subject is required');
    if (!opened) {
      fs.mkdirSync(folder, { recursive: true });
      for (const f of fs.readdirSync(folder)) if (f.endsWith('.eml')) fs.rmSync(path.join(folder, f));
      opened = true;
    }
    count++;
    const eml = renderEml({ to: m.To, subject: m.Subject, html: typeof m.Body === 'string' ? m.Body : '', importance: typeof m.Importance === 'string' ? m.Importance : undefined, cc: typeof m.Cc === 'string' ? m.Cc : undefined, date: new Date(env.now()) });
    // Renamed into place: a stopped run leaves whole mails only.
    writeFileAtomically(path.join(folder, `${String(count).padStart(4, '0')}.eml`), eml);
    return ok(null);
  };
  return new StandInApi(
    'office365',
    'Office 365 Outlook stand-in',
    [{ operationId: 'SendEmailV2', method: 'post', path: '/v2/Mail', body: 'emailMessage', run: send }],
    { produced: () => ({ label: 'mails', count }) },
  );
}
