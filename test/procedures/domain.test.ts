import { openDb, type Db } from '../../src/store/db';
import { engines } from '../support/engines';
import { expectValidCard } from '../support/cards';
import {
  auditCsv, auditEvents, castVote, closeProcedure, createProcedure, extendDeadline, nameSubstitute, showProcedure, CLI, cancelProcedure, createFromMeeting,
} from '../../src/procedures/service';
import { loadCardState, renderPersonal, renderResult, renderShared, renderForm } from '../../src/procedures/cards';
import { ProcedureWorker } from '../../src/procedures/worker';
import * as repo from '../../src/procedures/repo';
import { rosterRowsFromCsv, upsertRoster, listRoster } from '../../src/procedures/roster';
import { actor, clockCtx, OUTSIDER, person, SECRETARY, seedRoster, spec, SUBSTITUTE, testConfig } from './helpers';

describe.each(engines())('procedures domain on %s', (_name, opts) => {
  let db: Db;
  beforeAll(async () => {
    db = await openDb(opts());
    await seedRoster(db, 5);
  });
  afterAll(async () => db?.close());

  it('opens, votes, changes, dedupes, refuses, closes and records the decision', async () => {
    const config = testConfig();
    const ctx = clockCtx(db, config);
    const { id, meetingId, voters } = await createProcedure(ctx, CLI, spec());
    expect(voters).toBe(5);
    const v1 = actor(person(1));
    expect((await castVote(ctx, v1, { procedureId: id, item: 1, choice: 'for' }, 'inv-1')).status).toBe('recorded');
    expect((await castVote(ctx, v1, { procedureId: id, item: 1, choice: 'for' }, 'inv-1')).status).toBe('duplicate');
    expect((await castVote(ctx, v1, { procedureId: id, item: 1, choice: 'against', comment: 'Nej tak' }, 'inv-2')).status).toBe('recorded');
    // a retry of the first invoke arriving late does not flip the vote back
    expect((await castVote(ctx, v1, { procedureId: id, item: 1, choice: 'for' }, 'inv-1')).status).toBe('duplicate');
    const out = await castVote(ctx, actor(OUTSIDER), { procedureId: id, item: 1, choice: 'for' }, 'inv-3');
    expect(out).toMatchObject({ status: 'refused', code: 'not_voter' });
    const wrongTenant = await castVote(ctx, actor(person(2), 'evil-tenant'), { procedureId: id, item: 1, choice: 'for' }, 'inv-4');
    expect(wrongTenant).toMatchObject({ status: 'refused', code: 'wrong_tenant' });
    for (const n of [2, 3, 4]) for (const item of [1, 2, 3]) await castVote(ctx, actor(person(n)), { procedureId: id, item, choice: n === 4 ? 'abstain' : 'for' }, `i-${n}-${item}`);
    await castVote(ctx, actor(person(1)), { procedureId: id, item: 2, choice: 'meeting' }, 'm-1');

    let show = await showProcedure(db, id);
    expect(show.items[0]).toMatchObject({ number: 1, for: 2, against: 1, abstain: 1, meetingRequested: 0, outcome: null });
    expect(show.items[1]).toMatchObject({ for: 2, abstain: 1, meetingRequested: 1 });
    expect(show.voters.find((v) => v.aadObjectId === 'aad-voter-2')!.voted).toBe(true);
    expect(show.voters.find((v) => v.aadObjectId === 'aad-voter-5')!.voted).toBe(false);

    // cards: shared before close shows no individual votes
    const s = (await loadCardState(db, id))!;
    const shared = renderShared(s, { now: ctx.now(), refreshUserIds: ['29:voter-1'] });
    expectValidCard(shared);
    expect(JSON.stringify(shared)).toContain('3 af 5 har stemt');
    expect(JSON.stringify(shared)).not.toContain('Din stemme');
    expect((shared as any).refresh.userIds).toEqual(['29:voter-1']);
    const mine = renderPersonal(s, await repo.getBallotsOf(db, id, 'aad-voter-1'), { now: ctx.now() });
    expectValidCard(mine);
    expect(JSON.stringify(mine)).toContain('Imod – \\"Nej tak\\"');

    // early close refused while someone has not voted
    await expect(closeProcedure(ctx, actor(SECRETARY), id, 'early')).rejects.toThrow(/alle har stemt/);
    // the deadline job before the deadline does nothing
    expect(await closeProcedure(ctx, { kind: 'system' }, id, 'deadline')).toEqual({ closed: false, reason: 'not_due' });
    ctx.advance(4 * 86_400_000);
    const late = await castVote(ctx, actor(person(5)), { procedureId: id, item: 1, choice: 'for' }, 'late');
    expect(late).toMatchObject({ status: 'refused', code: 'deadline' });
    const worker = new ProcedureWorker(ctx, { pollMs: 10_000 });
    expect(await worker.runDue()).toBeGreaterThanOrEqual(1);
    expect(worker.stats['close:closed']).toBe(1);
    expect(await worker.runDue()).toBe(0);
    show = await showProcedure(db, id);
    expect(show.status).toBe('closed');
    expect(show.items[0].outcome).toBe('approved');
    expect(show.items[0].decision).toBe('Godkendt ved skriftlig procedure (2 for, 1 imod, 1 undlod)');
    const after = await castVote(ctx, actor(person(5)), { procedureId: id, item: 1, choice: 'for' }, 'after');
    expect(after).toMatchObject({ status: 'refused', code: 'closed' });

    const items = await db.query<{ number: number; decision: string; outcome: string }>('select number, decision, outcome from items where meeting_id = $1 order by position', [meetingId]);
    expect(items.rows[0]).toMatchObject({ number: 1, outcome: 'approved', decision: 'Godkendt ved skriftlig procedure (2 for, 1 imod, 1 undlod)' });
    const m = await db.query<{ kind: string; status: string; data: any }>('select kind, status, data from meetings where id = $1', [meetingId]);
    expect(m.rows[0]).toMatchObject({ kind: 'written_procedure', status: 'minutes' });
    expect(m.rows[0].data.items[0].decision).toContain('Godkendt ved skriftlig procedure');

    const closedState = (await loadCardState(db, id))!;
    expectValidCard(renderShared(closedState, { now: ctx.now() }));
    const result = renderResult(closedState);
    expectValidCard(result);
    expect(JSON.stringify(result)).toContain('Direktør 5');

    const events = await auditEvents(db, id);
    const first = events.filter((e) => e.onBehalfOfAadObjectId === 'aad-voter-1' && e.item === 1);
    expect(first.map((e) => [e.from, e.to])).toEqual([[null, 'for'], ['for', 'against']]);
    expect(auditCsv(events).split('\n')[0]).toBe('at,item,item_title,who,who_aad_object_id,on_behalf_of,on_behalf_of_aad_object_id,from,to,comment,invoke_id');
  });

  it('substitute votes for the member; audit names both; extend; cancel', async () => {
    const ctx = clockCtx(db, testConfig());
    const { id } = await createProcedure(ctx, actor(SECRETARY), spec({ rule: 'tacit' }));
    await expect(nameSubstitute(ctx, actor(person(2)), id, { member: 'aad-voter-1', substitute: SUBSTITUTE.name })).rejects.toThrow(/Kun medlemmet/);
    const r = await nameSubstitute(ctx, actor(person(1)), id, { substitute: 'stedfortræder sune' });
    expect(r).toMatchObject({ member: 'aad-voter-1', substitute: 'aad-substitute' });
    expect((await castVote(ctx, actor(SUBSTITUTE), { procedureId: id, item: 1, choice: 'against' }, 's-1')).status).toBe('recorded');
    const ev = (await auditEvents(db, id))[0];
    expect(ev).toMatchObject({ who: SUBSTITUTE.name, onBehalfOf: 'Direktør 1', to: 'against' });
    await expect(extendDeadline(ctx, actor(person(1)), id, new Date(Date.now() + 5 * 86_400_000).toISOString())).rejects.toThrow(/sekretariatet/);
    const newDeadline = new Date(Date.now() + 5 * 86_400_000);
    await extendDeadline(ctx, actor(SECRETARY), id, newDeadline.toISOString());
    const jobs = await db.query<{ kind: string; run_at: Date }>("select kind, run_at from procedure_jobs where procedure_id = $1 and done_at is null and kind = 'close'", [id]);
    expect(jobs.rows.map((j) => new Date(j.run_at).getTime())).toEqual([newDeadline.getTime()]);
    ctx.advance(4 * 86_400_000); // past the old deadline, before the new one
    expect((await castVote(ctx, actor(person(3)), { procedureId: id, item: 2, choice: 'for' }, 'x-1')).status).toBe('recorded');
    ctx.advance(2 * 86_400_000);
    const w = new ProcedureWorker(ctx);
    await w.runDue();
    const show = await showProcedure(db, id);
    expect(show.items.map((i) => i.outcome)).toEqual(['stopped', 'approved', 'approved']);

    const ctx2 = clockCtx(db, testConfig());
    const p2 = await createProcedure(ctx2, CLI, spec());
    await cancelProcedure(ctx2, actor(SECRETARY), p2.id);
    expect((await castVote(ctx2, actor(person(1)), { procedureId: p2.id, item: 1, choice: 'for' }, 'c-1')).code).toBe('cancelled');
  });

  it('votes at once: a retried invoke counts once, and a close racing the votes keeps exactly the acknowledged ones', async () => {
    const config = testConfig();
    const voting = clockCtx(db, config);
    const { id } = await createProcedure(voting, CLI, spec({ deadline: new Date(Date.now() + 3_600_000).toISOString() }));
    // the same invoke arriving 12 times at once (Teams retries, two instances): one vote, one event
    const same = await Promise.all(Array.from({ length: 12 }, () => castVote(voting, actor(person(2)), { procedureId: id, item: 3, choice: 'meeting' }, 'burst-1')));
    expect(same.filter((r) => r.status === 'recorded')).toHaveLength(1);
    expect(same.filter((r) => r.status === 'duplicate')).toHaveLength(11);
    // each answer's card shows the vote (a duplicate waited for the first to commit)
    for (const r of same) expect(r.view?.ballot.find((b) => b.item_number === 3)?.choice).toBe('meeting');
    // every voter votes on every item while the deadline job closes the procedure (its clock is past the deadline)
    const closer = clockCtx(db, config, Date.now() + 2 * 3_600_000);
    const votes = [1, 2, 3, 4, 5].flatMap((n) => [1, 2].map((item) => ({ n, item })));
    const [results, closed] = await Promise.all([
      Promise.all(votes.map(({ n, item }) => castVote(voting, actor(person(n)), { procedureId: id, item, choice: 'for' }, `race-${n}-${item}`))),
      new Promise((r) => setTimeout(r, 5)).then(() => closeProcedure(closer, CLI, id, 'deadline')),
    ]);
    expect(closed.closed).toBe(true);
    for (const r of results) expect(['recorded', 'refused']).toContain(r.status);
    const recorded = results.filter((r) => r.status === 'recorded');
    expect(results.filter((r) => r.status === 'refused').every((r) => r.code === 'closed')).toBe(true);
    // the result counts exactly the votes that were acknowledged as recorded, nothing else
    const show = await showProcedure(db, id);
    for (const item of [1, 2]) expect(show.items[item - 1].for).toBe(results.filter((r, i) => r.status === 'recorded' && votes[i].item === item).length);
    const events = await auditEvents(db, id);
    expect(events).toHaveLength(1 + recorded.length);
  });

  it('deadline jobs: two workers at once close each procedure exactly once; a crashed claim is retried after its lease', async () => {
    const ctx = clockCtx(db, testConfig());
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push((await createProcedure(ctx, CLI, spec({ deadline: new Date(ctx.now().getTime() + 60_000).toISOString() }))).id);
    // a worker that claimed one close job and died before finishing it
    ctx.advance(61_000);
    const crashed = await repo.claimDueJob(db, ctx.now(), 30_000);
    expect(crashed).not.toBeNull();
    const w1 = new ProcedureWorker(ctx);
    const w2 = new ProcedureWorker(ctx);
    await Promise.all([w1.runDue(), w2.runDue()]);
    const stillOpen = await db.query<{ id: string }>("select id from procedures where id = any($1) and status = 'open'", [ids]);
    expect(stillOpen.rows.map((r) => r.id)).toEqual(ids.filter((id) => id === crashed!.procedure_id));
    ctx.advance(31_000); // the lease ran out: the job is claimed again
    await Promise.all([w1.runDue(), w2.runDue()]);
    const closes = await db.query<{ subject: string; n: number }>("select subject, count(*)::int n from audit_log where action = 'procedure.closed' and subject = any($1) group by subject", [ids]);
    expect(closes.rows).toHaveLength(6);
    expect(closes.rows.every((r) => r.n === 1)).toBe(true);
    expect((w1.stats['close:closed'] ?? 0) + (w2.stats['close:closed'] ?? 0)).toBe(6);
  });

  it('quorum not met, roster CSV, from a meeting, form card', async () => {
    const ctx = clockCtx(db, testConfig());
    const { id } = await createProcedure(ctx, CLI, spec({ quorum: 0.6 }));
    await castVote(ctx, actor(person(1)), { procedureId: id, item: 1, choice: 'for' }, 'q-1');
    await castVote(ctx, actor(person(2)), { procedureId: id, item: 1, choice: 'for' }, 'q-2');
    ctx.advance(4 * 86_400_000);
    await new ProcedureWorker(ctx).runDue();
    const show = await showProcedure(db, id);
    expect(show.items[0].outcome).toBe('no_quorum');
    expect(show.items[0].decision).toMatch(/for få svar \(2 af 5 svarede, krav 60 %\)/);

    const rows = rosterRowsFromCsv('name,organisation,aadObjectId,role\n"Hansen, Bo",Kommune X,aad-bo,member\nEva,Kommune Y,aad-eva,stedfortræder\n');
    expect(rows).toEqual([
      { name: 'Hansen, Bo', organisation: 'Kommune X', aadObjectId: 'aad-bo', role: 'member' },
      { name: 'Eva', organisation: 'Kommune Y', aadObjectId: 'aad-eva', role: 'substitute' },
    ]);
    await upsertRoster(db, 'das', rows);
    const das = await listRoster(db, 'das');
    expect(das.find((x) => x.aadObjectId === 'aad-eva')!.votes).toBe(false);
    expect(das.find((x) => x.aadObjectId === 'aad-bo')!.votes).toBe(true);

    // a decided meeting is not put to a vote again
    await expect(createFromMeeting(ctx, CLI, show.meetingId!, { deadline: new Date(ctx.now().getTime() + 86_400_000).toISOString() })).rejects.toThrow(/allerede et referat/);
    // an agenda of kind written_procedure: each item becomes a proposal, and the decisions land on its items
    const agenda = await createProcedure(ctx, CLI, spec({ deadline: new Date(ctx.now().getTime() + 86_400_000).toISOString() }));
    await cancelProcedure(ctx, CLI, agenda.id);
    const fromMeeting = await createFromMeeting(ctx, CLI, agenda.meetingId, { deadline: new Date(ctx.now().getTime() + 86_400_000).toISOString(), rule: 'tacit' });
    expect(fromMeeting).toMatchObject({ items: 3, meetingId: agenda.meetingId });
    await castVote(ctx, actor(person(3)), { procedureId: fromMeeting.id, item: 3, choice: 'against' }, 'fm-1');
    ctx.advance(2 * 86_400_000);
    await new ProcedureWorker(ctx).runDue();
    const decided = await db.query<{ number: number; outcome: string }>('select number, outcome from items where meeting_id = $1 order by position', [agenda.meetingId]);
    expect(decided.rows.map((r) => r.outcome)).toEqual(['approved', 'approved', 'postponed']);
    expectValidCard(renderForm([{ id: 'sdf', name: 'Socialdirektørforum' }], { deadlineDate: '2026-12-01', error: 'Fejl' }));
  });
});
