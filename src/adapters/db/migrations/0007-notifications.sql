-- Notifications: in-app messages to a person or a rep, and the outbox of email. See
-- docs/notifications.md. Both are keyed by a dedupe key unique per organization (kind, the ids of
-- what it is about, the period or week, the recipient), so that a job run twice notifies once.

-- An in-app notification. The recipient is a person who signs in, or a rep (a rep without a login
-- still has one, shown once a login is bound to the rep).
create table notifications (
  org_id text not null references organizations (id),
  id text not null,
  person_id text,
  rep_id text,
  kind text not null,
  subject text not null,
  body text not null,
  data jsonb not null default '{}',
  dedupe_key text not null,
  created_at timestamptz not null,
  read_at timestamptz,
  primary key (org_id, id),
  unique (org_id, dedupe_key),
  check (person_id is not null or rep_id is not null)
);
create index notifications_by_person on notifications (org_id, person_id, created_at);
create index notifications_by_rep on notifications (org_id, rep_id, created_at);

-- Every email: queued in the same transaction as its notifications, then sent through SMTP
-- ('sent'), or kept here when no SMTP server is configured ('outboxed'). A failed attempt is
-- 'failed' with its error and when to try again; 'sending' is a claimed message (a sender that
-- died while sending leaves it claimed until claimed_at is old enough to take over).
create table outbox (
  org_id text not null references organizations (id),
  id text not null,
  dedupe_key text not null,
  kind text not null,
  recipient text not null,
  subject text not null,
  text_body text not null,
  html_body text,
  status text not null check (status in ('queued', 'sending', 'sent', 'failed', 'outboxed')),
  attempts int not null default 0,
  last_error text,
  next_attempt_at timestamptz,
  claimed_at timestamptz,
  message_id text,
  created_at timestamptz not null,
  sent_at timestamptz,
  primary key (org_id, id),
  unique (org_id, dedupe_key)
);
create index outbox_pending on outbox (org_id, status, next_attempt_at);

-- Row-level security: migration 0008 protects every table with org_id. On a database where 0008
-- was applied before this one, protect these two here.
do $$
begin
  if to_regproc('followthrough_protect') is not null then
    perform followthrough_protect('notifications'::regclass);
    perform followthrough_protect('outbox'::regclass);
  end if;
end
$$;
