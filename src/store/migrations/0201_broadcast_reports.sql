-- Broadcasts (0200-0299): the delivery report is pushed to the secretariat when a broadcast completes.
--   started_by      Entra object id of the secretariat member who started the broadcast (null: the CLI or the system)
--   report_wanted   push the delivery report when every delivery is final (meeting broadcasts ask for it)
--   report_sent_at  set once, in the transaction that queues the report (kind 'report') in the outbox
alter table broadcasts add column started_by text;
alter table broadcasts add column report_wanted boolean not null default false;
alter table broadcasts add column report_sent_at timestamptz;
create index broadcasts_report_due on broadcasts (created_at) where report_wanted and report_sent_at is null;
