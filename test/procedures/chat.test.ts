import pino from 'pino';
import { startServer, type RunningServer } from '../../src/server';
import { openDb, type Db } from '../../src/store/db';
import { upsertConversation, linkConversations } from '../../src/broadcasts/conversations';
import { showProcedure, listProcedures } from '../../src/procedures/service';
import { listRoster } from '../../src/procedures/roster';
import { engines } from '../support/engines';
import { expectValidCard } from '../support/cards';
import { startFakeConnector, type FakeConnector } from '../support/fake-connector';
import { BotClient, cardOf, cardText, channelMessage, invoke, personalMessage, personalConversationId, CHANNEL_ID, TEAM_ID, TENANT_ID } from '../support/bot-client';
import { localDate } from '../../src/store/time';
import { person, SECRETARY, seedRoster, testConfig } from './helpers';

/** Opening a procedure from chat (command → dialog → submit), roster sync from the team, substitutes by chat. */
describe.each(engines())('procedures in chat on %s', (_name, opts) => {
  let db: Db;
  let connector: FakeConnector;
  let server: RunningServer;
  let client: BotClient;

  beforeAll(async () => {
    db = await openDb(opts());
    await seedRoster(db, 3);
    connector = await startFakeConnector();
    await upsertConversation(db, {
      id: CHANNEL_ID, type: 'channel', tenantId: TENANT_ID, teamId: TEAM_ID, channelId: CHANNEL_ID, name: 'General',
      reference: { channelId: 'msteams', serviceUrl: connector.url, conversation: { id: CHANNEL_ID, conversationType: 'channel', tenantId: TENANT_ID } },
    });
    await linkConversations(db, [CHANNEL_ID], 'SDF', 'test');
    server = await startServer(testConfig({ ALLOWED_TENANT_IDS: TENANT_ID }), { port: 0, db, log: pino({ level: 'silent' }) });
    client = new BotClient(server.url, connector);
  });
  afterAll(async () => {
    await server?.close();
    await connector?.stop();
    await db?.close();
  });

  test('"ny skriftlig procedure" → dialog form (task/fetch) → task/submit opens the procedure', async () => {
    const director = await client.ask(personalMessage('ny skriftlig procedure', { user: person(1) }));
    expect(director.replies.at(-1)!.text).toContain('Kun sekretariatet');
    const { replies } = await client.ask(personalMessage('ny skriftlig procedure', { user: SECRETARY }));
    const start = cardOf(replies.at(-1)!)!;
    expectValidCard(start);
    expect(JSON.stringify(start)).toContain('task/fetch');

    const fetched = await client.send(invoke('task/fetch', { data: { msteams: { type: 'task/fetch' }, action: 'procedure.form' } }, { user: SECRETARY }));
    expect(fetched.status).toBe(200);
    expect(fetched.body.task.type).toBe('continue');
    const form = fetched.body.task.value.card.content;
    expectValidCard(form);
    expect(cardText(form)).toContain('Socialdirektørforum');

    // a director who is not secretariat gets no form
    const refused = await client.send(invoke('task/fetch', { data: { action: 'procedure.form' } }, { user: person(1) }));
    expect(refused.body.task).toEqual({ type: 'message', value: expect.stringContaining('sekretariatet') });

    const deadline = localDate(new Date(Date.now() + 5 * 86_400_000));
    const bad = await client.send(invoke('task/submit', { data: { action: 'procedure.create', forum: 'socialdirektoerforum', title: 'Uden punkter', deadlineDate: deadline, deadlineTime: '12:00', rule: 'majority', quorum: '0' } }, { user: SECRETARY }));
    expect(bad.body.task.type).toBe('continue');
    expectValidCard(bad.body.task.value.card.content);
    expect(cardText(bad.body.task.value.card.content)).toContain('Skriv mindst ét punkt');

    const ok = await client.send(
      invoke('task/submit', {
        data: {
          action: 'procedure.create', forum: 'socialdirektoerforum', title: 'Oprettet fra dialogen', deadlineDate: deadline, deadlineTime: '15:30',
          rule: 'tacit', quorum: '50', item1_title: 'Første punkt', item1_recommendation: 'Godkend', item3_title: 'Tredje punkt',
        },
      }, { user: SECRETARY }),
    );
    expect(ok.body.task.type).toBe('message');
    const id = /\((sp-[\w-]+)\)/.exec(ok.body.task.value)![1];
    const s = await showProcedure(db, id);
    expect(s).toMatchObject({ title: 'Oprettet fra dialogen', rule: 'tacit', quorum: 0.5, status: 'open' });
    expect(s.deadline).toBe(`${deadline}T15:30:00+01:00`);
    expect(s.items.map((i) => i.title)).toEqual(['Første punkt', 'Tredje punkt']);
    expect(s.voters).toHaveLength(3);
  });

  test('roster sync from the linked team (getPagedMembers), then "stemmeret" marks who votes; a member names a substitute', async () => {
    connector.setMembers(TEAM_ID, [
      { id: '29:voter-1', name: 'Direktør 1', aadObjectId: 'aad-voter-1' },
      { id: '29:new-1', name: 'Ny Nielsen', aadObjectId: 'aad-new-1' },
      { id: '29:new-2', name: 'Vikar Viggo', aadObjectId: 'aad-new-2' },
    ]);
    const refused = await client.ask(channelMessage('synkronisér roster', { user: person(1) }));
    expect(refused.replies.at(-1)!.text).toContain('Kun sekretariatet');
    const { replies } = await client.ask(channelMessage('synkronisér roster', { user: SECRETARY }));
    expect(replies.at(-1)!.text).toMatch(/3 medlemmer i teamet, 2 nye/);
    expect(connector.calls.some((c) => c.kind === 'pagedmembers')).toBe(true);
    let roster = await listRoster(db, 'socialdirektoerforum');
    expect(roster.find((m) => m.aadObjectId === 'aad-new-1')).toMatchObject({ name: 'Ny Nielsen', votes: false, teamsUserId: '29:new-1' });
    const marked = await client.ask(channelMessage('stemmeret: Ny Nielsen', { user: SECRETARY }));
    expect(marked.replies.at(-1)!.text).toContain('Ny Nielsen');
    roster = await listRoster(db, 'socialdirektoerforum');
    expect(roster.find((m) => m.aadObjectId === 'aad-new-1')!.votes).toBe(true);

    const [open] = await listProcedures(db, { status: 'open' });
    const sub = await client.ask(personalMessage(`stedfortræder Vikar Viggo i ${open.id}`, { user: person(2) }));
    expect(sub.replies.at(-1)!.text).toBe(`Vikar Viggo stemmer nu for Direktør 2 i proceduren ${open.id}.`);
    expect((await showProcedure(db, open.id)).voters.find((v) => v.aadObjectId === 'aad-voter-2')!.substitute).toEqual({ aadObjectId: 'aad-new-2', name: 'Vikar Viggo' });
    const mine = await client.ask(personalMessage('skriftlige procedurer', { user: { id: '29:new-2', name: 'Vikar Viggo', aadObjectId: 'aad-new-2' } }));
    const card = cardOf(mine.replies.at(-1)!)!;
    expectValidCard(card);
    expect(cardText(card)).toContain('stedfortræder for Direktør 2');
    expect(personalConversationId(person(2))).toBe('a:personal-aad-voter-2');
  });
});
