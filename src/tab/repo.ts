import type { Queryable } from '../store/db';

/**
 * Read-only queries the tab needs that no other repository offers. The tables belong to their
 * capabilities (procedures: 0300_procedures.sql); the tab only reads them.
 */

export interface MyProcedureRow {
  id: string;
  forum_id: string;
  forum_name: string;
  title: string;
  deadline: Date;
  rule: string;
  /** The voter the user votes as: themself, or the member they substitute for. */
  voter: string;
  voter_name: string;
  on_behalf_of: string | null;
  items: number;
  answered: number;
  card_conversation_id: string | null;
  card_activity_id: string | null;
}

/**
 * Open procedures where `aadObjectId` votes: as a voter themself, or as a named substitute for a member.
 * Each row says how many items the voter has answered. Soonest deadline first.
 */
export async function openProceduresFor(q: Queryable, aadObjectId: string): Promise<MyProcedureRow[]> {
  const r = await q.query<MyProcedureRow>(
    `with mine as (
        select v.procedure_id, v.aad_object_id as voter, v.name as voter_name, null::text as on_behalf_of
          from procedure_voters v where lower(v.aad_object_id) = lower($1)
        union all
        select s.procedure_id, s.member_aad_object_id, s.substitute_name, v.name
          from procedure_substitutes s
          join procedure_voters v on v.procedure_id = s.procedure_id and v.aad_object_id = s.member_aad_object_id
         where lower(s.substitute_aad_object_id) = lower($1))
     select p.id, p.forum_id, f.name as forum_name, p.title, p.deadline, p.rule,
            m.voter, m.voter_name, m.on_behalf_of,
            (select count(*) from procedure_items i where i.procedure_id = p.id)::int as items,
            (select count(*) from procedure_votes b where b.procedure_id = p.id and b.voter = m.voter and b.choice is not null)::int as answered,
            p.card_conversation_id, p.card_activity_id
       from mine m
       join procedures p on p.id = m.procedure_id
       join forums f on f.id = p.forum_id
      where p.status = 'open'
      order by p.deadline, p.id, m.voter`,
    [aadObjectId],
  );
  return r.rows;
}

/** Distinct years that have meetings with recorded decisions, newest first (the search's year filter). */
export async function decisionYears(q: Queryable): Promise<number[]> {
  const r = await q.query<{ y: number }>(
    `select distinct extract(year from m.meeting_date)::int as y
       from meetings m where m.meeting_date is not null and exists (select 1 from items i where i.meeting_id = m.id and i.decision is not null)
      order by y desc`,
  );
  return r.rows.map((x) => x.y);
}
