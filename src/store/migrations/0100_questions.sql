-- Questions (0100-0199): a lexicon of the words in the stored items, used to correct and expand question words
-- (missing æøå, typos, compounds) before full-text search. Rebuilt lazily by the questions module when items change.

-- The fold that lets "naeste", "naste" and "næste" meet; must equal skel() in src/questions/text.ts.
create or replace function q_skel(w text) returns text language sql immutable parallel safe as $$
  select translate(replace(replace(replace(lower(w), 'aa', 'a'), 'ae', 'a'), 'oe', 'o'), 'æåäøöüé', 'aaaooue')
$$;

create table q_lexicon (
  word text primary key,        -- lower-case surface form as it occurs in items
  skel text not null,           -- q_skel(word)
  df   int  not null            -- number of items containing the word
);
create index q_lexicon_skel on q_lexicon (skel);
create index q_lexicon_skel_trgm on q_lexicon using gin (skel gin_trgm_ops);

-- One row: whether items changed since the lexicon was built.
create table q_state (
  id       int primary key default 1 check (id = 1),
  dirty    boolean not null default true,
  items    int not null default 0,
  built_at timestamptz
);
insert into q_state (id, dirty) values (1, true);

create or replace function q_mark_dirty() returns trigger language plpgsql as $$
begin
  update q_state set dirty = true where id = 1 and not dirty;
  return null;
end
$$;

create trigger items_q_dirty after insert or update or delete on items
  for each statement execute function q_mark_dirty();
create trigger items_q_dirty_truncate after truncate on items
  for each statement execute function q_mark_dirty();
