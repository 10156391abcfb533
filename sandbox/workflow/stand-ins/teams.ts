/**
 * Microsoft Teams, locally. `PostMessageToConversation` (Post message in a chat or channel) adds one
 * JSON line per message to an outbox file a person can read. `PostCardAndWaitForResponse` (Post adaptive
 * card and wait for a response) is a webhook operation: it adds the card to the outbox, and someone in
 * the channel answers it after a while of sandbox time, or never: who, when and what they pick follow from
 * the card's content alone (a hash), so a run is reproducible. The answer is POSTed to the action's
 * callback URL in the shape the real action returns (`responder`, `submitActionId`, `data` with each
 * input's value, `responseTime`) and added to the outbox too. The outbox is written when the flow stops
 * (renamed into place: a stopped run leaves the previous outbox or the complete new one).
 */
import * as fs from 'fs';
import { createHash } from 'crypto';
import { writeFileAtomically } from '../../../lib/files';
import { send } from '../../http';
import { ActionFailure, ok, StandInApi, type ApiCall, type Json, type RunEnv } from '../apis';

export interface TeamsMessage {
  at: string;
  poster: string;
  location: string;
  team?: string;
  channel?: string;
  messageBody: string;
}

/** An adaptive card posted to wait for a response. */
export interface TeamsCard {
  at: string;
  kind: 'card';
  messageId: string;
  poster: string;
  location: string;
  team?: string;
  channel?: string;
  card: Json;
}

/** Someone's answer to a card (the body the action receives). */
export interface TeamsCardResponse {
  at: string;
  kind: 'response';
  messageId: string;
  responder: { objectId: string; tenantId: string; email: string; userPrincipalName: string; displayName: string };
  submitActionId: string;
  data: Record<string, string>;
}

/** One of four cards is never answered; the others after 2 to 45 minutes. */
export const CARD_UNANSWERED_ONE_IN = 4;
const MINUTE = 60_000;

type JsonMap = { [key: string]: Json };
const isMap = (v: unknown): v is JsonMap => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every element of a card (body, containers, columns), depth first. */
function elements(node: Json): JsonMap[] {
  if (Array.isArray(node)) return node.flatMap(elements);
  if (!isMap(node)) return [];
  return [node, ...['body', 'items', 'columns'].flatMap((k) => (node[k] === undefined ? [] : elements(node[k])))];
}

/** The numbers a card's answer follows from: the same card is always answered the same way. */
function draws(card: string): number[] {
  const digest = createHash('sha256').update(card).digest();
  return [0, 4, 8, 12].map((i) => digest.readUInt32BE(i));
}

const ascii = (s: string): string => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^A-Za-z0-9]+/g, '.').replace(/^\.|\.$/g, '').toLowerCase();

