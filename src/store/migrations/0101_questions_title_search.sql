-- Questions: full-text index on item titles alone. When a question's words match more items than the search ranks
-- (common words in a large archive), the items whose titles hold every word are looked up here first.
create index items_title_fts on items using gin (to_tsvector('danish', title));
