import type { TurnContext } from 'botbuilder';
import { DateTime } from 'luxon';
import type { TeamsBot } from './app';
import type { AppDeps } from '../app';
import { answerCard } from '../cards/chat';
import { cardAttachment } from '../cards/render';
import { renderDecisionCard } from '../tab/cards';
import { longDate, myProcedures, searchDecisions, searchQuestion, type Lang, type MyProcedure } from '../tab/service';
import { sendCard, withTyping } from './chat';
import { ZONE } from '../store/time';
import { detectLang } from './text';

/**
 * Teams glue for the tab capability:
 *  - the search-based message extension "Søg i beslutninger" (manifest composeExtensions command
 *    `searchDecisions`): a `composeExtension/query` invoke is answered with a list of decision cards from the
 *    same search as the tab; picking one puts the card in the conversation;
 *  - the chat commands of the manifest's command menu that the tab's views mirror: "søg beslutning <emne>"
 *    (the question engine, as "hvad blev besluttet om <emne>") and "mine afstemninger".
 */
export const SEARCH_COMMAND_ID = 'searchDecisions';
const MAX_RESULTS = 10;

interface QueryValue {
  commandId?: unknown;
  parameters?: Array<{ name?: unknown; value?: unknown }>;
  queryOptions?: { skip?: unknown; count?: unknown };
}

/** The text the user typed (the `query` parameter; Teams may call it something else on the command box). */
export function queryText(value: QueryValue): { text: string; initialRun: boolean } {
  const params = Array.isArray(value?.parameters) ? value.parameters : [];
  const initialRun = params.some((p) => p?.name === 'initialRun');
  const p = params.find((x) => x?.name === 'query') ?? params.find((x) => typeof x?.value === 'string' && x.name !== 'initialRun');
  return { text: typeof p?.value === 'string' ? p.value.trim().slice(0, 200) : '', initialRun };
}

/** English when the Teams locale is English (a search term is often just a Danish name), else by the query's words. */
function langOf(ctx: TurnContext, text: string): Lang {
  return /^en\b/i.test(ctx.activity.locale ?? '') ? 'en' : detectLang(text, ctx.activity.locale);
}

/** "søg beslutning takster", "søg i beslutninger om takster", "sog beslutning takster" */
export const SEARCH_COMMAND = /^s(?:ø|oe|o)g\s+(?:i\s+)?beslutning(?:er)?\b\s*(?:om\s+)?(.*)$/i;
/** "mine afstemninger", "mine afstemning" */
export const MY_VOTES_COMMAND = /^mine\s+afstemning(?:er)?\s*[.!?]*$/i;

/** One line per procedure: title, forum, deadline (Copenhagen time) and whether I have voted. */
function procedureLine(p: MyProcedure, lang: Lang): string {
  const d = DateTime.fromISO(p.deadline).setZone(ZONE);
  const when = `${longDate(d.toISODate(), lang)} ${lang === 'da' ? 'kl. ' : ''}${d.toFormat(lang === 'da' ? 'HH.mm' : 'HH:mm')}`;
  if (lang === 'en') {
    const state = p.voted ? 'you have voted' : `waiting for your vote (${p.answered} of ${p.items} items answered)`;
    return `• ${p.title} (${p.forum}) – deadline ${when} – ${state}${p.onBehalfOf ? ` – as substitute for ${p.onBehalfOf}` : ''}`;
  }
  const state = p.voted ? 'du har stemt' : `mangler din stemme (${p.answered} af ${p.items} punkter besvaret)`;
  return `• ${p.title} (${p.forum}) – frist ${when} – ${state}${p.onBehalfOf ? ` – som stedfortræder for ${p.onBehalfOf}` : ''}`;
}

