import type { IncomingMessage, ServerResponse } from 'http';
import type { Request as BotRequest, Response as BotResponse } from 'botbuilder';
import { z } from 'zod';
import type { AppDeps } from '../app';
import { createAdapter } from './adapter';
import { TeamsBot } from './app';
import * as chat from './chat';
import * as broadcasts from './broadcasts';
import * as procedures from './procedures';
import * as tab from './tab';

/**
 * Builds the bot: the adapter, the TeamsBot router, and every capability's handlers.
 * Each capability adds one line below. Order matters for chat commands: they are tried in
 * registration order, so chat (help) comes first and question answering is the fallback.
 */
export function createTeamsBot(deps: AppDeps): TeamsBot {
  const adapter = createAdapter(deps.config, deps.log);
  const bot = new TeamsBot({ config: deps.config, log: deps.log, adapter });
  chat.register(bot, deps); // welcome, help, questions
  broadcasts.register(bot, deps);
  procedures.register(bot, deps);
  tab.register(bot, deps); // message extension
  return bot;
}

/**
 * The least an activity must have before botbuilder sees it: a type, and the fields every reply needs
 * with the right types. Everything else passes through untouched.
 */
const Account = z.looseObject({ id: z.string().min(1) });
const ActivityShape = z.looseObject({
  type: z.string().min(1).max(100),
  id: z.string().optional(),
  serviceUrl: z.string().min(1).max(2000),
  channelId: z.string().optional(),
  conversation: z.looseObject({ id: z.string().min(1) }),
  from: Account.optional(),
  recipient: Account.optional(),
  text: z.string().nullish(),
  name: z.string().nullish(),
  locale: z.string().nullish(),
  entities: z.array(z.looseObject({ type: z.string() })).nullish(),
  attachments: z.array(z.looseObject({ contentType: z.string() })).nullish(),
  membersAdded: z.array(Account).nullish(),
});

/** The request as the web server hands it over: Node's request with a parsed JSON body. */
export type ParsedRequest = IncomingMessage & { body?: unknown };
/** A restify/express-like response (status/send/end). */
export type WebResponse = ServerResponse & { status(code: number): unknown; send(body?: unknown): unknown };

/**
 * POST /api/messages. Rejects bodies that are not an activity with 400 before botbuilder sees them;
 * authentication (401 for unsigned requests when an app id is set) and invoke responses come from the adapter.
 */
export async function handleMessages(bot: TeamsBot, req: ParsedRequest, res: WebResponse): Promise<void> {
  const body = req.body;
  const checked = ActivityShape.safeParse(body);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    bot.log.info({ path: issue?.path.join('.'), problem: issue?.message }, 'malformed activity rejected');
    res.status(400);
    res.send({ error: { code: 'BadRequest', message: `malformed activity${issue?.path.length ? ` (${issue.path.join('.')})` : ''}` } });
    return;
  }
  if (!bot.adapter) throw new Error('TeamsBot has no adapter');
  const auth = req.headers.authorization;
  if (bot.appId && (!auth || !auth.trim())) {
    // what the adapter would answer too, without its console stack trace for every unsigned probe
    bot.log.info({ activityId: checked.data.id, type: checked.data.type }, 'unsigned request rejected (401)');
    res.status(401);
    res.send({ error: { code: 'Unauthorized', message: 'this bot requires Bot Framework authentication' } });
    return;
  }
  try {
    await bot.adapter.process(req as unknown as BotRequest, res as unknown as BotResponse, (ctx) => bot.run(ctx));
  } catch (err) {
    // botbuilder rejects activities whose fields have the wrong types (a zod error) before any turn runs
    bot.log.warn({ err, activityId: (body as { id?: unknown }).id }, 'activity rejected');
    if (!res.headersSent) {
      res.status(400);
      res.send({ error: { code: 'BadRequest', message: 'malformed activity' } });
    }
  }
}

export { TeamsBot } from './app';
