import { randomUUID } from 'crypto';
import type { FakeConnector } from './fake-connector';

/**
 * Teams-shaped activities and a client that POSTs them to a running bot's /api/messages, with
 * serviceUrl = a FakeConnector, so the bot's replies land in the connector.
 *
 *   const client = new BotClient(server.url, connector);
 *   const { status } = await client.send(personalMessage('hvornår er næste møde?'));
 *   const [reply] = connector.messages(PERSONAL_CONVERSATION);
 */

export const TENANT_ID = 'tenant-0000';
export const BOT = { id: '28:forumbot-app-id', name: 'forumbot' };
export const TEAM_ID = '19:team-sdf@thread.tacv2';
export const CHANNEL_ID = '19:channel-sdf@thread.tacv2';

export interface TestUser {
  id: string;
  name: string;
  aadObjectId: string;
}
export const USER: TestUser = { id: '29:user-anna', name: 'Anna Direktør', aadObjectId: 'aad-anna' };
export const personalConversationId = (user: TestUser = USER) => `a:personal-${user.aadObjectId}`;
export const PERSONAL_CONVERSATION = personalConversationId(USER);

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Activity = Record<string, any>;

interface Common {
  user?: TestUser;
  locale?: string;
  serviceUrl?: string;
  id?: string;
  tenantId?: string;
}

function base(o: Common, conversation: Activity, channelData: Activity): Activity {
  const user = o.user ?? USER;
  return {
    id: o.id ?? `in-${randomUUID()}`,
    channelId: 'msteams',
    serviceUrl: o.serviceUrl ?? 'http://127.0.0.1:1', // BotClient fills in the connector's URL
    timestamp: new Date().toISOString(),
    localTimestamp: new Date().toISOString(),
    locale: o.locale ?? 'da-DK',
    from: { id: user.id, name: user.name, aadObjectId: user.aadObjectId },
    recipient: { ...BOT },
    conversation,
    channelData: { tenant: { id: o.tenantId ?? TENANT_ID }, ...channelData },
    entities: [{ type: 'clientInfo', locale: o.locale ?? 'da-DK', country: 'DK', platform: 'Web', timezone: 'Europe/Copenhagen' }],
  };
}

const personalConv = (o: Common) => ({
  id: personalConversationId(o.user ?? USER),
  conversationType: 'personal',
  tenantId: o.tenantId ?? TENANT_ID,
});
const channelConv = (o: Common & { threadId?: string }) => ({
  id: o.threadId ?? `${CHANNEL_ID};messageid=${Date.now()}`,
  conversationType: 'channel',
  isGroup: true,
  tenantId: o.tenantId ?? TENANT_ID,
});
const channelData = () => ({ team: { id: TEAM_ID, name: 'Socialdirektørforum' }, channel: { id: CHANNEL_ID, name: 'General' } });

/** A message in the user's personal chat with the bot. `text` may be anything, including ''. */
export function personalMessage(text: string | undefined, o: Common & { attachments?: Activity[]; value?: unknown } = {}): Activity {
  return {
    ...base(o, personalConv(o), {}),
    type: 'message',
    textFormat: 'plain',
    ...(text !== undefined ? { text } : {}),
    ...(o.attachments ? { attachments: o.attachments } : {}),
    ...(o.value !== undefined ? { value: o.value } : {}),
  };
}

/** A channel message; with `mention` (default true) it @mentions the bot the way Teams does. */
export function channelMessage(text: string, o: Common & { mention?: boolean; threadId?: string } = {}): Activity {
  const mention = o.mention ?? true;
  const atText = `<at>${BOT.name}</at>`;
  const a: Activity = {
    ...base(o, channelConv(o), channelData()),
    type: 'message',
    textFormat: 'plain',
    text: mention ? `${atText} ${text}` : text,
  };
  if (mention) a.entities.push({ type: 'mention', text: atText, mentioned: { id: BOT.id, name: BOT.name } });
  return a;
}

