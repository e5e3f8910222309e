import pino from 'pino';
import { startServer, type RunningServer } from '../../src/server';
import { openDb, type Db } from '../../src/store/db';
import { upsertConversation, linkConversations } from '../../src/broadcasts/conversations';
import { createProcedure, showProcedure, CLI, auditEvents, auditCsv, nameSubstitute, extendDeadline } from '../../src/procedures/service';
import { procedureContext } from '../../src/procedures';
import { getMeeting } from '../../src/store/meetings';
import { engines } from '../support/engines';
import { expectValidCard } from '../support/cards';
import { startFakeConnector, type FakeConnector } from '../support/fake-connector';
import { BotClient, adaptiveCardAction, cardText, CHANNEL_ID, TEAM_ID, TENANT_ID, type Activity } from '../support/bot-client';
import { OUTSIDER, person, SECRETARY, seedRoster, spec, SUBSTITUTE, testConfig } from './helpers';

/**
 * Written procedures over the bot's HTTP protocol: the real server (local mode), the fake Bot Connector,
 * `adaptiveCard/action` invokes posted as several different users. The server's clock is the test's.
 */
describe.each(engines())('written procedures over the protocol on %s', (_name, opts) => {
  let db: Db;
  let connector: FakeConnector;
  let server: RunningServer;
  let client: BotClient;
  let t = Date.now();
  const now = () => new Date(t);
  const config = testConfig({ ALLOWED_TENANT_IDS: TENANT_ID });
  const pctx = () => procedureContext({ db, config, now });

  const start = async () => {
    server = await startServer(config, { port: 0, db, now, log: pino({ level: 'silent' }) });
    client = new BotClient(server.url, connector);
  };

  beforeAll(async () => {
    db = await openDb(opts());
    await seedRoster(db, 6);
    connector = await startFakeConnector();
    // the forum's channel, as the broadcasts capability stores it
    await upsertConversation(db, {
      id: CHANNEL_ID,
      type: 'channel',
      tenantId: TENANT_ID,
      teamId: TEAM_ID,
      channelId: CHANNEL_ID,
      name: 'General',
      reference: { channelId: 'msteams', serviceUrl: connector.url, conversation: { id: CHANNEL_ID, isGroup: true, conversationType: 'channel', tenantId: TENANT_ID }, bot: { id: '28:forumbot-app-id' } },
    });
    await linkConversations(db, [CHANNEL_ID], 'Socialdirektørforum', 'test');
    await start();
  });

  afterAll(async () => {
    await server?.close();
    await connector?.stop();
    await db?.close();
  });

  type P = ReturnType<typeof person> | typeof SECRETARY;
  let seq = 0;
  async function press(user: P, data: Record<string, unknown>, o: { tenantId?: string; id?: string; verb?: string } = {}) {
    const a: Activity = adaptiveCardAction(o.verb ?? 'procedure.vote', data, { user, tenantId: o.tenantId ?? TENANT_ID, id: o.id ?? `invoke-${++seq}`, channel: true, replyToId: 'card-1' });
    const r = await client.send(a);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ statusCode: 200, type: 'application/vnd.microsoft.card.adaptive' });
    expectValidCard(r.body.value);
    return { card: r.body.value, text: cardText(r.body.value) };
  }
  const vote = (user: P, id: string, item: number, choice: string, o: { tenantId?: string; id?: string; comment?: string } = {}) =>
    press(user, { procedureId: id, item, choice, ...(o.comment ? { [`comment_${item}`]: o.comment } : {}) }, o);

  test('open, vote, change vote, the same invoke twice, a non-roster user, a wrong tenant', async () => {
    const { id } = await createProcedure(pctx(), CLI, spec({ deadline: new Date(t + 86_400_000).toISOString() }));
    const first = await vote(person(1), id, 1, 'for', { id: 'same-invoke' });
    expect(first.text).toContain('Din stemme på punkt 1 er registreret: For');
    expect(first.text).toContain('Din stemme: For');
    expect(first.text).toContain('0 af 6 har stemt');
    // Teams retries: the same invoke again counts once
    const again = await vote(person(1), id, 1, 'for', { id: 'same-invoke' });
    expect(again.text).toContain('allerede registreret');
    const changed = await vote(person(1), id, 1, 'against', { comment: 'For dyrt' });
    expect(changed.text).toContain('ændret til Imod');
    expect(changed.text).toContain('Din stemme: Imod – "For dyrt"');
    // a late retry of the first invoke does not turn the vote back
    await vote(person(1), id, 1, 'for', { id: 'same-invoke' });
    await vote(person(2), id, 1, 'for');

    const outsider = await vote(OUTSIDER as P, id, 1, 'for');
    expect(outsider.text).toContain('ikke stemmeberettiget');
    expect(outsider.text).not.toContain('Din stemme');
    // another tenant: refused, and the answer carries nothing about the procedure
    const wrongTenant = await client.send(adaptiveCardAction('procedure.vote', { procedureId: id, item: 1, choice: 'for' }, { user: person(3), tenantId: 'another-tenant', channel: true }));
    expect(wrongTenant.status).toBe(200);
    expect(wrongTenant.body).toEqual({ statusCode: 403, type: 'application/vnd.microsoft.error', value: { code: 'Forbidden', message: expect.stringContaining('ikke adgang') } });
    const peek = await client.send(adaptiveCardAction('procedure.refresh', { procedureId: id }, { user: person(3), tenantId: 'another-tenant', channel: true }));
    expect(peek.body.statusCode).toBe(403);
    expect(JSON.stringify(peek.body)).not.toContain('Ny repræsentant');
    // card data cannot pick someone else's ballot
    const spoof = await press(person(4), { procedureId: id, item: 1, choice: 'for', onBehalfOf: 'aad-voter-5' });
    expect(spoof.text).toContain('ikke stemmeberettiget');

    const show = await showProcedure(db, id);
    expect(show.items[0]).toMatchObject({ for: 1, against: 1, abstain: 0, meetingRequested: 0 });
    const events = await auditEvents(db, id);
    expect(events.map((e) => `${e.whoAadObjectId}:${e.from}->${e.to}`)).toEqual(['aad-voter-1:null->for', 'aad-voter-1:for->against', 'aad-voter-2:null->for']);

    // the refresh verb gives each person their own view; others see the shared view without anyone's votes
    const mine = await press(person(1), { procedureId: id }, { verb: 'procedure.refresh' });
    expect(mine.text).toContain('Din stemme: Imod');
    const theirs = await press(OUTSIDER as P, { procedureId: id }, { verb: 'procedure.refresh' });
    expect(theirs.text).not.toMatch(/Din stemme|Imod – /);
  });

  test('a substitute votes for the member; extend tells everyone; a late vote is refused', async () => {
    const { id } = await createProcedure(pctx(), CLI, spec({ deadline: new Date(t + 3_600_000).toISOString() }));
    await nameSubstitute(pctx(), CLI, id, { member: 'Direktør 1', substitute: SUBSTITUTE.aadObjectId });
    const sub = await vote(SUBSTITUTE as P, id, 2, 'abstain');
    expect(sub.text).toContain('stedfortræder for Direktør 1');
    expect(sub.text).toContain('Din stemme: Undlader');
    const ev = (await auditEvents(db, id)).at(-1)!;
    expect(ev).toMatchObject({ who: SUBSTITUTE.name, whoAadObjectId: SUBSTITUTE.aadObjectId, onBehalfOf: 'Direktør 1', onBehalfOfAadObjectId: 'aad-voter-1', to: 'abstain' });

    const newDeadline = new Date(t + 2 * 3_600_000);
    await extendDeadline(pctx(), { kind: 'teams', aadObjectId: SECRETARY.aadObjectId, tenantId: TENANT_ID }, id, newDeadline.toISOString());
    t += 90 * 60_000; // past the old deadline, before the new one
    expect((await vote(person(2), id, 1, 'for')).text).toContain('registreret');
    t += 60 * 60_000; // past the new deadline
    const late = await vote(person(3), id, 1, 'for');
    expect(late.text).toContain('Fristen udløb');
    expect(late.text).toContain('ikke registreret');
    const show = await showProcedure(db, id);
    expect(show.items[0].for).toBe(1);
  });

  /** The card's substitute picker: the Input.ChoiceSet "substitute" and the button's verb, if the card has them. */
  const picker = (card: unknown) => {
    const found: { choices?: Array<{ title: string; value: string }>; value?: string; verb?: string } = {};
    const walk = (n: unknown): void => {
      if (Array.isArray(n)) n.forEach(walk);
      else if (n && typeof n === 'object') {
        const o = n as Record<string, unknown>;
        if (o.type === 'Input.ChoiceSet' && o.id === 'substitute') Object.assign(found, { choices: o.choices, value: o.value });
        if (o.type === 'Action.Execute' && o.verb === 'procedure.substitute') found.verb = o.verb;
        Object.values(o).forEach(walk);
      }
    };
    walk(card);
    return found;
  };
  const nameSub = (user: P | typeof SUBSTITUTE | typeof OUTSIDER, data: Record<string, unknown>, o: { tenantId?: string } = {}) =>
    press(user as P, data, { verb: 'procedure.substitute', ...o });

  test('a member names a substitute on the card; the substitute votes for them and the audit shows both; others are refused', async () => {
    const { id } = await createProcedure(pctx(), CLI, spec({ deadline: new Date(t + 3_600_000).toISOString() }));
    // the member's own card offers the roster's substitute (and no voter of this procedure)
    const own = await press(person(3), { procedureId: id }, { verb: 'procedure.refresh' });
    const offer = picker(own.card);
    expect(offer.verb).toBe('procedure.substitute');
    expect(offer.choices?.map((c) => c.value)).toEqual([SUBSTITUTE.aadObjectId]);
    expect(offer.choices?.[0].title).toBe(`${SUBSTITUTE.name} (Kommune 1)`);
    expect(offer.value).toBe('');
    // the shared view and a non-voter's view have no picker
    expect(picker((await press(OUTSIDER as P, { procedureId: id }, { verb: 'procedure.refresh' })).card).verb).toBeUndefined();

    // nothing chosen: nothing happens
    expect((await nameSub(person(3), { procedureId: id })).text).toContain('Vælg først en stedfortræder');
    expect((await showProcedure(db, id)).voters.find((v) => v.aadObjectId === 'aad-voter-3')!.substitute).toBeNull();

    // card data cannot name a substitute for someone else: the member is the sender
    const named = await nameSub(person(3), { procedureId: id, substitute: SUBSTITUTE.aadObjectId, member: 'aad-voter-5', onBehalfOf: 'aad-voter-5' });
    expect(named.text).toContain(`${SUBSTITUTE.name} kan nu stemme for dig i denne procedure`);
    expect(named.text).toContain(`${SUBSTITUTE.name} kan stemme for dig`);
    expect(picker(named.card).value).toBe(SUBSTITUTE.aadObjectId);
    const show = await showProcedure(db, id);
    expect(show.voters.find((v) => v.aadObjectId === 'aad-voter-3')!.substitute).toEqual({ aadObjectId: SUBSTITUTE.aadObjectId, name: SUBSTITUTE.name });
    expect(show.voters.find((v) => v.aadObjectId === 'aad-voter-5')!.substitute).toBeNull();

    // the substitute votes on the member's ballot; the audit names both
    const sub = await vote(SUBSTITUTE as P, id, 1, 'against', { comment: 'Afgivet som stedfortræder' });
    expect(sub.text).toContain('stedfortræder for Direktør 3');
    expect(sub.text).toContain('Din stemme: Imod');
    expect(picker(sub.card).verb).toBeUndefined(); // a substitute does not name substitutes
    const mine = await press(person(3), { procedureId: id }, { verb: 'procedure.refresh' });
    expect(mine.text).toContain('Din stemme: Imod – "Afgivet som stedfortræder"');
    const events = await auditEvents(db, id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ who: SUBSTITUTE.name, whoAadObjectId: SUBSTITUTE.aadObjectId, onBehalfOf: 'Direktør 3', onBehalfOfAadObjectId: 'aad-voter-3', from: null, to: 'against' });
    const csv = auditCsv(events).split('\n')[1];
    expect(csv).toContain(`${SUBSTITUTE.name},${SUBSTITUTE.aadObjectId},Direktør 3,aad-voter-3,,against`);
    const named2 = await db.query<{ n: number }>("select count(*)::int n from audit_log where action = 'procedure.substitute' and subject = $1 and actor = 'aad-voter-3'", [id]);
    expect(named2.rows[0].n).toBe(1);

    // not members: someone outside the roster, and the substitute (not a voter here) are refused
    expect((await nameSub(OUTSIDER, { procedureId: id, substitute: SUBSTITUTE.aadObjectId })).text).toContain('ikke stemmeberettiget');
    expect((await nameSub(SUBSTITUTE, { procedureId: id, substitute: 'aad-voter-6' })).text).toContain('ikke stemmeberettiget');
    // another tenant learns nothing
    const wrongTenant = await client.send(adaptiveCardAction('procedure.substitute', { procedureId: id, substitute: SUBSTITUTE.aadObjectId }, { user: person(4), tenantId: 'another-tenant', channel: true }));
    expect(wrongTenant.body).toEqual({ statusCode: 403, type: 'application/vnd.microsoft.error', value: { code: 'Forbidden', message: expect.stringContaining('ikke adgang') } });
    // someone not on the forum's roster cannot be named
    expect((await nameSub(person(4), { procedureId: id, substitute: OUTSIDER.aadObjectId })).text).toContain('står ikke på forummets roster');
    expect((await showProcedure(db, id)).voters.find((v) => v.aadObjectId === 'aad-voter-4')!.substitute).toBeNull();

    // a voter whose roster role is substitute (listed by the secretariat) is not a member: no picker, and refused
    const listed = await createProcedure(pctx(), CLI, spec({ deadline: new Date(t + 3_600_000).toISOString(), voters: [
      { aadObjectId: 'aad-voter-1', name: 'Direktør 1' },
      { aadObjectId: SUBSTITUTE.aadObjectId, name: SUBSTITUTE.name },
    ] }));
    expect(picker((await press(SUBSTITUTE as P, { procedureId: listed.id }, { verb: 'procedure.refresh' })).card).verb).toBeUndefined();
    expect((await nameSub(SUBSTITUTE, { procedureId: listed.id, substitute: 'aad-voter-2' })).text).toContain('Kun forummets medlemmer');
    expect((await showProcedure(db, listed.id)).voters.every((v) => v.substitute === null)).toBe(true);
    // after the deadline the card offers nothing and naming is refused
    t += 2 * 3_600_000;
    const late = await nameSub(person(2), { procedureId: id, substitute: SUBSTITUTE.aadObjectId });
    expect(late.text).toContain('ikke åben');
    expect(picker(late.card).verb).toBeUndefined();
  });

  test('tacit consent broken by one objection; quorum not met; auto-close at the deadline; result on the items', async () => {
    const tacit = await createProcedure(pctx(), CLI, spec({ rule: 'tacit', deadline: new Date(t + 60_000).toISOString() }));
    const quorum = await createProcedure(pctx(), CLI, spec({ quorum: 0.5, deadline: new Date(t + 60_000).toISOString() }));
    await vote(person(4), tacit.id, 2, 'against');
    await vote(person(5), tacit.id, 3, 'meeting');
    for (const n of [1, 2]) await vote(person(n), quorum.id, 1, 'for');
    for (const n of [1, 2, 3]) await vote(person(n), quorum.id, 2, 'for');
    t += 61_000;
    // the worker polls the jobs table: wait until both are closed
    for (let i = 0; i < 100; i++) {
      const r = await db.query<{ n: number }>("select count(*)::int n from procedures where id = any($1) and status = 'closed'", [[tacit.id, quorum.id]]);
      if (r.rows[0].n === 2) break;
      await new Promise((res) => setTimeout(res, 100));
    }
    const ts = await showProcedure(db, tacit.id);
    expect(ts.status).toBe('closed');
    expect(ts.items.map((i) => i.outcome)).toEqual(['approved', 'stopped', 'stopped']);
    expect(ts.items[2].meetingRequested).toBe(1);
    const qs = await showProcedure(db, quorum.id);
    expect(qs.items.map((i) => i.outcome)).toEqual(['no_quorum', 'approved', 'no_quorum']);

    const m = (await getMeeting(db, qs.meetingId!))!;
    expect(m.kind).toBe('written_procedure');
    expect(m.items[1].decision).toBe('Godkendt ved skriftlig procedure (3 for, 0 imod, 0 undlod)');
    expect(m.items[1].outcome).toBe('approved');
    const tm = (await getMeeting(db, ts.meetingId!))!;
    expect(tm.items[0].decision).toBe('Godkendt ved skriftlig procedure med stiltiende godkendelse (0 for, 0 imod, 0 undlod, 6 svarede ikke)');
    expect(tm.items[1].outcome).toBe('postponed');

    const closed = await vote(person(6), tacit.id, 1, 'for');
    expect(closed.text).toContain('Afstemningen er lukket');
    expect(closed.text).toContain('Godkendt');
    const closedLog = await db.query<{ n: number }>("select count(*)::int n from audit_log where action = 'procedure.closed' and subject = any($1)", [[tacit.id, quorum.id]]);
    expect(closedLog.rows[0].n).toBe(2);
  });

  test('the shared channel card: posted at open, progress updated for everyone without anyone\'s votes, result at close; personal cards', async () => {
    await upsertConversation(db, {
      id: 'a:personal-aad-voter-1',
      type: 'personal',
      tenantId: TENANT_ID,
      aadObjectId: 'aad-voter-1',
      reference: { channelId: 'msteams', serviceUrl: connector.url, conversation: { id: 'a:personal-aad-voter-1', conversationType: 'personal', tenantId: TENANT_ID }, bot: { id: '28:forumbot-app-id' }, user: { id: '29:voter-1', aadObjectId: 'aad-voter-1' } },
    });
    const title = `Kanalkort ${Date.now()}`;
    const { id } = await createProcedure(pctx(), CLI, spec({ title, deadline: new Date(t + 60_000).toISOString() }));
    const cardIn = (c: { body: any }) => c.body?.activity?.attachments?.[0]?.content ?? c.body?.attachments?.[0]?.content;
    const waitDump = (pred: () => boolean, ms: number) =>
      connector.waitFor(pred, ms).catch((e) => {
        require('fs').writeFileSync('/tmp/fbproc-calls.json', JSON.stringify(connector.calls.map((c) => [c.kind, c.path, c.status, cardIn(c) ? cardText(cardIn(c)).slice(0, 300) : c.body]), null, 1));
        throw e;
      });
    const callWith = (kind: string, text: string) => connector.calls.find((c) => c.kind === kind && cardIn(c) && cardText(cardIn(c)).includes(text) && cardText(cardIn(c)).includes(title));
    await waitDump(() => !!callWith('create', title), 15_000);
    const posted = cardIn(callWith('create', title)!);
    expectValidCard(posted);
    expect(posted.version).toBe('1.5');
    expect(cardText(posted)).toContain('0 af 6 har stemt');
    const verbs = JSON.stringify(posted).match(/"verb":"procedure\.vote"/g) ?? [];
    expect(verbs.length).toBe(4 * 3);
    // the personal card to the voter who has a personal chat with the bot
    await waitDump(() => connector.messages('a:personal-aad-voter-1').some((m) => JSON.stringify(m).includes(id)), 15_000);
    const personal = connector.messages('a:personal-aad-voter-1').find((m) => JSON.stringify(m).includes(id));
    expectValidCard(personal.attachments[0].content);
    expect(cardText(personal.attachments[0].content)).toContain('Din stemme: ikke afgivet');

    for (const item of [1, 2, 3]) await vote(person(1), id, item, item === 2 ? 'against' : 'for');
    await vote(person(2), id, 1, 'abstain');
    t += 2_000; // the coalesced refresh job runs after a short delay on the server's clock
    await waitDump(() => !!callWith('update', '1 af 6 har stemt'), 15_000);
    const updated = cardIn(callWith('update', '1 af 6 har stemt')!);
    expectValidCard(updated);
    expect(cardText(updated)).not.toMatch(/Din stemme|Direktør 1|Imod –/);
    expect(updated.refresh.userIds).toEqual(expect.arrayContaining(['29:voter-1', '29:voter-2']));
    expect(updated.refresh.userIds.length).toBeLessThanOrEqual(60);

    t += 60_000;
    await waitDump(() => !!callWith('create', 'Resultat af skriftlig procedure'), 15_000);
    const result = cardIn(callWith('create', 'Resultat af skriftlig procedure')!);
    expectValidCard(result);
    const rt = cardText(result);
    expect(rt).toContain('For 1 · Imod 0 · Undlod 1 · Ønsker møde 0');
    expect(rt).toContain('Stemte ikke (4): Direktør 3, Direktør 4, Direktør 5, Direktør 6');
    await waitDump(() => !!callWith('update', 'Proceduren er afsluttet'), 15_000);
    expect(cardText(cardIn(callWith('update', 'Proceduren er afsluttet')!))).toContain('Godkendt');
    // exactly one result post
    expect(connector.calls.filter((c) => c.kind === 'create' && cardIn(c) && cardText(cardIn(c)).includes('Resultat af skriftlig procedure') && cardText(cardIn(c)).includes(title))).toHaveLength(1);
  });

  test('reminders go only to those who have not voted; extending tells the channel and every voter', async () => {
    for (const n of [1, 2]) {
      const cid = `a:personal-aad-voter-${n}`;
      await upsertConversation(db, {
        id: cid, type: 'personal', tenantId: TENANT_ID, aadObjectId: `aad-voter-${n}`,
        reference: { channelId: 'msteams', serviceUrl: connector.url, conversation: { id: cid, conversationType: 'personal', tenantId: TENANT_ID }, bot: { id: '28:forumbot-app-id' }, user: { id: `29:voter-${n}` } },
      });
    }
    const title = `Rykkertest ${Date.now()}`;
    const { id } = await createProcedure(pctx(), CLI, spec({ title, deadline: new Date(t + 25 * 3_600_000).toISOString() }));
    for (const item of [1, 2, 3]) await vote(person(1), id, item, 'for');
    await vote(person(2), id, 1, 'for'); // person 2 has voted on one item only
    const texts = (conv: string) => connector.messages(conv).map((m) => (m.text ?? '') + cardText(m.attachments?.[0]?.content ?? {})).filter((x) => x.includes(title));
    t += 1 * 3_600_000 + 1_000; // the 24 h reminder is due
    await connector.waitFor(() => texts('a:personal-aad-voter-2').some((x) => x.includes('Påmindelse')), 15_000);
    expect(texts('a:personal-aad-voter-2').find((x) => x.includes('Påmindelse'))).toContain('du mangler at stemme på 2 punkter');
    expect(texts('a:personal-aad-voter-1').some((x) => x.includes('Påmindelse'))).toBe(false);
    const jobs = await db.query<{ outcome: string }>("select outcome from procedure_jobs where procedure_id = $1 and kind = 'remind' and done_at is not null", [id]);
    expect(jobs.rows.map((j) => j.outcome)).toEqual(['sent']);

    const later = new Date(t + 48 * 3_600_000);
    await extendDeadline(pctx(), CLI, id, later.toISOString());
    const notice = (conv: string) => connector.calls.some((c) => (c.kind === 'create' || c.kind === 'send' || c.kind === 'reply') && (conv === '' || c.conversationId === conv) && JSON.stringify(c.body).includes('er forlænget til') && JSON.stringify(c.body).includes(title));
    await connector.waitFor(() => notice('a:personal-aad-voter-1') && notice('a:personal-aad-voter-2'), 15_000);
    // the channel gets the notice as a new post
    await connector.waitFor(() => connector.calls.some((c) => c.kind === 'create' && JSON.stringify(c.body).includes('er forlænget til') && JSON.stringify(c.body).includes(title)), 15_000);
  });

  test('restart before the deadline: the deadline passes while the server is down, it closes at start', async () => {
    const p = await createProcedure(pctx(), CLI, spec({ deadline: new Date(t + 10 * 60_000).toISOString() }));
    await vote(person(1), p.id, 1, 'for');
    await server.close();
    t += 11 * 60_000;
    expect((await showProcedure(db, p.id)).status).toBe('open');
    await start();
    for (let i = 0; i < 100 && (await showProcedure(db, p.id)).status !== 'closed'; i++) await new Promise((res) => setTimeout(res, 100));
    const s = await showProcedure(db, p.id);
    expect(s.status).toBe('closed');
    expect(s.items[0]).toMatchObject({ for: 1, outcome: 'approved' });
    const jobs = await db.query<{ n: number }>("select count(*)::int n from procedure_jobs where procedure_id = $1 and kind = 'close' and outcome = 'closed'", [p.id]);
    expect(jobs.rows[0].n).toBe(1);
  });
});
