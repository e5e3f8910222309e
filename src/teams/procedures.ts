import { TeamsInfo, type TurnContext } from 'botbuilder';
import type { AppDeps } from '../app';
import { getConversation } from '../broadcasts/conversations';
import { cardAttachment, renderCard } from '../cards/render';
import { UserError } from '../errors';
import { listForums } from '../store/forums';
import { localDate } from '../store/time';
import { renderForm } from '../procedures/cards';
import {
  cancelProcedure,
  castVote,
  closeProcedure,
  createProcedure,
  extendDeadline,
  isSecretariat,
  nameSubstitute,
  openProceduresFor,
  startProcedures,
  tenantAllowed,
  type TeamsActor,
} from '../procedures';
import { rememberTeamsUserId, setVoting, syncRosterFromTeam, listRoster } from '../procedures/roster';
import { cardAfterVote, cardFor, voteBanner } from '../procedures/views';
import type { Banner } from '../procedures/cards';
import { actionCard, actionError, type TeamsBot } from './app';
import { z } from 'zod';

/**
 * Teams glue for written procedures. Translates activities to domain calls (src/procedures) and renders cards:
 * - Action.Execute `procedure.vote` / `procedure.refresh` (user-specific views; the response is the clicker's view),
 *   `procedure.substitute` (a member names a substitute from their own card);
 * - "ny skriftlig procedure" → a card whose button opens the dialog (task/fetch → form, task/submit → create);
 * - "stedfortræder <navn> [i <procedure-id>]", "skriftlige procedurer" (my open procedures, as personal cards);
 * - secretariat: "synkronisér roster" (TeamsInfo.getPagedMembers in a linked channel), "stemmeret: A, B",
 *   "ingen stemmeret: C", "luk procedure <id>", "annullér procedure <id>", "forlæng procedure <id> til <tid>".
 * Identity is the authenticated activity's from.aadObjectId and tenant, never card data.
 * The worker (deadline close, reminders, card refresh) starts here and stops with the app.
 */