/** installationUpdate: the bot was installed (action 'add') or removed ('remove'), personal or in a team. */
export function installationUpdate(o: Common & { action?: 'add' | 'remove'; scope?: 'personal' | 'team' } = {}): Activity {
  const team = o.scope === 'team';
  return {
    ...base(o, team ? { ...channelConv(o), id: CHANNEL_ID } : personalConv(o), team ? channelData() : {}),
    type: 'installationUpdate',
    action: o.action ?? 'add',
  };
}

/** conversationUpdate with the bot in membersAdded (Teams also sends this on install). */
export function botAdded(o: Common & { scope?: 'personal' | 'team' } = {}): Activity {
  const team = o.scope === 'team';
  return {
    ...base(o, team ? { ...channelConv(o), id: CHANNEL_ID } : personalConv(o), team ? { ...channelData(), eventType: 'teamMemberAdded' } : {}),
    type: 'conversationUpdate',
    membersAdded: [{ id: BOT.id }],
  };
}

/** Any invoke by name. */
export function invoke(name: string, value: unknown = {}, o: Common & { channel?: boolean } = {}): Activity {
  return { ...base(o, o.channel ? channelConv(o) : personalConv(o), o.channel ? channelData() : {}), type: 'invoke', name, value };
}

/** Universal Actions: Action.Execute pressed on a card (replyToId = the card's activity id). */
export function adaptiveCardAction(verb: string, data: unknown = {}, o: Common & { channel?: boolean; replyToId?: string } = {}): Activity {
  const a = invoke('adaptiveCard/action', { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' }, o);
  if (o.replyToId) a.replyToId = o.replyToId;
  return a;
}

export interface BotResponse {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  text: string;
}

export class BotClient {
  constructor(
    readonly botUrl: string,
    readonly connector?: FakeConnector,
    readonly headers: Record<string, string> = {},
  ) {}

  /** POSTs the activity (serviceUrl set to the connector) and returns the HTTP status and body. */
  async send(activity: Activity): Promise<BotResponse> {
    const a = this.connector ? { ...activity, serviceUrl: this.connector.url } : activity;
    return this.post(JSON.stringify(a));
  }

  /** POSTs a raw body (for malformed-input tests). */
  async post(body: string, contentType = 'application/json'): Promise<BotResponse> {
    const res = await fetch(`${this.botUrl}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': contentType, ...this.headers },
      body,
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON */
    }
    return { status: res.status, body: parsed, text };
  }

  /**
   * Sends the activity and waits until `count` new non-typing messages arrived in its conversation.
   * (The bot answers within the request, so they are usually there when send returns.)
   */
  async ask(activity: Activity, count = 1, timeoutMs = 15_000): Promise<{ response: BotResponse; replies: Activity[] }> {
    if (!this.connector) throw new Error('BotClient.ask needs a connector');
    const conv = activity.conversation.id as string;
    const before = this.connector.messages(conv).length;
    const response = await this.send(activity);
    if (response.status >= 300) throw new Error(`bot answered ${response.status}: ${response.text}`);
    await this.connector.waitFor(() => this.connector!.messages(conv).length >= before + count, timeoutMs);
    return { response, replies: this.connector.messages(conv).slice(before) };
  }
}

/** The Adaptive Card in a reply, if any. */
export function cardOf(activity: Activity): Activity | undefined {
  return (activity.attachments ?? []).find((x: Activity) => x.contentType === 'application/vnd.microsoft.card.adaptive')?.content;
}

/** All text in a card (TextBlocks, titles, facts), for assertions. */
export function cardText(card: unknown): string {
  const out: string[] = [];
  const walk = (n: unknown) => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === 'object') {
      for (const [k, v] of Object.entries(n)) {
        if ((k === 'text' || k === 'title' || k === 'value') && typeof v === 'string') out.push(v);
        else walk(v);
      }
    }
  };
  walk(card);
  return out.join('\n');
}
