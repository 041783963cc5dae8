import { formatLocalDate } from '../../core/calendar/civil.ts'
import { parsePeriodKey, periodStart } from '../../core/calendar/period.ts'
import { DomainError } from '../../core/domain-error.ts'
import { formatExact, parseDecimal } from '../../core/money/rational.ts'
import type { Plan } from '../../core/plans/plan.ts'
import { checkNonNegativeDecimal, parseMoneyCell } from '../../core/records/cells.ts'
import { plansOfRecord } from '../close/plans-of-record.ts'
import { planForRepOn } from '../plans/plan-store.ts'
import type { Database, Queryable } from '../ports/sql.ts'

export interface SetQuotaArgs {
  readonly orgId: string
  readonly actor: string
  readonly now: Date
  readonly repId: string
  /** A period key of the rep's plan's kind: '2026-03', '2026-Q2', '2026'. */
  readonly period: string
  readonly metric: string
  /** The override as a plain decimal (money metrics in currency units, "4500.00"); null removes it. */
  readonly amount: string | null
}

export interface QuotaChange {
  readonly repId: string
  readonly period: string
  readonly metric: string
  readonly planId: string
  /** The override before and after, as stored (trimmed decimal text); null when there was / is none. */
  readonly before: string | null
  readonly after: string | null
  /** The plan's default quota for the metric (before ramp and proration), null when it has none. */
  readonly planDefault: string | null
}

/**
 * The plan a rep is on in a period: the assignment on the period's first day and the version
 * effective then; without assignments, the rep's `plan` column and that plan's latest version.
 */
export async function planOfRepIn(
  db: Queryable,
  orgId: string,
  repId: string,
  startDate: string,
): Promise<Plan | null> {
  const assigned = await planForRepOn(db, orgId, repId, startDate)
  if (assigned !== null) return assigned.version?.plan ?? null
  const [row] = await db.query<{ plan: string | null; assigned: number }>(
    `select r.plan, (select count(*)::int from plan_assignments a where a.org_id = r.org_id and a.rep_id = r.id) as assigned
       from reps r where r.org_id = $1 and r.id = $2`,
    [orgId, repId],
  )
  if (row === undefined || row.plan === null || row.assigned > 0) return null
  return (await plansOfRecord(db, orgId)).find((p) => p.plan.id === row.plan)?.plan ?? null
}

/** A quota amount as stored: the decimal without trailing zeros ("4500.00" → "4500"). */
const trimmed = (text: string): string => {
  const value = parseDecimal(text)
  return value === null ? text : (formatExact(value) ?? text)
}

/**
 * Sets (or, with a null amount, removes) the quota override of a rep for a period and metric,
 * checked as the import checks quotas.csv: a known rep, a period key of the kind of the rep's plan
 * in that period, a metric of that plan, an amount ≥ 0 with at most the currency's decimals for
 * money metrics. Refuses a closed period: its results, statements and ledger are final, and a
 * changed quota there would turn into a prior-period adjustment at the next close nobody asked for
 * (reopen the period to correct it). Writes the quota, a quota_history row (before, after, who,
 * when) and an audit row, in one transaction.
 */
export async function setQuota(db: Database, args: SetQuotaArgs): Promise<QuotaChange> {
  const key = parsePeriodKey(args.period)
  if (key === null)
    throw new DomainError(
      'quota.bad_period',
      `"${args.period}" is not a period (2026-01, 2026-Q1 or 2026).`,
      {
        period: args.period,
      },
    )
  return db.transaction(async (tx) => {
    const [rep] = await tx.query<{ id: string }>('select id from reps where org_id = $1 and id = $2', [
      args.orgId,
      args.repId,
    ])
    if (rep === undefined)
      throw new DomainError('quota.unknown_rep', `There is no rep "${args.repId}".`, { repId: args.repId })
    const start = formatLocalDate(periodStart(key.kind, key.index))
    const plan = await planOfRepIn(tx, args.orgId, args.repId, start)
    if (plan === null)
      throw new DomainError('quota.no_plan', `Rep ${args.repId} is on no plan in ${args.period}.`, {
        repId: args.repId,
        period: args.period,
      })
    if (plan.period !== key.kind)
      throw new DomainError(
        'quota.bad_period',
        `Plan ${plan.id} has ${plan.period} periods: "${args.period}" is not one.`,
        { period: args.period, planId: plan.id },
      )
    const metric = plan.metrics.find((m) => m.id === args.metric)
    if (metric === undefined)
      throw new DomainError('quota.bad_metric', `Plan ${plan.id} has no metric "${args.metric}".`, {
        metric: args.metric,
        planId: plan.id,
      })
    if (args.amount !== null) {
      const problem = metric.money
        ? parseMoneyCell('amount', args.amount, plan.currency)
        : checkNonNegativeDecimal('amount', args.amount)
      if (typeof problem === 'string')
        throw new DomainError('quota.bad_amount', `The ${problem}.`, { amount: args.amount })
    }
    const [period] = await tx.query<{ status: string }>(
      'select status from periods where org_id = $1 and key = $2',
      [args.orgId, args.period],
    )
    if (period?.status === 'closed')
      throw new DomainError(
        'quota.period_closed',
        `${args.period} is closed: its quotas are final. Reopen the period to change them.`,
        { period: args.period },
      )

    const [old] = await tx.query<{ amount: string }>(
      `select trim_scale(amount)::text as amount from quotas
        where org_id = $1 and rep_id = $2 and period = $3 and metric = $4 for update`,
      [args.orgId, args.repId, args.period, args.metric],
    )
    const before = old?.amount ?? null
    const after = args.amount === null ? null : trimmed(args.amount)
    const defaultAmount = plan.quotas.get(metric.id)
    const change: QuotaChange = {
      repId: args.repId,
      period: args.period,
      metric: args.metric,
      planId: plan.id,
      before,
      after,
      planDefault: defaultAmount === undefined ? null : formatExact(defaultAmount),
    }
    if (before === null && after === null)
      throw new DomainError(
        'quota.not_found',
        `Rep ${args.repId} has no quota override for ${args.metric} in ${args.period}.`,
        { repId: args.repId, period: args.period, metric: args.metric },
      )
    if (before === after) return change

    const at = args.now.toISOString()
    const params = [args.orgId, args.repId, args.period, args.metric]
    if (after === null) {
      await tx.query(
        'delete from quotas where org_id = $1 and rep_id = $2 and period = $3 and metric = $4',
        params,
      )
    } else {
      await tx.query(
        `insert into quotas (org_id, rep_id, period, metric, amount, updated_at) values ($1, $2, $3, $4, $5::numeric, $6)
         on conflict (org_id, rep_id, period, metric) do update set amount = excluded.amount, updated_at = excluded.updated_at`,
        [...params, after, at],
      )
    }
    // As the import keeps history: each column as text (`amount`), null for a row that is not there.
    const snapshot = (amount: string | null) => (amount === null ? null : JSON.stringify({ amount }))
    await tx.query(
      `insert into quota_history (org_id, rep_id, period, metric, before, after, changed_at, changed_by)
       values ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7, $8)`,
      [...params, snapshot(before), snapshot(after), at, args.actor],
    )
    await tx.query(
      `insert into audit_log (org_id, at, actor, action, subject, before, after)
       values ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb)`,
      [
        args.orgId,
        at,
        args.actor,
        after === null ? 'quota.remove' : 'quota.set',
        `${args.repId}/${args.period}/${args.metric}`,
        snapshot(before),
        snapshot(after),
      ],
    )
    return change
  })
}
