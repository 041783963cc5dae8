-- Imports: what each import did, and which import made each change of a record.
alter table imports add column if not exists mapping text;
alter table imports add column if not exists added int not null default 0;
alter table imports add column if not exists changed int not null default 0;
alter table imports add column if not exists unchanged int not null default 0;
alter table imports add column if not exists skipped int not null default 0;
create index if not exists imports_by_org on imports (org_id, started_at);

alter table rep_history add column if not exists import_id text;
alter table deal_history add column if not exists import_id text;
alter table activity_history add column if not exists import_id text;
alter table quota_history add column if not exists import_id text;
create index if not exists activity_history_by_activity on activity_history (org_id, activity_id, changed_at);
create index if not exists quota_history_by_quota on quota_history (org_id, rep_id, period, metric, changed_at);

-- Open plan assignments are looked up per rep on every reps import.
create index if not exists plan_assignments_open on plan_assignments (org_id, rep_id) where valid_to is null;
