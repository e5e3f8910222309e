import { ActivityTypes, MessageFactory, type TurnContext } from 'botbuilder';
import type { Answer, AppDeps } from '../app';
import { getMeeting } from '../store/meetings';
import { answerCard, helpCard, welcomeCard, type RenderedCard } from '../cards/chat';
import { cardAttachment } from '../cards/render';
import { MAX_MESSAGE_CHARS, type IncomingMessage, type TeamsBot } from './app';
import { detectLang, t, type Lang } from './text';

/**
 * The core chat capability: welcome card on install, help card, and question answering
 * (everything no command claimed goes to src/questions through deps.questions).
 */
export function register(bot: TeamsBot, deps: AppDeps): void {
  bot.onInstall(async (ctx) => {
    const lang = detectLang('', ctx.activity.locale);
    const channel = (ctx.activity.conversation?.conversationType ?? 'personal') !== 'personal';
    await sendCard(ctx, welcomeCard(lang, { channel }));
  });

  bot.command('hjælp', HELP, async (ctx) => {
    // the word itself tells the language: "help" is English, "hjælp" Danish; "?" follows the locale
    const word = bot.message(ctx).text;
    const lang: Lang = /help/i.test(word) ? 'en' : /hj/i.test(word) ? 'da' : bot.lang(ctx);
    await sendCard(ctx, helpCard(lang, helpCommands(bot, lang, bot.isSecretariat(ctx))));
  }, { help: { da: 'denne oversigt', en: 'this overview' } });

  bot.onQuestion(async (ctx, msg) => {
    if (!msg.text) {
      await ctx.sendActivity(t(msg.lang, 'empty'));
      return;
    }
    if (!/[\p{L}\p{N}]/u.test(msg.text)) {
      await ctx.sendActivity(t(msg.lang, 'notUnderstood'));
      return;
    }
    const answer = await withTyping(ctx, () =>
      deps.questions.answer({ question: msg.text, now: deps.now(), lang: msg.lang, locale: msg.locale }),
    );
    deps.log.info(
      { activityId: ctx.activity.id, chars: msg.originalLength, answered: answer.answered, intent: answer.intent, sources: answer.sources.length },
      'question answered',
    );
    if (answer.intent === 'help') {
      // "hvad kan du?", "what can you do": the engine recognised a request for help
      await sendCard(ctx, helpCard(msg.lang, helpCommands(bot, msg.lang, bot.isSecretariat(ctx))));
      return;
    }
    const note = msg.truncated ? t(msg.lang, 'truncated', MAX_MESSAGE_CHARS) : undefined;
    const item = answer.item ?? (await itemOf(deps, answer));
    await sendCard(ctx, answerCard({ ...answer, item: item ?? null }, msg.lang, { note }));
  });
}

/** The full item behind the answer's top source, for "Vis hele punktet" (when the engine did not include it). */
async function itemOf(deps: AppDeps, answer: Answer): Promise<object | undefined> {
  const top = answer.sources[0];
  if (!answer.answered || !top?.meetingId || top.itemNumber == null) return undefined;
  try {
    const meeting = await getMeeting(deps.db, top.meetingId);
    return meeting?.items.find((i) => i.number === top.itemNumber);
  } catch (err) {
    deps.log.warn({ err, meetingId: top.meetingId }, 'could not load the item for the answer card');
    return undefined;
  }
}

/** "hjælp", "hjaelp", "help", "/help", "?" — the whole message. */
export const HELP = /^\/?(?:hj(?:æ|ae|a)lp|help|\?)\s*[.!?]*$/i;

function helpCommands(bot: TeamsBot, lang: Lang, secretariat: boolean) {
  return bot
    .listCommands()
    .filter((c) => c.help && (secretariat || !c.secretariatOnly))
    .map((c) => ({ name: c.name, description: (lang === 'en' ? c.help!.en : undefined) ?? c.help!.da }));
}

/** A card with its plain-text fallback as the activity summary (notifications, clients without cards). */
export async function sendCard(ctx: TurnContext, rendered: RenderedCard): Promise<void> {
  const activity = MessageFactory.attachment(cardAttachment(rendered.card));
  activity.summary = rendered.text.length > 1000 ? `${rendered.text.slice(0, 999)}…` : rendered.text;
  await ctx.sendActivity(activity);
}

/** Shows the typing indicator while fn runs (Teams hides it after about 3 s, so it is repeated). */
export async function withTyping<T>(ctx: TurnContext, fn: () => Promise<T>): Promise<T> {
  const typing = () => ctx.sendActivity({ type: ActivityTypes.Typing }).catch(() => undefined);
  await typing();
  const timer = setInterval(() => void typing(), 2500);
  try {
    return await fn();
  } finally {
    clearInterval(timer);
  }
}

export type { IncomingMessage };
