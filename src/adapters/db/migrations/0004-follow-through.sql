-- Follow-through: every stated incentive and consequence a close opens is an item with an owner,
-- a due date and a state, changed only through recorded events; coaching plans with their training
-- items and check-ins; organization settings (due days per effect). See docs/follow-through.md.

-- One outcome row per effect of a fired rule (before: one row per rule). `effects` keeps the
-- rule's whole effects as written; `effect` and `detail` name this item's effect and its value.
alter table outcomes add column effect text;
alter table outcomes add column detail jsonb;
alter table outcomes add column plan_id text;
alter table outcomes add column opened_at timestamptz;
alter table outcomes add column applied_at timestamptz;
alter table outcomes add column applied_by text;
alter table outcomes add column applied_note text;
alter table outcomes add column applied_detail jsonb;
alter table outcomes add column waive_requested_by text;
alter table outcomes add column waive_requested_at timestamptz;
alter table outcomes add column waive_reason text;
alter table outcomes add column waived_by text;
alter table outcomes add column waived_at timestamptz;
alter table outcomes add column overdue_at timestamptz;
alter table outcomes add column decision text;
alter table outcomes add column decision_reason text;
alter table outcomes add column decided_by text;
alter table outcomes add column decided_at timestamptz;
alter table outcomes add column voided_at timestamptz;
alter table outcomes add column void_reason text;

-- Rows written before this migration (one per rule) become one row per effect: ids `<old>:<effect>`.
insert into outcomes (org_id, id, close_id, period, rep_id, rule, effects, state, due_on, owner, effect, detail)
select o.org_id, o.id || ':' || e.key, o.close_id, o.period, o.rep_id, o.rule, o.effects,
       case when e.key in ('bonus', 'forfeit', 'boost') then 'applied' else 'due' end,
       o.due_on, o.owner, e.key, e.value
  from outcomes o cross join lateral jsonb_each(o.effects) e
 where o.effect is null;
update outcomes set applied_by = 'close' where effect in ('bonus', 'forfeit', 'boost') and applied_by is null;
delete from outcomes where effect is null;

-- effect and detail stay nullable only so that a close written before this migration keeps running
-- until it opens items through openOutcomes; every row written since has both.
alter table outcomes add constraint outcomes_effect check (
  effect in ('bonus', 'forfeit', 'boost', 'pto_days', 'raise', 'warning', 'coaching', 'termination_review'));
-- 'void': the close that opened the item was reopened and the rule no longer fires at the new close.
alter table outcomes add constraint outcomes_state check (state in ('due', 'applied', 'waived', 'overdue', 'void'));
alter table outcomes add constraint outcomes_decision check (decision in ('separate', 'retain'));
create index outcomes_by_state on outcomes (org_id, state, due_on);
create index outcomes_by_rep on outcomes (org_id, rep_id, period);
create index outcomes_by_owner on outcomes (org_id, owner, state);

-- Every change of an outcome, in order: who, what, the row's fields before and after.
create table outcome_events (
  org_id text not null,
  outcome_id text not null,
  seq int not null,
  at timestamptz not null,
  actor text not null,
  action text not null,
  before jsonb,
  after jsonb,
  primary key (org_id, outcome_id, seq)
);

create function outcome_events_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'outcome events are append-only: % is not allowed', tg_op;
end;
$$;
create trigger outcome_events_append_only before update or delete on outcome_events
  for each row execute function outcome_events_append_only();
revoke update, delete, truncate on outcome_events from public;

-- A coaching plan opened by a rule; decided (passed, failed, undecided) at the close of its last period.
create table coaching_plans (
  org_id text not null,
  id text not null,
  rep_id text not null,
  plan_id text not null,
  rule text not null,
  program text not null default '',
  opened_period text not null,
  periods int not null check (periods >= 1),
  last_period text not null,
  pass_condition text not null,
  state text not null default 'open' check (state in ('open', 'passed', 'failed', 'undecided', 'void')),
  decided_period text,
  decided_at timestamptz,
  close_id text not null,
  -- The `coaching` outcome that opened the plan, and the termination review a failure opened.
  outcome_id text not null,
  review_outcome_id text,
  opened_at timestamptz not null,
  primary key (org_id, id)
);
create index coaching_plans_by_rep on coaching_plans (org_id, rep_id, state);

-- Training items and check-ins the manager schedules; once done, an item is never changed again.
create table coaching_items (
  org_id text not null,
  id text not null,
  coaching_plan_id text not null,
  kind text not null check (kind in ('training', 'check_in')),
  title text not null,
  due_on date not null,
  scheduled_by text not null,
  scheduled_at timestamptz not null,
  done_at timestamptz,
  done_by text,
  notes text,
  primary key (org_id, id),
  foreign key (org_id, coaching_plan_id) references coaching_plans (org_id, id)
);

create function coaching_items_history() returns trigger language plpgsql as $$
begin
  if tg_op = 'DELETE' then
    raise exception 'coaching items are kept: DELETE is not allowed';
  end if;
  if old.done_at is not null then
    raise exception 'a coaching item that is done is not changed again';
  end if;
  if new.org_id is distinct from old.org_id or new.id is distinct from old.id
     or new.coaching_plan_id is distinct from old.coaching_plan_id or new.kind is distinct from old.kind
     or new.title is distinct from old.title or new.due_on is distinct from old.due_on
     or new.scheduled_by is distinct from old.scheduled_by or new.scheduled_at is distinct from old.scheduled_at
     or new.done_at is null then
    raise exception 'a coaching item only changes once, when it is done';
  end if;
  return new;
end;
$$;
create trigger coaching_items_history before update or delete on coaching_items
  for each row execute function coaching_items_history();

-- Organization settings by key, e.g. 'followthrough.due_days' = {"default": 7, "warning": 3}.
create table org_settings (
  org_id text not null,
  key text not null,
  value jsonb not null,
  updated_at timestamptz not null default now(),
  updated_by text not null default '',
  primary key (org_id, key)
);
