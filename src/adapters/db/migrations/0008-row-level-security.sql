-- Organizations kept apart by row-level security, webhooks in, and background jobs.
--
-- Requests and jobs run as the role followthrough_app (withOrgScope: `set local role
-- followthrough_app` and `app.org_id` set for the transaction). That role does not own the tables
-- and is not a superuser, so every table's policy applies to it: it sees and writes only rows of
-- the organization in `app.org_id`, and nothing at all when none is set. Migrations and the CLI run
-- as the owner, which must be a superuser or have BYPASSRLS (PGlite's user and `postgres` are).
--
-- LATER MIGRATIONS: every new table with org_id must call
--   select followthrough_protect('the_table');          -- or ('the_table', true) if append-only
-- in the same migration, or the app role cannot reach it at all (it fails closed).

-- The app's role. Roles are cluster-wide on PostgreSQL: it may exist already (another schema or
-- database of the same server), and two migrations may create it at the same moment.
do $$
begin
  if not exists (select 1 from pg_roles where rolname = 'followthrough_app') then
    begin
      create role followthrough_app nologin nosuperuser nobypassrls;
    exception when duplicate_object or unique_violation then
      null;
    end;
  end if;
  -- The owner switches to it with `set local role`, which needs membership.
  if not pg_has_role(current_user, 'followthrough_app', 'member') then
    execute format('grant followthrough_app to %I', current_user);
  end if;
  execute format('grant usage on schema %I to followthrough_app', current_schema());
end
$$;

-- Row-level security on one table with org_id, enabled and forced (the owner too is subject to
-- it unless it bypasses RLS), one policy for every role, and the grants of the app's role:
-- select and insert only on append-only tables, never truncate.
create function followthrough_protect(t regclass, append_only boolean default false)
returns void language plpgsql as $$
begin
  execute format('alter table %s enable row level security', t);
  execute format('alter table %s force row level security', t);
  execute format('drop policy if exists org_isolation on %s', t);
  execute format(
    'create policy org_isolation on %s using (org_id = current_setting(''app.org_id'', true))'
    ' with check (org_id = current_setting(''app.org_id'', true))', t);
  execute format('revoke all on %s from followthrough_app', t);
  if append_only then
    execute format('grant select, insert on %s to followthrough_app', t);
  else
    execute format('grant select, insert, update, delete on %s to followthrough_app', t);
  end if;
  execute format('grant usage, select on all sequences in schema %I to followthrough_app', current_schema());
end;
$$;

-- Webhooks in: one secret per organization (the previous one still accepted for a while after a
-- rotation), and every accepted delivery by its id (a delivery sent twice is stored once).
create table webhook_secrets (
  org_id text primary key references organizations (id),
  secret text not null,
  previous_secret text,
  previous_valid_until timestamptz,
  created_at timestamptz not null,
  rotated_at timestamptz
);

create table webhook_deliveries (
  org_id text not null,
  id text not null,
  kind text not null check (kind in ('deals', 'activities')),
  received_at timestamptz not null,
  status text not null,
  body_sha256 text not null,
  import_id text,
  result jsonb,
  primary key (org_id, id)
);

-- Background jobs: the state a client polls, whichever queue carries them (pg-boss on PostgreSQL,
-- the in-process queue on PGlite, which also reads its work from here so a restart loses none).
create table jobs (
  org_id text not null,
  id text not null,
  kind text not null,
  payload jsonb not null default '{}',
  -- Enqueueing the same (kind, key) twice gives the same job: its effect happens once.
  idempotency_key text not null,
  state text not null check (state in ('queued', 'running', 'retrying', 'done', 'failed')),
  progress jsonb,
  result jsonb,
  error jsonb,
  attempts int not null default 0,
  max_attempts int not null default 5,
  run_after timestamptz not null,
  lease_until timestamptz,
  dispatched_at timestamptz,
  created_by text not null default '',
  created_at timestamptz not null,
  started_at timestamptz,
  finished_at timestamptz,
  primary key (org_id, id),
  unique (org_id, kind, idempotency_key)
);
create index jobs_due on jobs (run_after) where state in ('queued', 'retrying');

-- Every table with org_id now (those of earlier migrations included), read from the catalog so
-- that none is missed.
do $$
declare
  t record;
begin
  for t in
    select c.table_name
      from information_schema.columns c
      join information_schema.tables tb
        on tb.table_schema = c.table_schema and tb.table_name = c.table_name
     where c.table_schema = current_schema() and c.column_name = 'org_id' and tb.table_type = 'BASE TABLE'
     order by c.table_name
  loop
    perform followthrough_protect(
      format('%I', t.table_name)::regclass,
      t.table_name in (
        'ledger_entries', 'ledger_heads', 'audit_log', 'rep_history', 'deal_history',
        'activity_history', 'quota_history', 'plan_versions', 'payout_approvals', 'outcome_events',
        'plan_acknowledgements', 'dispute_events', 'webhook_deliveries'
      )
      -- and any table an earlier migration made append-only with a trigger
      or exists (
        select 1 from pg_trigger g
         where g.tgrelid = format('%I', t.table_name)::regclass and g.tgname like '%append_only'
      )
    );
  end loop;
end
$$;

-- Organizations: keyed by id; the app's role sees only its own and may change its settings.
alter table organizations enable row level security;
alter table organizations force row level security;
create policy org_isolation on organizations
  using (id = current_setting('app.org_id', true)) with check (id = current_setting('app.org_id', true));
grant select, update on organizations to followthrough_app;
