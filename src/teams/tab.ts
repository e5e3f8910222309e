import type { TurnContext } from 'botbuilder';
import type { TeamsBot } from './app';
import type { AppDeps } from '../app';
import { cardAttachment } from '../cards/render';
import { renderDecisionCard } from '../tab/cards';
import { searchDecisions, type Lang } from '../tab/service';
import { detectLang } from './text';

/**
 * Teams glue for the tab capability: the search-based message extension "Søg i beslutninger"
 * (manifest composeExtensions command `searchDecisions`). A `composeExtension/query` invoke is answered
 * with a list of decision cards from the same search as the tab; picking one puts the card in the conversation.
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

/** English when the Teams locale is English or the query reads as English, else Danish. */
function langOf(ctx: TurnContext, text: string): Lang {
  return detectLang(text, ctx.activity.locale);
}

export function register(bot: TeamsBot, deps: AppDeps): void {
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
