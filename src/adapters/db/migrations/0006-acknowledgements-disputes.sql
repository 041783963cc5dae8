-- Acknowledged plans and disputed statement lines. See docs/acknowledgements-and-disputes.md.

-- A rep's acknowledgement of one published plan version: the name as typed, when, and the hash of
-- the version's source (the hash printed on the plan document). One per rep and version;
-- append-only: never updated, never deleted.
create table plan_acknowledgements (
  org_id text not null,
  rep_id text not null,
  plan_id text not null,
  plan_version int not null,
  plan_hash text not null,
  typed_name text not null,
  acknowledged_at timestamptz not null,
  recorded_by text not null,
  primary key (org_id, rep_id, plan_id, plan_version),
  foreign key (org_id, plan_id, plan_version) references plan_versions (org_id, plan_id, version)
);

create function plan_acknowledgements_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'plan acknowledgements are append-only: % is not allowed', tg_op;
end;
$$;
create trigger plan_acknowledgements_append_only before update or delete on plan_acknowledgements
  for each row execute function plan_acknowledgements_append_only();
revoke update, delete, truncate on plan_acknowledgements from public;

-- A rep's dispute of one statement line, the line named by its ledger entry (seq: stable, never
-- renumbered). `state` moves once, open → accepted | rejected; the history is dispute_events.
create table disputes (
  org_id text not null,
  id bigint not null,
  rep_id text not null,
  period text not null,
  ledger_seq bigint not null,
  -- The disputed entry as it was: kind, rule, deal, amount_minor (text).
  line jsonb not null,
  message text not null,
  opened_at timestamptz not null,
  opened_by text not null,
  state text not null default 'open' check (state in ('open', 'accepted', 'rejected')),
  resolved_at timestamptz,
  resolved_by text,
  reason text,
  adjustment_minor bigint,
  adjustment_period text,
  adjustment_seq bigint,
  primary key (org_id, id),
  foreign key (org_id, ledger_seq) references ledger_entries (org_id, seq)
);
create index disputes_by_rep on disputes (org_id, rep_id, state);

-- Every change of a dispute, in order: opened, accepted, rejected; append-only.
create table dispute_events (
  org_id text not null,
  dispute_id bigint not null,
  seq int not null,
  at timestamptz not null,
  actor text not null,
  action text not null check (action in ('open', 'accept', 'reject')),
  detail jsonb not null,
  primary key (org_id, dispute_id, seq),
  foreign key (org_id, dispute_id) references disputes (org_id, id)
);

create function dispute_events_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'dispute events are append-only: % is not allowed', tg_op;
end;
$$;
create trigger dispute_events_append_only before update or delete on dispute_events
  for each row execute function dispute_events_append_only();
revoke update, delete, truncate on dispute_events from public;

-- Row-level security: 0008 protects every table with org_id when it runs after this migration; on
-- a database where 0008 ran first, protect these tables here (the two logs append-only).
do $$
begin
  if to_regproc('followthrough_protect') is not null then
    perform followthrough_protect('plan_acknowledgements', true);
    perform followthrough_protect('disputes');
    perform followthrough_protect('dispute_events', true);
  end if;
end
$$;
