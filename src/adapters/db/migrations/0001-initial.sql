-- Followthrough's system of record. One SQL dialect for PGlite and PostgreSQL. Every table carries
-- the organization (org_id). Money is bigint minor units (or numeric for quotas, which may be
-- counts); never real or double precision.

-- An organization: the unit of isolation; its currency and time zone are the defaults of its plans.
create table organizations (
  id text primary key,
  name text not null,
  currency text not null default 'USD',
  timezone text not null default 'UTC',
  created_at timestamptz not null default now()
);

-- People who sign in, with their role; a rep's login points at the rep.
create table people (
  org_id text not null references organizations (id),
  id text not null,
  email text not null,
  name text not null default '',
  role text not null check (role in ('owner', 'admin', 'finance', 'manager', 'rep')),
  rep_id text,
  created_at timestamptz not null default now(),
  primary key (org_id, id),
  unique (org_id, email)
);

-- Reps as imported (reps.csv); `fields` holds every column as text, for CEL's rep.*.
create table reps (
  org_id text not null references organizations (id),
  id text not null,
  name text not null default '',
  email text not null default '',
  team text not null default '',
  manager text,
  plan text,
  hired_on date,
  left_on date,
  fields jsonb not null default '{}',
  updated_at timestamptz not null default now(),
  primary key (org_id, id)
);

create table teams (
  org_id text not null references organizations (id),
  name text not null,
  primary key (org_id, name)
);

