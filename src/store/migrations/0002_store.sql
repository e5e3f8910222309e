-- Store additions on top of 0001: where a meeting came from, calendar UIDs, forum relations, document details.

-- How the meeting row came to be: a parsed document, `meetings add`, an .ics (årshjul) event,
-- or a "Næste møde" statement in stored minutes. A document later completes any of them.
alter table meetings add column origin text not null default 'document'
  check (origin in ('document', 'planned', 'ics', 'next_meeting'));
-- The UID of the .ics event that planned the meeting: a re-imported årshjul moves the meeting instead of adding one.
alter table meetings add column external_uid text;
create unique index meetings_forum_uid on meetings (forum_id, external_uid) where external_uid is not null;
create index meetings_date on meetings (meeting_date);

-- A committee that prepares other forums' meetings (FU, forretningsudvalg) lists them here.
alter table forums add column prepares text[] not null default '{}';
-- Longer spellings the documents use ("Socialdirektørforum Syddanmark"); short_names keeps the abbreviations (SDF).
alter table forums add column aliases text[] not null default '{}';

alter table documents add column byte_size int;
-- planned | agenda | minutes as parsed from this document (a meeting may have an agenda and a minutes document).
alter table documents add column doc_status text;
