/**
 * Microsoft Teams, locally: `PostMessageToConversation` (Post message in a chat or channel) adds one
 * JSON line per message to an outbox file a person can read, written when the flow stops (renamed
 * into place: a stopped run leaves the previous outbox or the complete new one).
 */
import { writeFileAtomically } from '../../../lib/files';
import { ActionFailure, ok, StandInApi, type ApiCall, type RunEnv } from '../apis';

export interface TeamsMessage {
  at: string;
  poster: string;
  location: string;
  team?: string;
  channel?: string;
  messageBody: string;
}

export function teamsStandIn(outbox: string): StandInApi {
  const lines: string[] = [];
  const post = (call: ApiCall, env: RunEnv) => {
    const body = call.body !== null && typeof call.body === 'object' && !Array.isArray(call.body) ? call.body : {};
    const recipient = body.recipient !== null && typeof body.recipient === 'object' && !Array.isArray(body.recipient) ? body.recipient : {};
    if (typeof body.messageBody !== 'string' || body.messageBody === '') throw new ActionFailure(400, 'Teams stand-in: the message body is empty');
    const message: TeamsMessage = {
      at: new Date(env.now()).toISOString(),
      poster: String(call.params.poster ?? ''),
      location: String(call.params.location ?? ''),
      team: typeof recipient.groupId === 'string' ? recipient.groupId : undefined,
      channel: typeof recipient.channelId === 'string' ? recipient.channelId : undefined,
      messageBody: body.messageBody,
    };
    lines.push(JSON.stringify(message) + '\n');
    return ok({ id: String(lines.length), messageLink: `file://${outbox}#${lines.length}` });
  };
  return new StandInApi(
    'teams',
    'Microsoft Teams stand-in',
    [{ operationId: 'PostMessageToConversation', method: 'post', path: '/beta/teams/conversation/message/poster/{poster}/location/{location}', body: 'body', run: post }],
    {
      produced: () => ({ label: 'messages', count: lines.length }),
      // A flow that posted nothing leaves the outbox as it was.
      close: async () => {
        if (lines.length > 0) writeFileAtomically(outbox, lines.join(''));
      },
    },
  );
}
