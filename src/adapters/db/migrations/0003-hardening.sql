-- Hardening of the system of record: one rep on two plans, append-only history, approvals tied to
-- the close they approve, and the plan versions each close used.

-- A close stores one result per plan and rep: a rep on two plans of the period kind has two.
alter table results drop constraint results_pkey;
alter table results add primary key (org_id, close_id, plan_id, rep_id);
create index results_by_rep on results (org_id, rep_id, period);

-- The version of each plan a close computed with ({"plan-id": 2}); read back when late data makes a
-- later close recompute the period (never with a newer version).
alter table close_runs add column plan_versions jsonb;

-- An approval approves one close, at one ledger head: after a reopen and a new close the period is
-- unapproved again. Approvals written before this migration are tied to the close they followed.
alter table payout_approvals add column close_id text;
alter table payout_approvals add column ledger_seq bigint;
alter table payout_approvals add column ledger_head text;
update payout_approvals a
   set close_id = (select c.id from close_runs c
                    where c.org_id = a.org_id and c.period = a.period and not c.dry_run and c.status = 'done'
                      and c.started_at <= a.approved_at
                    order by c.started_at desc limit 1);
create index payout_approvals_by_close on payout_approvals (org_id, close_id);

-- History, heads, approvals and the audit log are written once and never changed or removed: the
-- same refusal as ledger_entries, for every role (the owner included, unless it drops the trigger).
create function followthrough_append_only() returns trigger language plpgsql as $$
begin
  raise exception '% is append-only: % is not allowed', tg_table_name, tg_op;
end;
$$;
create trigger ledger_heads_append_only before update or delete on ledger_heads
  for each row execute function followthrough_append_only();
create trigger audit_log_append_only before update or delete on audit_log
  for each row execute function followthrough_append_only();
create trigger rep_history_append_only before update or delete on rep_history
  for each row execute function followthrough_append_only();
create trigger deal_history_append_only before update or delete on deal_history
  for each row execute function followthrough_append_only();
create trigger activity_history_append_only before update or delete on activity_history
  for each row execute function followthrough_append_only();
create trigger quota_history_append_only before update or delete on quota_history
  for each row execute function followthrough_append_only();
create trigger payout_approvals_append_only before update or delete on payout_approvals
  for each row execute function followthrough_append_only();
revoke update, delete, truncate on ledger_heads, audit_log, rep_history, deal_history, activity_history,
  quota_history, payout_approvals from public;
