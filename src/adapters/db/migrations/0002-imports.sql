-- Imports: what each import did, and which import made each change of a record.
alter table imports add column mapping text;
alter table imports add column added int not null default 0;
alter table imports add column changed int not null default 0;
alter table imports add column unchanged int not null default 0;
alter table imports add column skipped int not null default 0;
create index imports_by_org on imports (org_id, started_at);

alter table rep_history add column import_id text;
alter table deal_history add column import_id text;
alter table activity_history add column import_id text;
alter table quota_history add column import_id text;
create index activity_history_by_activity on activity_history (org_id, activity_id, changed_at);
create index quota_history_by_quota on quota_history (org_id, rep_id, period, metric, changed_at);

-- Open plan assignments are looked up per rep on every reps import.
create index plan_assignments_open on plan_assignments (org_id, rep_id) where valid_to is null;
