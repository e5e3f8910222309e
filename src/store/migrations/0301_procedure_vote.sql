-- Written procedures: one vote in one round trip, with the plans kept per connection. Owned by src/procedures/.
--
-- procedure_cast_vote does what castVote (src/procedures/service.ts) used to do in a transaction of five round trips
-- (begin; procedure FOR SHARE + ballots; invoke id; the vote; commit), statement for statement, so the rules are the
-- same: the procedure row FOR SHARE first (a concurrent close, cancel or extend waits for this vote, or this vote waits
-- and then sees the new status and deadline), then, each statement with a fresh snapshot as in a READ COMMITTED
-- transaction: the ballot the sender may fill (own, or the member's they substitute for), open and before the
-- deadline (the caller's clock: the server's), the invoke id (a retry of a handled invoke changes nothing), the
-- current choice FOR UPDATE, replaced when it changes, with the event appended. It also schedules the coalesced
-- refresh of the shared card when asked, and returns the ballot after the vote (and the member's substitute, if any)
-- for the clicker's card.
-- PL/pgSQL prepares each statement once per connection, so the call costs no planning.

-- "whose ballot is this" and the ballot itself, without scanning the whole procedure
create index procedure_voters_lower on procedure_voters (procedure_id, lower(aad_object_id));
create index procedure_substitutes_lower on procedure_substitutes (procedure_id, lower(substitute_aad_object_id));
create index procedure_votes_voter on procedure_votes (procedure_id, voter, item_number);

create or replace function procedure_cast_vote(
  p_procedure text, p_item int, p_actor text, p_on_behalf_of text, p_choice text, p_comment text,
  p_now timestamptz, p_actor_name text, p_invoke text, p_want_refresh boolean, p_refresh_at timestamptz)
returns table (
  r_known boolean, r_status text, r_deadline timestamptz, r_closed_at timestamptz, r_close_reason text, r_result jsonb,
  r_voter text, r_voter_name text, r_fresh boolean, r_found boolean, r_changed boolean, r_prev text,
  r_job_at timestamptz, r_pending_at timestamptz, r_ballot json, r_substitute_id text, r_substitute_name text)
language plpgsql as $$
declare
  v_proc record;
  v_ballot record;
  v_cur record;
begin
  r_known := false; r_fresh := false; r_found := false; r_changed := false;
  select pr.status, pr.deadline, pr.closed_at, pr.close_reason, pr.result into v_proc
    from procedures pr where pr.id = p_procedure for share;
  if not found then
    return next;
    return;
  end if;
  r_known := true;
  r_status := v_proc.status; r_deadline := v_proc.deadline; r_closed_at := v_proc.closed_at;
  r_close_reason := v_proc.close_reason; r_result := v_proc.result;

  select x.voter, x.voter_name, x.cast_by_name into v_ballot from (
      select v.aad_object_id voter, v.name voter_name, v.name cast_by_name, 0 ord
        from procedure_voters v where v.procedure_id = p_procedure and lower(v.aad_object_id) = lower(p_actor)
      union all
      select s.member_aad_object_id, vt.name, s.substitute_name, 1
        from procedure_substitutes s
        join procedure_voters vt on vt.procedure_id = s.procedure_id and vt.aad_object_id = s.member_aad_object_id
       where s.procedure_id = p_procedure and lower(s.substitute_aad_object_id) = lower(p_actor)) x
   where p_on_behalf_of is null or lower(x.voter) = lower(p_on_behalf_of)
   order by x.ord, x.voter limit 1;
  if not found then
    return next;
    return;
  end if;
  r_voter := v_ballot.voter;
  r_voter_name := v_ballot.voter_name;

  if v_proc.status = 'open' and v_proc.deadline > p_now then
    if p_invoke is null then
      r_fresh := true;
    else
      insert into procedure_invokes (invoke_id, procedure_id, actor, at) values (p_invoke, p_procedure, p_actor, p_now)
        on conflict do nothing;
      r_fresh := found;
    end if;
    if r_fresh then
      select pv.choice, pv.comment into v_cur from procedure_votes pv
       where pv.procedure_id = p_procedure and pv.item_number = p_item and pv.voter = v_ballot.voter for update;
      r_found := found;
      if r_found then
        r_prev := v_cur.choice;
        if v_cur.choice is distinct from p_choice or (p_comment is not null and p_comment is distinct from v_cur.comment) then
          update procedure_votes pv set choice = p_choice, comment = coalesce(p_comment, v_cur.comment), cast_by = p_actor, updated_at = p_now
           where pv.procedure_id = p_procedure and pv.item_number = p_item and pv.voter = v_ballot.voter;
          insert into procedure_vote_events (procedure_id, item_number, voter, voter_name, cast_by, cast_by_name, from_choice, to_choice, comment, at, invoke_id)
          values (p_procedure, p_item, v_ballot.voter, v_ballot.voter_name, p_actor, coalesce(v_ballot.cast_by_name, p_actor_name, p_actor),
                  v_cur.choice, p_choice, p_comment, p_now, p_invoke);
          r_changed := true;
          if p_want_refresh then
            select j.run_at into r_pending_at from procedure_jobs j
             where j.procedure_id = p_procedure and j.kind = 'refresh' and j.done_at is null limit 1;
            if r_pending_at is null then
              insert into procedure_jobs (procedure_id, kind, run_at) values (p_procedure, 'refresh', p_refresh_at)
                on conflict do nothing returning run_at into r_job_at;
            end if;
          end if;
        end if;
      end if;
    end if;
  end if;

  select json_agg(json_build_array(b.item_number, b.choice, b.comment) order by b.item_number) into r_ballot
    from procedure_votes b where b.procedure_id = p_procedure and b.voter = v_ballot.voter;
  select s.substitute_aad_object_id, s.substitute_name into r_substitute_id, r_substitute_name
    from procedure_substitutes s where s.procedure_id = p_procedure and s.member_aad_object_id = v_ballot.voter;
  return next;
end;
$$;
