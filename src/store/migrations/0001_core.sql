-- Core model: forums, meetings, attendees, items, documents, audit log.
-- One schema for PGlite and PostgreSQL. Danish full-text search on items, trigram indexes for typos and compounds.

create table forums (
  id          text primary key,                 -- slug, e.g. 'socialdirektoerforum'
  name        text not null unique,             -- as the documents write it
  short_names text[] not null default '{}',     -- e.g. {SDF}; matched case-insensitively
  region      text,
  created_at  timestamptz not null default now()
);

create table meetings (
  id            text primary key,               -- readable: <forum short>-<yyyy-mm-dd>[-n]
  forum_id      text not null references forums(id),
  title         text,
  kind          text not null check (kind in ('meeting', 'written_procedure')),
  status        text not null check (status in ('planned', 'agenda', 'minutes')),
  start_at      timestamptz,                    -- for ordering and filtering
  end_at        timestamptz,
  start_local   text,                           -- as in the Meeting JSON: 2014-10-03T09:00:00+02:00 (or a date)
  end_local     text,
  meeting_date  date,                           -- local calendar date of the start
  location      text,
  next_meeting  date,
  source_file   text,
  source_sha256 text,
  data          jsonb not null,                 -- the whole Meeting as parsed (participants, items, …)
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now()
);
create index meetings_forum_date on meetings (forum_id, meeting_date);
create index meetings_start on meetings (start_at);

create table attendees (
  meeting_id   text not null references meetings(id) on delete cascade,
  position     int not null,
  name         text not null,
  organisation text,
  role         text not null check (role in ('participant', 'absent', 'chair', 'minutes_taker')),
  primary key (meeting_id, role, position)
);
create index attendees_name_trgm on attendees using gin (name gin_trgm_ops);

create table items (
  meeting_id     text not null references meetings(id) on delete cascade,
  position       int not null,                  -- order in the document
  number         int not null,
  title          text not null,
  background     text,
  recommendation text,
  decision       text,
  outcome        text check (outcome in ('approved', 'not_approved', 'noted', 'discussed', 'postponed', 'other')),
  attachments    text[] not null default '{}',
  search         tsvector generated always as (
                   setweight(to_tsvector('danish', coalesce(title, '')), 'A') ||
                   setweight(to_tsvector('danish', coalesce(decision, '')), 'B') ||
                   setweight(to_tsvector('danish', coalesce(recommendation, '')), 'C') ||
                   setweight(to_tsvector('danish', coalesce(background, '')), 'D')
                 ) stored,
  primary key (meeting_id, position)
);
create index items_search on items using gin (search);
create index items_title_trgm on items using gin (title gin_trgm_ops);

create table documents (
  sha256      text primary key,
  file_name   text not null,
  format      text not null,
  raw_text    text not null,
  meeting_id  text references meetings(id) on delete set null,
  imported_at timestamptz not null default now()
);
create index documents_meeting on documents (meeting_id);

-- Who did what, for everything that changes state (imports, links, procedures, broadcasts).
create table audit_log (
  id         bigserial primary key,
  at         timestamptz not null default now(),
  actor      text,                              -- Entra object id, 'cli' or 'system'
  action     text not null,
  subject    text,
  details    jsonb not null default '{}'
);
create index audit_log_subject on audit_log (subject, at);
