import type { RepJson } from '../../core/engine/result-json.ts'
import { PlanVersions } from '../close/plans-of-record.ts'
import { type StatementNotes, statementNotes } from '../disputes/statement-notes.ts'
import { ledgerHead } from '../ledger/ledger.ts'
import type { Queryable } from '../ports/sql.ts'

export class PayoutError extends Error {
  constructor(
    readonly code: 'payout.not_closed' | 'payout.unknown_rep',
    message: string,
  ) {
    super(message)
  }
}

/** The latest (non-dry-run) close of a period, or null when the period is not closed. */
async function latestClose(
  db: Queryable,
  orgId: string,
  period: string,
): Promise<{ id: string; at: string } | null> {
  const [status] = await db.query<{ status: string }>(
    'select status from periods where org_id = $1 and key = $2',
    [orgId, period],
  )
  if (status?.status !== 'closed') return null
  const [row] = await db.query<{ id: string; started_at: unknown }>(
    `select id, started_at from close_runs where org_id = $1 and period = $2 and not dry_run and status = 'done'
      order by started_at desc limit 1`,
    [orgId, period],
  )
  return row === undefined
    ? null
    : {
        id: row.id,
        at: String(row.started_at instanceof Date ? row.started_at.toISOString() : row.started_at),
      }
}

/** Records finance's approval of a closed period's payouts (who, when). */
export async function approvePayouts(
  db: Queryable,
  args: { orgId: string; period: string; actor: string; now: Date },
): Promise<void> {
  const close = await latestClose(db, args.orgId, args.period)
  if (close === null) {
    throw new PayoutError(
      'payout.not_closed',
      `${args.period} is not closed: close it before approving its payouts.`,
    )
  }
  const [head] = await db.query<{ seq: bigint; hash: string }>(
    'select seq, hash from ledger_heads where org_id = $1 and close_id = $2',
    [args.orgId, close.id],
  )
  const at = args.now.toISOString()
  // Two approvals of one period at the same instant are one approval (a double submit).
  const stored = await db.query(
    `insert into payout_approvals (org_id, period, approved_by, approved_at, close_id, ledger_seq, ledger_head)
     values ($1, $2, $3, $4, $5, $6, $7) on conflict (org_id, period, approved_at) do nothing returning 1`,
    [args.orgId, args.period, args.actor, at, close.id, head?.seq ?? null, head?.hash ?? null],
  )
  if (stored.length === 0) return
  await db.query(
    `insert into audit_log (org_id, at, actor, action, subject, before, after) values ($1, $2, $3, 'payouts.approve', $4, null, $5)`,
    [
      args.orgId,
      at,
      args.actor,
      args.period,
      JSON.stringify({ closeId: close.id, head: head?.hash ?? null }),
    ],
  )
}

export interface PayrollRow {
  readonly rep: string
  readonly email: string
  readonly period: string
  readonly currency: string
  readonly amountMinor: bigint
  readonly kind?: string
  readonly rule?: string
  readonly deal?: string
}

export interface Payroll {
  readonly rows: PayrollRow[]
  /** The approval of the period's latest close (null: not approved). */
  readonly approval: { by: string; at: string; head: string | null } | null
  /** An approval of an earlier close of the period, reopened since (null when there is none). */
  readonly staleApproval: { by: string; at: string; closeId: string | null } | null
  readonly head: { seq: bigint; hash: string }
}

/**
 * What to pay for a closed period, from the ledger: per rep the sum of the period's entries (which
 * nets out reversals of a reopened close), or with `lines` one row per entry of the latest close.
 */
