import { randomUUID } from 'node:crypto'
import { formatLocalDate, parseLocalDate } from '../../core/calendar/civil.ts'
import {
  type PeriodKind,
  parsePeriodKey,
  periodEnd,
  periodKey,
  periodStart,
} from '../../core/calendar/period.ts'
import { toResultJson, type LineJson, type RepJson, type ResultJson } from '../../core/engine/result-json.ts'
import { runEngine } from '../../core/engine/run-engine.ts'
import type { InputIssue } from '../../core/records/records.ts'
import { appendLedger, type LedgerEntryInput } from '../ledger/ledger.ts'
import type { Database, Queryable } from '../ports/sql.ts'
import { loadRecords } from './load-records.ts'
import { plansOfRecord } from './plans-of-record.ts'

/** Why a close did not happen; the CLI maps each to a message and an exit status. */
export class CloseError extends Error {
  constructor(
    readonly code:
      | 'close.bad_period'
      | 'close.closed'
      | 'close.in_progress'
      | 'close.out_of_order'
      | 'close.no_plans'
      | 'close.bad_data',
    message: string,
    readonly issues: readonly InputIssue[] = [],
  ) {
    super(message)
  }
}

export interface CloseOutcome {
  readonly closeId: string
  readonly period: string
  readonly dryRun: boolean
  /** The calc result shape for the period, with prior-period adjustments among the lines. */
  readonly result: ResultJson
  /** The ledger head after the close (the current head for a dry run). */
  readonly head: { seq: bigint; hash: string } | null
  /** For a dry run: what changed since the last dry run of the period, in sentences. */
  readonly changes: readonly string[]
}

/**
 * Closes a period (or computes it without storing, `dryRun`) for every plan of its kind: the one
 * engine runs over the database from the first closed period of that kind through this one, so
 * balances, streaks, boosts and coaching carry over; differences in already-closed periods (late
 * data) are booked here as prior-period adjustments; results, outcomes and ledger entries are
 * stored and the period locked in one transaction.
 */
