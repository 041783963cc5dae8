import { randomUUID } from 'node:crypto'
import { formatLocalDate, parseLocalDate } from '../../core/calendar/civil.ts'
import { parsePeriodKey, periodKey } from '../../core/calendar/period.ts'
import type { EffectsJson, RepJson } from '../../core/engine/result-json.ts'
import type { Queryable } from '../ports/sql.ts'
import { type CoachingDecision, decideCoaching } from './coaching-decisions.ts'
import { loadDueDays } from './due-days.ts'
import {
  type Effect,
  EFFECTS,
  insertRows,
  MONEY_EFFECTS,
  OUTCOME_COLUMNS,
  type Outcome,
  type OutcomeChange,
  recordChanges,
  rowToOutcome,
} from './outcome-record.ts'

export interface OpenOutcomesArgs {
  readonly orgId: string
  readonly closeId: string
  readonly period: string
  /** The period's last day, 'YYYY-MM-DD': due dates count from it. */
  readonly periodEnd: string
  /** Every rep entry of the closed period, with the plan it belongs to. */
  readonly repResults: readonly { readonly planId: string; readonly rep: RepJson }[]
  readonly now: Date
  /** Who closed; recorded on the events. */
  readonly actor: string
}

export interface OpenedOutcomes {
  readonly opened: number
  /** Items of an earlier close of this period (before a reopen) still stated, kept as they are. */
  readonly kept: number
  /** Items of an earlier close no longer stated: voided when still open or applied by the close. */
  readonly voided: number
  readonly coachingOpened: number
  readonly coachingDecided: ReadonlyMap<string, CoachingDecision>
}

interface Stated {
  readonly planId: string
  readonly repId: string
  readonly rule: string
  readonly effect: Effect
  readonly detail: unknown
  readonly effects: EffectsJson
}

/**
 * Opens the follow-through of a close, inside its transaction: one item per effect of every rule
 * that fired (owner: the rep's manager now; due: the period's last day + the organization's days
 * for the effect), money effects applied by the close; coaching plans opened by `coaching`
 * effects; coaching plans ending this period decided as the engine decided them. After a reopen,
 * items of the earlier close that are still stated are kept (with their state), the others voided
 * when nobody acted on them. Every change is an outcome event, an audit row and a ledger entry.
 */
export async function openOutcomes(tx: Queryable, args: OpenOutcomesArgs): Promise<OpenedOutcomes> {
  const at = args.now.toISOString()
  const dueDays = await loadDueDays(tx, args.orgId)
  const managers = new Map(
    (
      await tx.query<{ id: string; manager: string | null }>(
        'select id, manager from reps where org_id = $1',
        [args.orgId],
      )
    ).map((r) => [r.id, r.manager === '' ? null : r.manager]),
  )
  const earlier = (
    await tx.query(
      `select ${OUTCOME_COLUMNS} from outcomes o
        where o.org_id = $1 and o.period = $2 and o.close_id <> $3 and o.state <> 'void' and o.effect is not null
        order by o.opened_at, o.id`,
      [args.orgId, args.period, args.closeId],
    )
  ).map(rowToOutcome)
  const sameItem = (o: Outcome, s: Stated) =>
    o.repId === s.repId && o.rule === s.rule && o.effect === s.effect && (o.planId ?? s.planId) === s.planId
  const changes: OutcomeChange[] = []
  const rows: unknown[][] = []
  const opened: { id: string; stated: Stated }[] = []
  const matched = new Set<string>()
  for (const s of statedItems(args.repResults)) {
    const keep = earlier.find((o) => !matched.has(o.id) && sameItem(o, s))
    if (keep !== undefined) {
      matched.add(keep.id)
      changes.push({
        outcome: keep,
        action: 'restate',
        actor: args.actor,
        before: null,
        after: { closeId: args.closeId },
      })
      continue
    }
    const id = randomUUID()
    const owner = managers.get(s.repId) ?? null
    const dueOn = formatLocalDate((parseLocalDate(args.periodEnd) ?? 0) + dueDays(s.effect))
    const money = MONEY_EFFECTS.includes(s.effect)
    const outcome = {
      id,
      closeId: args.closeId,
      period: args.period,
      repId: s.repId,
      planId: s.planId,
      rule: s.rule,
      effect: s.effect,
    }
    rows.push([
      args.orgId,
      id,
      args.closeId,
      args.period,
      s.repId,
      s.planId,
      s.rule,
      JSON.stringify(s.effects),
      s.effect,
      JSON.stringify(s.detail),
      money ? 'applied' : 'due',
      dueOn,
      owner,
      at,
      money ? at : null,
      money ? 'close' : null,
    ])
    changes.push({
      outcome,
      action: 'open',
      actor: money ? 'close' : args.actor,
      before: null,
      after: { ...outcome, detail: s.detail, owner, dueOn, state: money ? 'applied' : 'due' },
    })
    opened.push({ id, stated: s })
  }
  await insertRows(
    tx,
    'outcomes',
    [
      'org_id',
      'id',
      'close_id',
      'period',
      'rep_id',
      'plan_id',
      'rule',
      'effects',
      'effect',
      'detail',
      'state',
      'due_on',
      'owner',
      'opened_at',
      'applied_at',
      'applied_by',
    ],
    rows,
  )

  let voided = 0
  const reason = `No longer stated when ${args.period} was closed again`
  for (const o of earlier) {
    if (matched.has(o.id)) continue
    const open = o.state === 'due' || o.state === 'overdue' || o.appliedBy === 'close'
    if (open) {
      await tx.query(
        `update outcomes set state = 'void', voided_at = $3, void_reason = $4 where org_id = $1 and id = $2`,
        [args.orgId, o.id, at, reason],
      )
      await tx.query(
        `update coaching_plans set state = 'void' where org_id = $1 and outcome_id = $2 and state = 'open'`,
        [args.orgId, o.id],
      )
      voided++
    }
    changes.push({
      outcome: o,
      action: open ? 'void' : 'unstated',
      actor: args.actor,
      before: open ? { state: o.state } : null,
      after: open ? { state: 'void', voidReason: reason } : { closeId: args.closeId, note: reason },
    })
  }

  const coachingOpened = await openCoachingPlans(tx, args, opened)
  const coachingDecided = await decideEndingPlans(tx, args, changes)
  await recordChanges(tx, args.orgId, changes, at)
  return { opened: opened.length, kept: matched.size, voided, coachingOpened, coachingDecided }
}

