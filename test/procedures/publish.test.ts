import { openDb, type Db } from '../../src/store/db';
import { upsertConversation, linkConversations } from '../../src/broadcasts/conversations';
import { procedureContext } from '../../src/procedures';
import { createProcedure, CLI } from '../../src/procedures/service';
import { rememberTeamsUserId, upsertRoster } from '../../src/procedures/roster';
import { ensureKnownForums } from '../../src/store/forums';
import { engines } from '../support/engines';
import { expectValidCard } from '../support/cards';
import { spec, testConfig } from './helpers';

/** What opening a procedure puts in the outbox: the shared card with a user-specific refresh for ≤ 60 people, none above. */
describe.each(engines())('publishing through the outbox on %s', (_name, opts) => {
  let db: Db;
  beforeAll(async () => {
    db = await openDb(opts());
    await ensureKnownForums(db);
    await upsertConversation(db, { id: '19:chan@thread.tacv2', type: 'channel', tenantId: 't', teamId: '19:team', channelId: '19:chan@thread.tacv2', reference: { conversation: { id: '19:chan@thread.tacv2' } } });
    await linkConversations(db, ['19:chan@thread.tacv2'], 'DAS', 'test');
    await upsertConversation(db, { id: '19:chan2@thread.tacv2', type: 'channel', tenantId: 't', teamId: '19:team2', channelId: '19:chan2@thread.tacv2', reference: { conversation: { id: '19:chan2@thread.tacv2' } } });
    await linkConversations(db, ['19:chan2@thread.tacv2'], 'SOCDIR', 'test');
  });
  afterAll(async () => db?.close());

  const people = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => ({ name: `${prefix} ${i + 1}`, organisation: null, aadObjectId: `aad-${prefix}-${i + 1}`, role: 'member' as const }));

  async function sharedCard(forum: string, prefix: string, n: number) {
    await upsertRoster(db, forum, people(prefix, n));
    for (let i = 1; i <= n; i++) await rememberTeamsUserId(db, `aad-${prefix}-${i}`, `29:${prefix}-${i}`);
    const { id } = await createProcedure(procedureContext({ db, config: testConfig() }), CLI, spec({ forum }));
    const r = await db.query<{ message: { card: any } }>('select message from broadcasts where key = $1', [`procedure:${id}:card`]);
    expect(r.rows).toHaveLength(1);
    expectValidCard(r.rows[0].message.card);
    return r.rows[0].message.card;
  }

  it('≤ 60 voters: refresh.userIds lists them (user-specific views)', async () => {
    const card = await sharedCard('das', 'small', 12);
    expect(card.refresh.action).toMatchObject({ type: 'Action.Execute', verb: 'procedure.refresh' });
    expect(card.refresh.userIds).toHaveLength(12);
    expect(card.refresh.userIds).toContain('29:small-7');
  });

  it('more than 60 voters: no refresh on the shared card; personal cards instead', async () => {
    const card = await sharedCard('socialdirektoerkredsen', 'big', 61);
    expect(card.refresh).toBeUndefined();
    expect(JSON.stringify(card)).toContain('Vis min stemme');
  });
});