/** The reply to "mine afstemninger": the open procedures I vote in, those missing my vote first. */
export function myVotesText(list: MyProcedure[], lang: Lang): string {
  if (!list.length) return lang === 'en' ? 'You have no open written procedures.' : 'Du har ingen åbne skriftlige procedurer.';
  const sorted = [...list].sort((a, b) => Number(a.voted) - Number(b.voted));
  const head = lang === 'en' ? 'Your open written procedures:' : 'Dine åbne skriftlige procedurer:';
  const foot =
    lang === 'en'
      ? 'Write “skriftlige procedurer” to get the voting cards here in the chat. The tab “Meetings and decisions” shows the same list.'
      : 'Skriv »skriftlige procedurer« for at få afstemningskortene her i chatten. Fanen »Møder og beslutninger« viser den samme liste.';
  return [head, ...sorted.map((p) => procedureLine(p, lang)), '', foot].join('\n');
}

export function register(bot: TeamsBot, deps: AppDeps): void {
  bot.command(
    'søg beslutning',
    SEARCH_COMMAND,
    async (ctx, m) => {
      const lang = bot.lang(ctx);
      const topic = (m[1] ?? '').trim();
      if (!topic) {
        await ctx.sendActivity(lang === 'en' ? 'Write a topic after the command, e.g. “søg beslutning rates”.' : 'Skriv et emne efter kommandoen, fx »søg beslutning takster«.');
        return;
      }
      const answer = await withTyping(ctx, () => deps.questions.answer({ question: searchQuestion(topic, lang), now: deps.now(), lang, locale: ctx.activity.locale }));
      await sendCard(ctx, answerCard(answer, lang));
    },
    { help: { da: 'søg beslutning <emne> – hvad forummet har besluttet om et emne', en: 'søg beslutning <topic> – what the forum decided about a topic' } },
  );

  bot.command(
    'mine afstemninger',
    MY_VOTES_COMMAND,
    async (ctx) => {
      const lang = bot.lang(ctx);
      const aad = ctx.activity.from?.aadObjectId;
      if (!aad) {
        await ctx.sendActivity(lang === 'en' ? 'I could not see who you are. Please try again from Teams.' : 'Jeg kunne ikke se, hvem du er. Prøv igen fra Teams.');
        return;
      }
      const list = await myProcedures(deps, aad);
      await ctx.sendActivity(myVotesText(list, lang));
    },
    { help: { da: 'mine afstemninger – dine åbne skriftlige procedurer, og om du har stemt', en: 'mine afstemninger – your open written procedures' } },
  );

  bot.invoke('composeExtension/query', async (ctx) => {
    const value = (ctx.activity.value ?? {}) as QueryValue;
    if (value.commandId !== SEARCH_COMMAND_ID) {
      return { status: 400, body: { error: { code: 'BadRequest', message: `unknown command ${String(value.commandId)}` } } };
    }
    const { text } = queryText(value);
    const lang = langOf(ctx, text);
    if (text.length < 2) {
      return {
        status: 200,
        body: { composeExtension: { type: 'message', text: lang === 'en' ? 'Type a topic, e.g. rates or shelter.' : 'Skriv et emne, fx takster eller krisecenter.' } },
      };
    }
    const res = await searchDecisions(deps, { q: text, lang });
    const skip = Math.max(0, Number(value.queryOptions?.skip) || 0);
    const count = Math.min(MAX_RESULTS, Math.max(1, Number(value.queryOptions?.count) || MAX_RESULTS));
    const hits = res.hits.slice(skip, skip + count);
    if (hits.length === 0) {
      return {
        status: 200,
        body: { composeExtension: { type: 'message', text: lang === 'en' ? `I cannot find a decision about “${text}” in the minutes.` : `Jeg kan ikke finde en beslutning om »${text}« i referaterne.` } },
      };
    }
    const attachments = hits.map((h) => {
      const r = renderDecisionCard(h, lang);
      return { ...cardAttachment(r.card), preview: { contentType: 'application/vnd.microsoft.card.thumbnail', content: r.preview } };
    });
    deps.log.info({ activityId: ctx.activity.id, results: attachments.length }, 'message extension search');
    return { status: 200, body: { composeExtension: { type: 'result', attachmentLayout: 'list', attachments } } };
  });
}
