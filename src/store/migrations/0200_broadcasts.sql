-- Broadcasts: conversation references, channel↔forum links, broadcasts, the delivery outbox,
-- meeting reminders, calendar (.ics) tokens and worker heartbeats.

create table conversations (
  id            text primary key,                 -- Teams conversation id (channel id for channels)
  type          text not null check (type in ('personal', 'groupChat', 'channel')),
  tenant_id     text,
  team_id       text,
  channel_id    text,
  aad_object_id text,                             -- personal chats: the user's Entra object id
  name          text,
  reference     jsonb not null,                   -- botbuilder ConversationReference
  status        text not null default 'active' check (status in ('active', 'removed', 'blocked')),
  status_reason text,
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now()
);
create index conversations_personal on conversations (lower(aad_object_id)) where type = 'personal';
create index conversations_team on conversations (team_id);

create table forum_links (
  conversation_id text not null references conversations(id) on delete cascade,
  forum_id        text not null references forums(id) on delete cascade,
  linked_by       text,
  linked_at       timestamptz not null default now(),
  primary key (conversation_id, forum_id)
);
create index forum_links_forum on forum_links (forum_id);

create table broadcasts (
  id          text primary key,                   -- b_<random>
  key         text not null unique,               -- idempotency key, e.g. minutes:<meetingId>
  kind        text not null,
  meeting_id  text,
  message     jsonb not null,                     -- OutboundMessage
  message_sha text not null,
  version     int not null default 1,
  created_by  text,
  created_at  timestamptz not null default now(),
  updated_at  timestamptz not null default now()
);
create index broadcasts_meeting on broadcasts (meeting_id);

create table deliveries (
  id                bigserial primary key,
  broadcast_id      text not null references broadcasts(id) on delete cascade,
  conversation_id   text not null references conversations(id),
  message           jsonb,                        -- per-target message (null: the broadcast's)
  message_sha       text,
  status            text not null default 'pending' check (status in ('pending', 'sending', 'sent', 'failed')),
  version           int not null default 1,         -- version of the content this row must deliver
  delivered_version int,                           -- version last delivered (sent or updated)
  attempts          int not null default 0,
  next_attempt_at   timestamptz not null default now(),
  lease_owner       text,
  lease_until       timestamptz,
  activity_id       text,                          -- the posted message (root of the new thread for channels)
  thread_id         text,                          -- conversation id of the thread a channel post started
  last_error        text,
  last_status       int,
  sent_at           timestamptz,
  created_at        timestamptz not null default now(),
  updated_at        timestamptz not null default now(),
  unique (broadcast_id, conversation_id)
);
create index deliveries_due on deliveries (next_attempt_at) where status in ('pending', 'sending');
create index deliveries_conversation on deliveries (conversation_id, status);

-- Meeting reminders: one row per meeting and offset, fired once by whichever instance claims it.
create table meeting_reminders (
  meeting_id  text not null references meetings(id) on delete cascade,
  offset_ms   bigint not null,
  due_at      timestamptz not null,
  status      text not null default 'pending' check (status in ('pending', 'done', 'cancelled')),
  broadcast_id text,
  fired_at    timestamptz,
  primary key (meeting_id, offset_ms)
);
create index meeting_reminders_due on meeting_reminders (due_at) where status = 'pending';

-- Unguessable .ics download tokens, one per meeting.
create table calendar_tokens (
  token      text primary key,
  meeting_id text not null unique references meetings(id) on delete cascade,
  created_at timestamptz not null default now()
);

-- Delivery workers alive: the tenant rate is shared between them.
create table broadcast_workers (
  id        text primary key,
  seen_at   timestamptz not null default now()
);