export async function payrollFor(
  db: Queryable,
  args: { orgId: string; period: string; lines: boolean },
): Promise<Payroll> {
  const close = await latestClose(db, args.orgId, args.period)
  if (close === null) throw new PayoutError('payout.not_closed', `${args.period} is not closed.`)
  const [org] = await db.query<{ currency: string }>('select currency from organizations where id = $1', [
    args.orgId,
  ])
  const currency = org?.currency ?? 'USD'
  const emails = new Map(
    (
      await db.query<{ id: string; email: string | null }>('select id, email from reps where org_id = $1', [
        args.orgId,
      ])
    ).map((r) => [r.id, r.email ?? '']),
  )
  let rows: PayrollRow[]
  if (args.lines) {
    rows = (
      await db.query<{
        rep_id: string
        kind: string
        rule: string | null
        deal: string | null
        amount_minor: bigint
      }>(
        // The close's entries and the adjustments of accepted disputes booked in the period.
        `select rep_id, kind, rule, deal, amount_minor from ledger_entries
          where org_id = $1 and (close_id = $2 or (period = $3 and close_id like 'dispute:%')) order by rep_id, seq`,
        [args.orgId, close.id, args.period],
      )
    ).map((e) => ({
      rep: e.rep_id,
      email: emails.get(e.rep_id) ?? '',
      period: args.period,
      currency,
      amountMinor: BigInt(e.amount_minor),
      kind: e.kind,
      rule: e.rule ?? '',
      deal: e.deal ?? '',
    }))
  } else {
    rows = (
      await db.query<{ rep_id: string; total: string }>(
        `select rep_id, sum(amount_minor)::text as total from ledger_entries where org_id = $1 and period = $2
          group by rep_id order by rep_id`,
        [args.orgId, args.period],
      )
    ).map((e) => ({
      rep: e.rep_id,
      email: emails.get(e.rep_id) ?? '',
      period: args.period,
      currency,
      amountMinor: BigInt(e.total),
    }))
  }
  const approvals = await db.query<{
    approved_by: string
    approved_at: unknown
    close_id: string | null
    ledger_head: string | null
  }>(
    `select approved_by, approved_at, close_id, ledger_head from payout_approvals
      where org_id = $1 and period = $2 order by approved_at desc`,
    [args.orgId, args.period],
  )
  const current = approvals.find((a) => a.close_id === close.id)
  const stale = current === undefined ? approvals[0] : undefined
  return {
    rows,
    approval:
      current === undefined
        ? null
        : { by: current.approved_by, at: iso(current.approved_at), head: current.ledger_head },
    staleApproval:
      stale === undefined
        ? null
        : { by: stale.approved_by, at: iso(stale.approved_at), closeId: stale.close_id },
    head: await ledgerHead(db, args.orgId),
  }
}

const iso = (value: unknown): string => (value instanceof Date ? value.toISOString() : String(value))

/** A rep's statement for a closed period: the stored result, year to date and the ledger head. */
export async function statementFor(
  db: Queryable,
  args: { orgId: string; rep: string; period: string },
): Promise<{
  result: RepJson | null
  /** Metrics whose values and quotas are money (minor units), for display. */
  moneyMetrics: string[]
  yearToDateMinor: bigint
  head: { seq: bigint; hash: string }
  closedAt: string
  /** What each prior-period adjustment of this close refers to (the ledger entry's `ref`). */
  adjustments: Record<string, unknown>[]
  /** The acknowledgement of the plan version in force, disputes, and the ledger lines by seq. */
  notes: StatementNotes
}> {
  const close = await latestClose(db, args.orgId, args.period)
  if (close === null) throw new PayoutError('payout.not_closed', `${args.period} is not closed.`)
  const [rep] = await db.query('select id from reps where org_id = $1 and id = $2', [args.orgId, args.rep])
  if (rep === undefined) throw new PayoutError('payout.unknown_rep', `There is no rep "${args.rep}".`)
  const [row] = await db.query<{ result: unknown; plan_id: string; plan_version: number }>(
    'select result, plan_id, plan_version from results where org_id = $1 and close_id = $2 and rep_id = $3 order by plan_id',
    [args.orgId, close.id, args.rep],
  )
  const adjustments = (
    await db.query<{ ref: unknown }>(
      `select ref from ledger_entries where org_id = $1 and close_id = $2 and rep_id = $3 and kind = 'adjustment'
        order by seq`,
      [args.orgId, close.id, args.rep],
    )
  ).flatMap((e) =>
    e.ref === null
      ? []
      : [(typeof e.ref === 'string' ? JSON.parse(e.ref) : e.ref) as Record<string, unknown>],
  )
  const year = args.period.slice(0, 4)
  const [ytd] = await db.query<{ total: string | null }>(
    `select sum(amount_minor)::text as total from ledger_entries where org_id = $1 and rep_id = $2
        and period like $3 and period <= $4`,
    [args.orgId, args.rep, `${year}%`, args.period],
  )
  const result =
    row === undefined
      ? null
      : ((typeof row.result === 'string' ? JSON.parse(row.result) : row.result) as RepJson)
  const plan =
    row === undefined
      ? undefined
      : (await PlanVersions.load(db, args.orgId)).version(row.plan_id, Number(row.plan_version))?.plan
  const moneyMetrics = plan?.metrics.filter((m) => m.money).map((m) => m.id) ?? []
  return {
    result,
    moneyMetrics,
    yearToDateMinor: BigInt(ytd?.total ?? '0'),
    head: await ledgerHead(db, args.orgId),
    closedAt: close.at,
    adjustments,
    notes: await statementNotes(db, args),
  }
}