export function teamsStandIn(outbox: string): StandInApi {
  const lines: string[] = [];
  let count = 0;
  let cards = 0;
  const append = (line: TeamsMessage | TeamsCard | TeamsCardResponse): void => {
    lines.push(JSON.stringify(line) + '\n');
  };
  const recipientOf = (body: JsonMap): JsonMap => (isMap(body.recipient) ? body.recipient : {});
  const post = (call: ApiCall, env: RunEnv) => {
    const body = isMap(call.body) ? call.body : {};
    const recipient = recipientOf(body);
    if (typeof body.messageBody !== 'string' || body.messageBody === '') throw new ActionFailure(400, 'Teams stand-in: the message body is empty');
    append({
      at: new Date(env.now()).toISOString(),
      poster: String(call.params.poster ?? ''),
      location: String(call.params.location ?? ''),
      team: typeof recipient.groupId === 'string' ? recipient.groupId : undefined,
      channel: typeof recipient.channelId === 'string' ? recipient.channelId : undefined,
      messageBody: body.messageBody,
    });
    count++;
    return ok({ id: String(count), messageLink: `file://${outbox}#${count}` });
  };
  const postCard = (call: ApiCall, env: RunEnv) => {
    const outer = isMap(call.body) && isMap(call.body.body) ? call.body.body : {};
    const recipient = recipientOf(outer);
    if (typeof outer.messageBody !== 'string' || outer.messageBody.trim() === '') throw new ActionFailure(400, 'Teams stand-in: the adaptive card (messageBody) is empty');
    let card: Json;
    try {
      card = JSON.parse(outer.messageBody) as Json;
    } catch (e) {
      throw new ActionFailure(400, `Teams stand-in: the adaptive card is not valid JSON (${(e as Error).message}); build it with the card designer or check the expressions in it`);
    }
    if (!isMap(card) || card.type !== 'AdaptiveCard') throw new ActionFailure(400, 'Teams stand-in: messageBody must be an adaptive card ({"type": "AdaptiveCard", ...})');
    const submit = (Array.isArray(card.actions) ? card.actions : []).find((a) => isMap(a) && a.type === 'Action.Submit') as JsonMap | undefined;
    if (!submit) throw new ActionFailure(400, 'Teams stand-in: the card has no Action.Submit button, so nobody can answer it');
    if (!call.callbackUrl || !env.after) throw new ActionFailure(500, 'Teams stand-in: PostCardAndWaitForResponse runs as a webhook action (OpenApiConnectionWebhook)');
    cards++;
    const messageId = String(1_700_000_000_000 + cards);
    const at = new Date(env.now()).toISOString();
    append({ at, kind: 'card', messageId, poster: String(call.params.poster ?? ''), location: String(call.params.location ?? ''), team: typeof recipient.groupId === 'string' ? recipient.groupId : undefined, channel: typeof recipient.channelId === 'string' ? recipient.channelId : undefined, card });
    const [answered, delay, pick] = draws(outer.messageBody);
    if (answered % CARD_UNANSWERED_ONE_IN !== 0) {
      // The one who answers picks a value for each input: for a choice, the one this card's hash points at.
      const data: Record<string, string> = {};
      let picked: JsonMap | undefined;
      for (const input of elements(card.body ?? [])) {
        if (input.type === 'Input.ChoiceSet' && typeof input.id === 'string' && Array.isArray(input.choices) && input.choices.length > 0) {
          picked = input.choices[pick % input.choices.length] as JsonMap;
          data[input.id] = String(picked.value ?? '');
        } else if (typeof input.type === 'string' && input.type.startsWith('Input.') && typeof input.id === 'string') data[input.id] = '';
      }
      // They picked themselves (the card asks who calls back): the name of the choice, without what is in brackets.
      const name = (typeof picked?.title === 'string' ? picked.title : 'Sandbox User').replace(/\s*\(.*\)\s*$/, '').trim() || 'Sandbox User';
      const email = `${ascii(name) || 'user'}@sandbox.example.invalid`;
      const callbackUrl = call.callbackUrl;
      env.after(2 * MINUTE + (delay % (43 * MINUTE)), async () => {
        const response: TeamsCardResponse = {
          at: new Date(env.now()).toISOString(),
          kind: 'response',
          messageId,
          responder: { objectId: createHash('sha1').update(email).digest('hex').slice(0, 32), tenantId: '00000000-0000-0000-0000-00000000cafe', email, userPrincipalName: email, displayName: name },
          submitActionId: typeof submit.title === 'string' ? submit.title : 'Submit',
          data,
        };
        const res = await send({
          method: 'POST',
          url: callbackUrl,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ responseTime: response.at, responder: response.responder, submitActionId: response.submitActionId, messageId, messageLink: `file://${outbox}#${messageId}`, data }),
        }).catch(() => undefined);
        // Only an answer the flow took is in the outbox (a run timed out or stopped meanwhile answers 404; a stopped sandbox none).
        if (res && res.status < 300) append(response);
      });
    }
    return ok({ messageId, messageLink: `file://${outbox}#${messageId}` }, 201);
  };
  return new StandInApi(
    'teams',
    'Microsoft Teams stand-in',
    [
      { operationId: 'PostMessageToConversation', method: 'post', path: '/beta/teams/conversation/message/poster/{poster}/location/{location}', body: 'body', run: post },
      { operationId: 'PostCardAndWaitForResponse', method: 'post', path: '/v1.0/teams/conversation/gatherinput/poster/{poster}/location/{location}/$subscriptions', body: 'body', webhook: true, run: postCard },
    ],
    {
      produced: () => (cards > 0 ? { label: 'cards', count: cards } : { label: 'messages', count }),
      // A flow that posted nothing leaves the outbox as it was.
      close: async () => {
        if (lines.length > 0) writeFileAtomically(outbox, lines.join(''));
      },
    },
  );
}

/** Every line of an outbox, as written. */
export function readOutbox(file: string): Array<TeamsMessage | TeamsCard | TeamsCardResponse> {
  if (!fs.existsSync(file)) return [];
  return fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as TeamsMessage | TeamsCard | TeamsCardResponse);
}

/** The answers an outbox holds, by the card's message id. */
export function cardAnswers(lines: ReturnType<typeof readOutbox>): Map<string, TeamsCardResponse> {
  return new Map(lines.filter((l): l is TeamsCardResponse => 'kind' in l && l.kind === 'response').map((l) => [l.messageId, l]));
}