-- Every change of an imported record: who, when, before and after (the manager tree's history too).
create table rep_history (
  org_id text not null, rep_id text not null, changed_at timestamptz not null, changed_by text not null,
  before jsonb, after jsonb
);
create index rep_history_by_rep on rep_history (org_id, rep_id, changed_at);

-- Plans and every published version, kept forever.
create table plans (
  org_id text not null references organizations (id),
  id text not null,
  name text not null default '',
  created_at timestamptz not null default now(),
  primary key (org_id, id)
);

create table plan_versions (
  org_id text not null,
  plan_id text not null,
  version int not null,
  hash text not null,
  source text not null,
  format text not null default 'yaml' check (format in ('yaml', 'json')),
  published_at timestamptz not null default now(),
  published_by text not null default '',
  effective_from date,
  effective_to date,
  primary key (org_id, plan_id, version),
  foreign key (org_id, plan_id) references plans (org_id, id)
);

-- Which plan a rep is on, from a date, until a date (open when null).
create table plan_assignments (
  org_id text not null,
  rep_id text not null,
  plan_id text not null,
  valid_from date not null,
  valid_to date,
  created_at timestamptz not null default now(),
  created_by text not null default '',
  primary key (org_id, rep_id, valid_from)
);

-- Quota overrides (quotas.csv): the goal for (rep, period, metric), used as is.
create table quotas (
  org_id text not null,
  rep_id text not null,
  period text not null,
  metric text not null,
  amount numeric not null,
  updated_at timestamptz not null default now(),
  primary key (org_id, rep_id, period, metric)
);
create table quota_history (
  org_id text not null, rep_id text not null, period text not null, metric text not null,
  changed_at timestamptz not null, changed_by text not null, before jsonb, after jsonb
);

-- Deals as written (dates keep their text: a date or a date-time with its offset); credits apart.
create table deals (
  org_id text not null references organizations (id),
  id text not null,
  closed_on text not null,
  amount_minor bigint not null default 0,
  mrr_minor bigint not null default 0,
  type text not null default '',
  customer text not null default '',
  term_months int,
  cancelled_on text,
  fields jsonb not null default '{}',
  updated_at timestamptz not null default now(),
  primary key (org_id, id)
);
create index deals_by_closed_on on deals (org_id, closed_on);

-- A rep's share of a deal in millionths (1,000,000 = 100%).
create table deal_credits (
  org_id text not null,
  deal_id text not null,
  rep_id text not null,
  share_micro int not null check (share_micro > 0 and share_micro <= 1000000),
  primary key (org_id, deal_id, rep_id)
);
create index deal_credits_by_rep on deal_credits (org_id, rep_id);

create table deal_history (
  org_id text not null, deal_id text not null, changed_at timestamptz not null, changed_by text not null,
  before jsonb, after jsonb
);
create index deal_history_by_deal on deal_history (org_id, deal_id, changed_at);

create table activities (
  org_id text not null references organizations (id),
  id text not null,
  rep_id text not null,
  kind text not null,
  occurred_on text not null,
  fields jsonb not null default '{}',
  updated_at timestamptz not null default now(),
  primary key (org_id, id)
);
create index activities_by_rep on activities (org_id, rep_id);
create table activity_history (
  org_id text not null, activity_id text not null, changed_at timestamptz not null, changed_by text not null,
  before jsonb, after jsonb
);

-- Periods: open until closed; a closed period is locked.
create table periods (
  org_id text not null,
  kind text not null check (kind in ('month', 'quarter', 'year')),
  key text not null,
  status text not null check (status in ('open', 'closed')),
  closed_at timestamptz,
  closed_by text,
  primary key (org_id, key)
);

-- Each close, dry run and reopen; a dry run keeps its result to show what changed next time.
create table close_runs (
  org_id text not null,
  id text not null,
  period text not null,
  started_at timestamptz not null,
  finished_at timestamptz,
  status text not null,
  dry_run boolean not null default false,
  snapshot jsonb,
  primary key (org_id, id)
);
create index close_runs_by_period on close_runs (org_id, period, started_at);

-- What a close computed per rep: the calc JSON entry of the rep, its payout and balance.
create table results (
  org_id text not null,
  close_id text not null,
  plan_id text not null,
  plan_version int not null,
  period text not null,
  rep_id text not null,
  computed boolean not null,
  result jsonb not null,
  payout_minor bigint not null,
  balance_minor bigint not null,
  primary key (org_id, close_id, rep_id)
);

-- Every rule that fired: the stated incentive or consequence, to be followed through.
create table outcomes (
  org_id text not null,
  id text not null,
  close_id text not null,
  period text not null,
  rep_id text not null,
  rule text not null,
  effects jsonb not null,
  state text not null default 'due',
  due_on date,
  owner text,
  primary key (org_id, id)
);

-- The append-only ledger: each entry carries the previous entry's hash.
create table ledger_entries (
  org_id text not null,
  seq bigint not null,
  created_at timestamptz not null,
  period text not null,
  rep_id text not null,
  kind text not null,
  rule text,
  deal text,
  amount_minor bigint not null,
  forfeited_minor bigint not null default 0,
  capped_minor bigint not null default 0,
  close_id text not null,
  ref jsonb,
  prev_hash text not null,
  hash text not null,
  primary key (org_id, seq)
);
create index ledger_by_period on ledger_entries (org_id, period, rep_id);

create function ledger_entries_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'ledger entries are append-only: % is not allowed', tg_op;
end;
$$;
create trigger ledger_entries_append_only before update or delete on ledger_entries
  for each row execute function ledger_entries_append_only();
revoke update, delete, truncate on ledger_entries from public;

-- The chain's head at every close, to detect the removal of the newest entries.
create table ledger_heads (
  org_id text not null,
  close_id text not null,
  seq bigint not null,
  hash text not null,
  created_at timestamptz not null,
  primary key (org_id, close_id)
);

create table payout_approvals (
  org_id text not null,
  period text not null,
  approved_by text not null,
  approved_at timestamptz not null,
  primary key (org_id, period, approved_at)
);

create table audit_log (
  org_id text not null,
  id bigserial primary key,
  at timestamptz not null default now(),
  actor text not null,
  action text not null,
  subject text not null default '',
  before jsonb,
  after jsonb
);
create index audit_by_org on audit_log (org_id, at);

create table imports (
  org_id text not null,
  id text not null,
  kind text not null,
  file_name text not null,
  file_hash text not null,
  rows int not null default 0,
  started_at timestamptz not null,
  finished_at timestamptz,
  status text not null,
  created_by text not null default '',
  primary key (org_id, id)
);
