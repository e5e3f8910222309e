-- Written procedures (skriftlig procedure): rosters, procedures, items, voters, substitutes,
-- votes as an append-only event history plus a current view, and due jobs (close, reminders, card refresh).
-- Owned by src/procedures/.

-- A forum's members. aad_object_id is the Entra object id the authenticated activity carries.
create table roster_members (
  forum_id        text not null references forums(id),
  aad_object_id   text not null,
  name            text not null,
  organisation    text,
  role            text not null check (role in ('member', 'substitute', 'secretariat')),
  votes           boolean not null default true,     -- takes part in written procedures
  teams_user_id   text,                              -- 29:… (MRI), learned from activities or member sync; used in refresh.userIds
  created_at      timestamptz not null default now(),
  updated_at      timestamptz not null default now(),
  primary key (forum_id, aad_object_id)
);
create index roster_members_aad on roster_members (aad_object_id);

create table procedures (
  id                 text primary key,                -- wp-<base36 time>-<random>
  forum_id           text not null references forums(id),
  meeting_id         text references meetings(id) on delete set null,
  title              text not null,
  deadline           timestamptz not null,
  rule               text not null check (rule in ('majority', 'unanimity', 'tacit')),
  quorum             double precision not null default 0 check (quorum >= 0 and quorum <= 1),
  status             text not null default 'open' check (status in ('open', 'closed', 'cancelled')),
  created_by         text not null,
  created_at         timestamptz not null default now(),
  closed_at          timestamptz,
  closed_by          text,
  close_reason       text,                            -- deadline | early | cancelled
  result             jsonb,                           -- the tally at close
  -- the shared channel card (through the broadcasts outbox); null until posted
  card_broadcast_id  text,
  card_conversation_id text,
  card_activity_id   text
);
create index procedures_forum on procedures (forum_id, status);

create table procedure_items (
  procedure_id   text not null references procedures(id) on delete cascade,
  number         int not null,
  title          text not null,
  recommendation text,
  attachments    text[] not null default '{}',
  meeting_item_position int,                          -- the items row this proposal belongs to
  primary key (procedure_id, number)
);

-- Who may vote: a snapshot taken when the procedure opens.
create table procedure_voters (
  procedure_id   text not null references procedures(id) on delete cascade,
  aad_object_id  text not null,
  name           text not null,
  organisation   text,
  primary key (procedure_id, aad_object_id)
);

-- A member's substitute (stedfortræder) for one procedure.
create table procedure_substitutes (
  procedure_id              text not null references procedures(id) on delete cascade,
  member_aad_object_id      text not null,
  substitute_aad_object_id  text not null,
  substitute_name           text not null,
  named_by                  text not null,
  named_at                  timestamptz not null default now(),
  primary key (procedure_id, member_aad_object_id),
  unique (procedure_id, substitute_aad_object_id),
  foreign key (procedure_id, member_aad_object_id) references procedure_voters (procedure_id, aad_object_id)
);

-- Current view: exactly one row per (procedure, item, voter), created at open with choice null.
create table procedure_votes (
  procedure_id   text not null,
  item_number    int not null,
  voter          text not null,                      -- aad object id of the voter (on whose behalf)
  choice         text check (choice in ('for', 'against', 'abstain', 'meeting')),
  comment        text,
  cast_by        text,                               -- who pressed the button (voter or substitute)
  updated_at     timestamptz,
  primary key (procedure_id, item_number, voter),
  foreign key (procedure_id, item_number) references procedure_items (procedure_id, number) on delete cascade,
  foreign key (procedure_id, voter) references procedure_voters (procedure_id, aad_object_id) on delete cascade
);

-- Append-only history: every change of a current choice.
create table procedure_vote_events (
  id              bigserial primary key,
  procedure_id    text not null references procedures(id) on delete cascade,
  item_number     int not null,
  voter           text not null,                     -- on whose behalf
  voter_name      text not null,
  cast_by         text not null,                     -- who pressed (the substitute when one voted)
  cast_by_name    text not null,
  from_choice     text,
  to_choice       text not null,
  comment         text,
  at              timestamptz not null,
  invoke_id       text
);
create index procedure_vote_events_proc on procedure_vote_events (procedure_id, id);

-- Invokes already handled: Teams retries, the same invoke counts once.
create table procedure_invokes (
  invoke_id     text primary key,
  procedure_id  text not null references procedures(id) on delete cascade,
  actor         text not null,
  at            timestamptz not null default now()
);

-- Timed work in the database: close at the deadline, reminders, coalesced shared-card refresh.
-- A job is claimed with a lease (locked_until) under FOR UPDATE SKIP LOCKED; the effects are idempotent.
create table procedure_jobs (
  id            bigserial primary key,
  procedure_id  text not null references procedures(id) on delete cascade,
  kind          text not null check (kind in ('close', 'remind', 'refresh')),
  run_at        timestamptz not null,
  locked_until  timestamptz,
  attempts      int not null default 0,
  done_at       timestamptz,
  outcome       text,
  last_error    text
);
create index procedure_jobs_due on procedure_jobs (run_at) where done_at is null;
create unique index procedure_jobs_pending_once on procedure_jobs (procedure_id, kind, run_at) where done_at is null;
create unique index procedure_jobs_one_refresh on procedure_jobs (procedure_id) where kind = 'refresh' and done_at is null;