function statedItems(repResults: OpenOutcomesArgs['repResults']): Stated[] {
  const out: Stated[] = []
  for (const { planId, rep } of repResults) {
    for (const o of rep.outcomes) {
      for (const [effect, detail] of Object.entries(o.effects)) {
        if (!EFFECTS.includes(effect as Effect)) continue
        out.push({
          planId,
          repId: rep.rep,
          rule: o.rule,
          effect: effect as Effect,
          detail,
          effects: o.effects,
        })
      }
    }
  }
  return out
}

async function openCoachingPlans(
  tx: Queryable,
  args: OpenOutcomesArgs,
  opened: readonly { id: string; stated: Stated }[],
): Promise<number> {
  const key = parsePeriodKey(args.period)
  if (key === null) throw new Error(`Not a period: ${args.period}`)
  const rows = opened
    .filter((o) => o.stated.effect === 'coaching')
    .map(({ id, stated }) => {
      const c = stated.detail as NonNullable<EffectsJson['coaching']>
      return [
        args.orgId,
        randomUUID(),
        stated.repId,
        stated.planId,
        stated.rule,
        c.program ?? '',
        args.period,
        c.periods,
        periodKey(key.kind, key.index + c.periods),
        c.pass,
        'open',
        args.closeId,
        id,
        args.now.toISOString(),
      ]
    })
  await insertRows(
    tx,
    'coaching_plans',
    [
      'org_id',
      'id',
      'rep_id',
      'plan_id',
      'rule',
      'program',
      'opened_period',
      'periods',
      'last_period',
      'pass_condition',
      'state',
      'close_id',
      'outcome_id',
      'opened_at',
    ],
    rows,
  )
  return rows.length
}

/** Decides the coaching plans whose last period this is (again, after a reopen), as the engine did. */
async function decideEndingPlans(
  tx: Queryable,
  args: OpenOutcomesArgs,
  changes: OutcomeChange[],
): Promise<Map<string, CoachingDecision>> {
  const ending = await tx.query<{
    id: string
    rep_id: string
    plan_id: string
    rule: string
    state: string
    outcome_id: string
    close_id: string
    opened_period: string
  }>(
    `select c.id, c.rep_id, c.plan_id, c.rule, c.state, c.outcome_id, c.close_id, c.opened_period
       from coaching_plans c
      where c.org_id = $1 and c.last_period = $2 and c.state <> 'void'
        and (c.state = 'open' or c.decided_period = $2)`,
    [args.orgId, args.period],
  )
  if (ending.length === 0) return new Map()
  const decisions = await decideCoaching(tx, {
    orgId: args.orgId,
    period: args.period,
    ending: ending.map((c) => ({ id: c.id, repId: c.rep_id, planId: c.plan_id, rule: c.rule })),
    repResults: args.repResults,
  })
  const at = args.now.toISOString()
  for (const c of ending) {
    const decision = decisions.get(c.id) ?? 'undecided'
    const [review] =
      decision === 'failed'
        ? await tx.query<{ id: string }>(
            `select id from outcomes where org_id = $1 and period = $2 and rep_id = $3
                and effect = 'termination_review' and state <> 'void' order by opened_at, id limit 1`,
            [args.orgId, args.period, c.rep_id],
          )
        : []
    const reviewId = review?.id ?? null
    await tx.query(
      `update coaching_plans set state = $3, decided_period = $4, decided_at = $5, review_outcome_id = $6
        where org_id = $1 and id = $2`,
      [args.orgId, c.id, decision, args.period, at, reviewId],
    )
    changes.push({
      outcome: {
        id: c.outcome_id,
        closeId: c.close_id,
        period: c.opened_period,
        repId: c.rep_id,
        rule: c.rule,
        effect: 'coaching',
      },
      action: 'coaching.decide',
      actor: 'close',
      before: { coachingPlan: c.id, state: c.state },
      after: { coachingPlan: c.id, state: decision, decidedPeriod: args.period, reviewOutcome: reviewId },
    })
  }
  return decisions
}