export function register(bot: TeamsBot, deps: AppDeps): void {
  const { ctx: pctx, worker } = startProcedures({ db: deps.db, config: deps.config, now: deps.now, log: deps.log });
  deps.onClose(() => worker.stop());

  const actorOf = (ctx: TurnContext): TeamsActor => {
    const a = ctx.activity;
    const tenantId = a.conversation?.tenantId ?? (a.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id ?? null;
    return { kind: 'teams', aadObjectId: a.from?.aadObjectId ?? '', name: a.from?.name ?? null, tenantId, teamsUserId: a.from?.id ?? null };
  };

  // Teams user ids (MRI) of people we hear from, for refresh.userIds. Cached per process: one write per person.
  const seen = new Set<string>();
  bot.onActivity(async (ctx) => {
    const f = ctx.activity.from;
    if (!f?.aadObjectId || !f.id?.startsWith('29:')) return;
    const k = `${f.aadObjectId}|${f.id}`;
    if (seen.has(k)) return;
    await rememberTeamsUserId(deps.db, f.aadObjectId, f.id);
    seen.add(k);
  });

  const VoteData = z.object({ procedureId: z.string().min(1), item: z.coerce.number().int(), choice: z.string(), onBehalfOf: z.string().nullish() }).passthrough();

  bot.actionExecute('procedure.vote', async (ctx, raw) => {
    const parsed = VoteData.safeParse(raw);
    if (!parsed.success) return actionError(400, 'BadRequest', 'Ugyldig stemme.');
    const d = parsed.data;
    const actor = actorOf(ctx);
    const comment = (raw as Record<string, unknown>)[`comment_${d.item}`];
    const onBehalfOf = d.onBehalfOf || null;
    const result = await castVote(pctx, actor, { procedureId: d.procedureId, item: d.item, choice: d.choice, comment: typeof comment === 'string' ? comment : null, onBehalfOf }, ctx.activity.id ?? null).catch(
      (e: unknown) => {
        if (e instanceof z.ZodError) return null;
        throw e;
      },
    );
    if (!result) return actionError(400, 'BadRequest', 'Ugyldig stemme.');
    // another organisation learns nothing about the procedure, not even its card
    if (result.code === 'wrong_tenant') return actionError(403, 'Forbidden', result.message);
    deps.log.info({ procedureId: d.procedureId, item: d.item, status: result.status, code: result.code, aadObjectId: actor.aadObjectId, activityId: ctx.activity.id }, 'procedure vote');
    const card = await cardAfterVote(deps.db, deps.config, deps.now(), { ...actor, onBehalfOf }, result, voteBanner(result));
    if (!card) return actionError(404, 'NotFound', 'Proceduren findes ikke.');
    return actionCard(card);
  });

  // a member names a substitute from their own card: the chosen person (Input.ChoiceSet "substitute") is checked against
  // the forum's roster by the domain; who the member is comes from the activity, never from the card's data
  const SubstituteData = z.object({ procedureId: z.string().min(1).max(100), substitute: z.string().trim().max(200).optional() }).passthrough();

  bot.actionExecute('procedure.substitute', async (ctx, raw) => {
    const parsed = SubstituteData.safeParse(raw);
    if (!parsed.success) return actionError(400, 'BadRequest', 'Ugyldig forespørgsel.');
    const d = parsed.data;
    const actor = actorOf(ctx);
    if (!tenantAllowed(deps.config, actor.tenantId)) return actionError(403, 'Forbidden', 'Din organisation har ikke adgang til denne procedure.');
    let banner: Banner;
    if (!d.substitute) banner = { text: 'Vælg først en stedfortræder på listen.', style: 'attention' };
    else {
      try {
        const r = await nameSubstitute(pctx, actor, d.procedureId, { substitute: d.substitute });
        deps.log.info({ procedureId: d.procedureId, member: r.member, substitute: r.substitute, activityId: ctx.activity.id }, 'procedure substitute named from the card');
        banner = { text: `${r.substituteName} kan nu stemme for dig i denne procedure.`, style: 'good' };
      } catch (e) {
        if (!(e instanceof UserError)) throw e;
        banner = { text: e.message, style: 'attention' };
      }
    }
    const card = await cardFor(deps.db, deps.config, deps.now(), d.procedureId, actor, banner);
    if (!card) return actionError(404, 'NotFound', 'Proceduren findes ikke.');
    return actionCard(card);
  });

  bot.actionExecute('procedure.refresh', async (ctx, raw) => {
    const id = (raw as { procedureId?: unknown })?.procedureId;
    if (typeof id !== 'string' || !id) return actionError(400, 'BadRequest', 'Ugyldig forespørgsel.');
    const actor = actorOf(ctx);
    if (!tenantAllowed(deps.config, actor.tenantId)) return actionError(403, 'Forbidden', 'Din organisation har ikke adgang til denne procedure.');
    const card = await cardFor(deps.db, deps.config, deps.now(), id, actor);
    if (!card) return actionError(404, 'NotFound', 'Proceduren findes ikke.');
    return actionCard(card);
  });

  // ---- opening from chat: a card with a button that opens the dialog -----------------------------
  bot.command(
    'ny skriftlig procedure',
    /^(ny|opret|start)\s+skriftlig\s+procedure\b/i,
    async (ctx) => {
      if (!(await isSecretariat(deps.db, deps.config, actorOf(ctx)))) {
        await ctx.sendActivity('Kun sekretariatet kan oprette skriftlige procedurer.');
        return;
      }
      await ctx.sendActivity({ attachments: [cardAttachment(renderCard('procedure-start', z.object({}), {}))] });
    },
    { secretariatOnly: false, help: { da: 'ny skriftlig procedure – sekretariatet åbner en afstemning per mail i Teams', en: 'ny skriftlig procedure – open a written procedure (secretariat)' } },
  );

  const formFor = async (error?: string) => {
    const forums = (await listForums(deps.db)).map((f) => ({ id: f.id, name: f.name }));
    const inAWeek = new Date(deps.now().getTime() + 7 * 86_400_000);
    return renderForm(forums, { error, deadlineDate: localDate(inAWeek) });
  };
  const dialog = (card: object) => ({ status: 200, body: { task: { type: 'continue', value: { title: 'Ny skriftlig procedure', width: 'large', height: 'large', card: cardAttachment(card as never) } } } });

  const taskData = (ctx: TurnContext) => ((ctx.activity.value as { data?: Record<string, unknown> } | undefined)?.data ?? {}) as Record<string, unknown>;

  const taskFetch = async (ctx: TurnContext) => {
    const actor = actorOf(ctx);
    if (!(await isSecretariat(deps.db, deps.config, actor))) return { status: 200, body: { task: { type: 'message', value: 'Kun sekretariatet kan oprette skriftlige procedurer.' } } };
    return dialog(await formFor());
  };

  const taskSubmit = async (ctx: TurnContext) => {
    const d = taskData(ctx);
    const actor = actorOf(ctx);
    const items: Array<{ title: string; recommendation: string | null }> = [];
    for (let n = 1; n <= 50; n++) {
      const title = d[`item${n}_title`];
      if (typeof title === 'string' && title.trim()) {
        const rec = d[`item${n}_recommendation`];
        items.push({ title: title.trim(), recommendation: typeof rec === 'string' && rec.trim() ? rec.trim() : null });
      }
    }
    const quorumPct = Number(d.quorum ?? 0);
    const spec = {
      forum: String(d.forum ?? ''),
      title: String(d.title ?? ''),
      deadline: `${String(d.deadlineDate ?? '')}T${String(d.deadlineTime ?? '12:00').slice(0, 5)}:00`,
      rule: String(d.rule ?? 'majority'),
      quorum: Number.isFinite(quorumPct) ? quorumPct / 100 : 0,
      items,
      voters: 'roster',
    };
    const problems = [
      !spec.title.trim() && 'Skriv en titel.',
      !items.length && 'Skriv mindst ét punkt med en titel.',
      !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00$/.test(spec.deadline) && 'Vælg en frist (dato og klokkeslæt).',
      !(quorumPct >= 0 && quorumPct <= 100) && 'Krav om svar skal være mellem 0 og 100 procent.',
    ].filter((x): x is string => !!x);
    if (problems.length) return dialog(await formFor(problems.join(' ')));
    try {
      const created = await createProcedure(pctx, actor, spec);
      deps.log.info({ procedureId: created.id, aadObjectId: actor.aadObjectId }, 'procedure opened from the dialog');
      return {
        status: 200,
        body: { task: { type: 'message', value: `Den skriftlige procedure er oprettet (${created.id}): ${created.items} punkter, ${created.voters} stemmeberettigede, frist ${created.deadline}.` } },
      };
    } catch (e) {
      if (e instanceof UserError) return dialog(await formFor(e.message));
      throw e;
    }
  };

  const isOurs = (ctx: TurnContext) => taskData(ctx).action === 'procedure.form' || taskData(ctx).action === 'procedure.create';
  // task/fetch and task/submit are registered once per bot; other capabilities' dialogs fall through to them via `next`.
  registerTask(bot, 'task/fetch', isOurs, taskFetch);
  registerTask(bot, 'task/submit', isOurs, taskSubmit);

  // ---- substitutes ----------------------------------------------------------------------------------
  bot.command(
    'stedfortræder',
    /^stedfortr(?:æ|ae)der\s+(.+?)(?:\s+(?:i|for)\s+(sp-[\w-]+))?\s*$/i,
    async (ctx, m) => {
      const actor = actorOf(ctx);
      const name = m[1].trim();
      let ids = m[2] ? [m[2]] : (await openProceduresFor(deps.db, actor.aadObjectId)).map((p) => p.id);
      if (!ids.length) {
        await ctx.sendActivity('Du har ingen åbne skriftlige procedurer at udpege en stedfortræder til.');
        return;
      }
      if (ids.length > 1 && !m[2]) {
        await ctx.sendActivity(`Du har flere åbne procedurer (${ids.join(', ')}). Skriv fx "stedfortræder ${name} i ${ids[0]}".`);
        return;
      }
      ids = ids.slice(0, 1);
      try {
        const r = await nameSubstitute(pctx, actor, ids[0], { substitute: name });
        await ctx.sendActivity(`${r.substituteName} stemmer nu for ${r.memberName} i proceduren ${ids[0]}.`);
      } catch (e) {
        if (e instanceof UserError) await ctx.sendActivity(e.message);
        else throw e;
      }
    },
    { help: { da: 'stedfortræder <navn> – lad en stedfortræder stemme for dig i en skriftlig procedure' } },
  );

  bot.command(
    'skriftlige procedurer',
    /^(mine\s+)?skriftlige?\s+procedurer?\s*$/i,
    async (ctx) => {
      const actor = actorOf(ctx);
      const open = await openProceduresFor(deps.db, actor.aadObjectId);
      if (!open.length) {
        await ctx.sendActivity('Du har ingen åbne skriftlige procedurer.');
        return;
      }
      for (const p of open) {
        const card = await cardFor(deps.db, deps.config, deps.now(), p.id, actor);
        if (card) await ctx.sendActivity({ attachments: [cardAttachment(card)] });
      }
    },
    { help: { da: 'skriftlige procedurer – dine åbne afstemninger' } },
  );

  // ---- secretariat ----------------------------------------------------------------------------------
  const secretariatOnly = async (ctx: TurnContext): Promise<boolean> => {
    if (await isSecretariat(deps.db, deps.config, actorOf(ctx))) return true;
    await ctx.sendActivity('Kun sekretariatet kan gøre det.');
    return false;
  };

  const forumOfChannel = async (ctx: TurnContext): Promise<string | null> => {
    const a = ctx.activity;
    const channelId = (a.channelData as { channel?: { id?: string } } | undefined)?.channel?.id ?? a.conversation?.id?.split(';')[0];
    const conv = channelId ? await getConversation(deps.db, channelId) : null;
    return conv?.forums[0] ?? null;
  };

  bot.command(
    'synkronisér roster',
    /^(synkronis[eé]r|synk|opdat[eé]r)\s+roster(?:en)?\s*$/i,
    async (ctx) => {
      if (!(await secretariatOnly(ctx))) return;
      const forumId = await forumOfChannel(ctx);
      if (!forumId) {
        await ctx.sendActivity('Kanalen er ikke knyttet til et forum. Knyt den først ("tilknyt <forum>").');
        return;
      }
      const members: Array<{ aadObjectId: string; name: string; teamsUserId: string }> = [];
      let token: string | undefined;
      do {
        const page = await TeamsInfo.getPagedMembers(ctx, 200, token);
        for (const m of page.members ?? []) if (m.aadObjectId) members.push({ aadObjectId: m.aadObjectId, name: m.name ?? m.givenName ?? m.aadObjectId, teamsUserId: m.id });
        token = page.continuationToken || undefined;
      } while (token);
      const r = await syncRosterFromTeam(deps.db, forumId, members);
      const roster = await listRoster(deps.db, forumId);
      const voters = roster.filter((x) => x.votes).map((x) => x.name);
      await ctx.sendActivity(
        `Rosteren er synkroniseret: ${members.length} medlemmer i teamet, ${r.added} nye. Stemmeberettigede nu (${voters.length}): ${voters.join(', ') || 'ingen'}. ` +
          'Markér hvem der stemmer med "stemmeret: navn, navn" (og "ingen stemmeret: navn").',
      );
    },
    { secretariatOnly: false, help: { da: 'synkronisér roster – hent teamets medlemmer til forummets roster (sekretariatet)' } },
  );

  bot.command(
    'stemmeret',
    /^(ingen\s+)?stemmeret\s*:?\s+(.+)$/i,
    async (ctx, m) => {
      if (!(await secretariatOnly(ctx))) return;
      const forumId = await forumOfChannel(ctx);
      if (!forumId) {
        await ctx.sendActivity('Skriv kommandoen i forummets kanal.');
        return;
      }
      const names = m[2].split(/\s*[,;]\s*|\s+og\s+/).filter(Boolean);
      const changed = await setVoting(deps.db, forumId, names, !m[1]);
      await ctx.sendActivity(changed.length ? `${m[1] ? 'Uden' : 'Med'} stemmeret nu: ${changed.join(', ')}.` : 'Ingen af navnene står på rosteren.');
    },
    { help: { da: 'stemmeret: navn, navn – markér hvem der stemmer (sekretariatet)' } },
  );

  bot.command(
    'procedure luk/annullér/forlæng',
    /^(luk|annull[eé]r|forl[æa]e?ng)\s+procedure(?:n)?\s+(sp-[\w-]+)(?:\s+til\s+(.+))?$/i,
    async (ctx, m) => {
      if (!(await secretariatOnly(ctx))) return;
      const actor = actorOf(ctx);
      const verb = m[1].toLowerCase();
      try {
        if (verb === 'luk') {
          await closeProcedure(pctx, actor, m[2], 'early');
          await ctx.sendActivity(`Proceduren ${m[2]} er lukket. Resultatet sendes til kanalen.`);
        } else if (verb.startsWith('annull')) {
          await cancelProcedure(pctx, actor, m[2]);
          await ctx.sendActivity(`Proceduren ${m[2]} er annulleret.`);
        } else {
          if (!m[3]) {
            await ctx.sendActivity('Skriv den nye frist, fx "forlæng procedure sp-… til 2026-12-05T12:00".');
            return;
          }
          const r = await extendDeadline(pctx, actor, m[2], m[3]);
          await ctx.sendActivity(`Fristen for ${m[2]} er forlænget til ${r.deadline}. Alle får besked.`);
        }
      } catch (e) {
        if (e instanceof UserError) await ctx.sendActivity(e.message);
        else throw e;
      }
    },
    { help: { da: 'luk / annullér / forlæng procedure <id> [til <frist>] (sekretariatet)' } },
  );
}

type TaskHandler = (ctx: TurnContext) => Promise<{ status: number; body?: unknown }>;
const taskChains = new WeakMap<TeamsBot, Map<string, Array<{ isMine: (ctx: TurnContext) => boolean; handler: TaskHandler }>>>();

/**
 * task/fetch and task/submit have one handler per bot. Capabilities that open dialogs share it: each adds
 * (isMine, handler); the first whose isMine matches the dialog's data answers. The first capability to
 * register installs the dispatcher. Exported for other capabilities' glue.
 */
export function registerTask(bot: TeamsBot, name: 'task/fetch' | 'task/submit', isMine: (ctx: TurnContext) => boolean, handler: TaskHandler): void {
  let chains = taskChains.get(bot);
  if (!chains) taskChains.set(bot, (chains = new Map()));
  let chain = chains.get(name);
  if (!chain) {
    chains.set(name, (chain = []));
    const list = chain;
    try {
      bot.invoke(name, async (ctx) => {
        const h = list.find((x) => x.isMine(ctx));
        if (!h) return { status: 200, body: { task: { type: 'message', value: 'Dialogen kendes ikke.' } } };
        return h.handler(ctx);
      });
    } catch (err) {
      bot.log.warn({ err, name }, 'another capability registered this invoke; procedure dialogs are not reachable through it');
    }
  }
  chain.push({ isMine, handler });
}