export async function closePeriod(
  db: Database,
  args: { orgId: string; period: string; actor: string; now: Date; dryRun: boolean },
): Promise<CloseOutcome> {
  const key = parsePeriodKey(args.period)
  if (key === null)
    throw new CloseError('close.bad_period', `"${args.period}" is not a period (2026-01, 2026-Q1 or 2026).`)
  const compute = (tx: Queryable) => computeClose(tx, args, key.kind, key.index)
  if (args.dryRun) {
    const computed = await compute(db)
    const changes = await diffSinceLastDryRun(db, args.orgId, args.period, computed.result)
    await db.query(
      `insert into close_runs (org_id, id, period, started_at, finished_at, status, dry_run, snapshot)
       values ($1, $2, $3, $4, $4, 'done', true, $5)`,
      [args.orgId, randomUUID(), args.period, args.now.toISOString(), JSON.stringify(computed.result)],
    )
    return { closeId: '', period: args.period, dryRun: true, result: computed.result, head: null, changes }
  }
  return db.transaction(async (tx) => {
    if (db.kind === 'postgres') {
      const [lock] = await tx.query<{ ok: boolean }>('select pg_try_advisory_xact_lock(hashtext($1)) as ok', [
        `close:${args.orgId}`,
      ])
      if (lock?.ok !== true) {
        throw new CloseError(
          'close.in_progress',
          `A close of ${args.orgId} is in progress; try again when it has finished.`,
        )
      }
    }
    const computed = await compute(tx)
    const closeId = randomUUID()
    const at = args.now.toISOString()
    await tx.query(
      `insert into close_runs (org_id, id, period, started_at, finished_at, status, dry_run, snapshot)
       values ($1, $2, $3, $4, $4, 'done', false, null)`,
      [args.orgId, closeId, args.period, at],
    )
    const entries: LedgerEntryInput[] = []
    for (const plan of computed.result.plans) {
      for (const rep of plan.periods[0]?.reps ?? []) {
        await tx.query(
          `insert into results (org_id, close_id, plan_id, plan_version, period, rep_id, computed, result, payout_minor, balance_minor)
           values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
          [
            args.orgId,
            closeId,
            plan.id,
            computed.versions.get(plan.id) ?? 0,
            args.period,
            rep.rep,
            Object.keys(rep.metrics).length > 0,
            JSON.stringify(rep),
            BigInt(rep.payout),
            BigInt(rep.balance),
          ],
        )
        for (const o of rep.outcomes) {
          await tx.query(
            `insert into outcomes (org_id, id, close_id, period, rep_id, rule, effects, state)
             values ($1, $2, $3, $4, $5, $6, $7, 'due')`,
            [args.orgId, randomUUID(), closeId, args.period, rep.rep, o.rule, JSON.stringify(o.effects)],
          )
        }
        for (const line of rep.lines)
          entries.push(ledgerLine(line, rep.rep, args.period, closeId, computed.refs.get(rep.rep) ?? null))
      }
    }
    const head = await appendLedger(tx, args.orgId, entries, at)
    await tx.query(
      'insert into ledger_heads (org_id, close_id, seq, hash, created_at) values ($1, $2, $3, $4, $5)',
      [args.orgId, closeId, head.seq, head.hash, at],
    )
    await tx.query(
      `insert into periods (org_id, kind, key, status, closed_at, closed_by) values ($1, $2, $3, 'closed', $4, $5)
       on conflict (org_id, key) do update set status = 'closed', closed_at = $4, closed_by = $5`,
      [args.orgId, key.kind, args.period, at, args.actor],
    )
    await tx.query(
      `insert into audit_log (org_id, at, actor, action, subject, before, after) values ($1, $2, $3, 'period.close', $4, null, $5)`,
      [
        args.orgId,
        at,
        args.actor,
        args.period,
        JSON.stringify({ closeId, entries: entries.length, head: head.hash }),
      ],
    )
    return { closeId, period: args.period, dryRun: false, result: computed.result, head, changes: [] }
  })
}

function ledgerLine(
  line: LineJson,
  rep: string,
  period: string,
  closeId: string,
  ref: Record<string, unknown> | null,
): LedgerEntryInput {
  return {
    period,
    repId: rep,
    kind: line.kind,
    rule: line.rule ?? null,
    deal: line.deal ?? null,
    amountMinor: BigInt(line.amount),
    forfeitedMinor: BigInt(line.forfeited),
    cappedMinor: BigInt(line.capped),
    closeId,
    ref: line.kind === 'adjustment' ? ref : null,
  }
}

async function computeClose(
  tx: Queryable,
  args: { orgId: string; period: string },
  kind: PeriodKind,
  index: number,
): Promise<{
  result: ResultJson
  versions: Map<string, number>
  refs: Map<string, Record<string, unknown>>
}> {
  const periods = await tx.query<{ key: string; status: string }>(
    'select key, status from periods where org_id = $1 and kind = $2 order by key',
    [args.orgId, kind],
  )
  if (periods.some((p) => p.key === args.period && p.status === 'closed')) {
    throw new CloseError(
      'close.closed',
      `${args.period} is already closed. To close it again, reopen it first: followthrough close reopen ${args.period} --reason "…"`,
    )
  }
  const closed = periods.filter((p) => p.status === 'closed').map((p) => parsePeriodKey(p.key)?.index ?? 0)
  const first = closed.length === 0 ? index : Math.min(...closed)

  if (closed.length > 0 && index < first) {
    throw new CloseError(
      'close.out_of_order',
      `${args.period} is before ${periodKey(kind, first)}, the first closed period.`,
    )
  }
  for (let p = first; p < index; p++) {
    if (!closed.includes(p)) {
      throw new CloseError(
        'close.out_of_order',
        `${periodKey(kind, p)} is still open: close it before ${args.period}.`,
      )
    }
  }
  const ofRecord = await plansOfRecord(tx, args.orgId, kind)
  if (ofRecord.length === 0)
    throw new CloseError('close.no_plans', `No published plan has ${kind}ly periods.`)
  const plans = ofRecord.map((p) => p.plan)
  const end = formatLocalDate(periodEnd(kind, index))
  const loaded = await loadRecords(tx, args.orgId, plans, end)
  if (!loaded.ok)
    throw new CloseError('close.bad_data', 'The data in the database does not check.', loaded.issues)
  const run = toResultJson(
    runEngine(plans, loaded.records, {
      from: periodStart(kind, first),
      to: parseLocalDate(end) ?? periodEnd(kind, index),
    }),
  )
  const truthBefore = new Map<string, bigint>()
  for (const plan of run.plans) {
    for (const period of plan.periods) {
      if (period.period === args.period) continue
      for (const rep of period.reps)
        truthBefore.set(rep.rep, (truthBefore.get(rep.rep) ?? 0n) + BigInt(rep.payout))
    }
  }
  const booked = new Map<string, bigint>()
  for (const row of await tx.query<{ rep_id: string; total: string }>(
    `select rep_id, sum(amount_minor)::text as total from ledger_entries
      where org_id = $1 and period >= $2 and period < $3 group by rep_id`,
    [args.orgId, periodKey(kind, first), args.period],
  )) {
    booked.set(row.rep_id, BigInt(row.total))
  }
  const refs = new Map<string, Record<string, unknown>>()
  const result: ResultJson = {
    plans: run.plans.map((plan) => {
      const period = plan.periods.find((p) => p.period === args.period)
      return {
        ...plan,
        periods:
          period === undefined
            ? []
            : [
                {
                  ...period,
                  reps: period.reps.map((rep) => adjust(rep, truthBefore, booked, refs, args.period)),
                },
              ],
      }
    }),
  }
  return { result, versions: new Map(ofRecord.map((p) => [p.plan.id, p.version])), refs }
}

/** Adds a prior-period adjustment (what the closed periods now owe minus what they booked) and, when the total goes negative, a carry. */
function adjust(
  rep: RepJson,
  truth: Map<string, bigint>,
  booked: Map<string, bigint>,
  refs: Map<string, Record<string, unknown>>,
  period: string,
): RepJson {
  const difference = (truth.get(rep.rep) ?? 0n) - (booked.get(rep.rep) ?? 0n)
  if (difference === 0n) return rep
  refs.set(rep.rep, {
    reason: 'late data in closed periods',
    owedMinor: String(truth.get(rep.rep) ?? 0n),
    bookedMinor: String(booked.get(rep.rep) ?? 0n),
    before: period,
  })
  const lines: LineJson[] = [
    ...rep.lines,
    { kind: 'adjustment', amount: Number(difference), forfeited: 0, capped: 0 },
  ]
  let payout = rep.payout + Number(difference)
  let balance = rep.balance
  if (payout < 0) {
    lines.push({ kind: 'carry', amount: -payout, forfeited: 0, capped: 0 })
    balance += -payout
    payout = 0
  }
  return { ...rep, lines, payout, balance }
}

async function diffSinceLastDryRun(
  db: Queryable,
  orgId: string,
  period: string,
  now: ResultJson,
): Promise<string[]> {
  const [last] = await db.query<{ snapshot: unknown }>(
    `select snapshot from close_runs where org_id = $1 and period = $2 and dry_run order by started_at desc limit 1`,
    [orgId, period],
  )
  if (last === undefined) return ['First dry run of this period.']
  const before = (typeof last.snapshot === 'string' ? JSON.parse(last.snapshot) : last.snapshot) as ResultJson
  const payouts = (r: ResultJson) =>
    new Map(r.plans.flatMap((p) => (p.periods[0]?.reps ?? []).map((x) => [x.rep, x.payout] as const)))
  const a = payouts(before)
  const b = payouts(now)
  const changes: string[] = []
  for (const rep of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const was = a.get(rep)
    const is = b.get(rep)
    if (was === is) continue
    if (was === undefined) changes.push(`${rep} is new, with a payout of ${is} (minor units).`)
    else if (is === undefined) changes.push(`${rep} is no longer listed (was ${was}).`)
    else changes.push(`${rep}: payout ${was} → ${is} (minor units).`)
  }
  return changes.length === 0 ? ['Nothing changed since the last dry run.'] : changes
}
