-- What a close carries into the next close of the same period kind (docs/close.md, ADR 0009):
-- per plan, the engine's state at the end of the closed period (balances, streaks, boosts, open
-- coaching, what clawbacks of earlier deals need), and per close (plan_id '') what the closed
-- periods owed per rep and a fingerprint of the data they were computed from. Written in the
-- close's transaction; append-only like the ledger: a reopen makes a close's state unusable by the
-- status of its close (no longer the latest 'done' close of its period), never deletes it.
create table close_states (
  org_id text not null,
  close_id text not null,
  plan_id text not null,
  plan_version int not null,
  state jsonb not null,
  primary key (org_id, close_id, plan_id)
);

create trigger close_states_append_only before update or delete on close_states
  for each row execute function followthrough_append_only();
select followthrough_protect('close_states', true);
