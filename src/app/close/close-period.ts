import { randomUUID } from 'node:crypto'
import { formatLocalDate } from '../../core/calendar/civil.ts'
import { parsePeriodKey, periodEnd } from '../../core/calendar/period.ts'
import type { LineJson, ResultJson } from '../../core/engine/result-json.ts'
import { openOutcomes } from '../followthrough/open-outcomes.ts'
import { appendLedger, type LedgerEntryInput } from '../ledger/ledger.ts'
import type { Database, Queryable } from '../ports/sql.ts'
import { storeCarry } from './carried-state.ts'
import { CloseError } from './close-error.ts'
import { computeClose } from './compute-close.ts'
import { insertResults } from './insert-results.ts'

export { CloseError } from './close-error.ts'

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
  /**
   * How the period was computed: 'carried', this period alone from the state stored with the
   * previous close; 'full', from the first closed period (late data found and booked), for the
   * reason in `fullBecause` (ADR 0009).
   */
  readonly path: 'carried' | 'full'
  readonly fullBecause: string | null
}

/**
 * Closes a period (or computes it without storing, `dryRun`) for every plan of its kind (see
 * `computeClose`: the version of each plan effective at the period's start, closed periods with
 * the version they were closed with, late data as prior-period adjustments); results, outcomes and
 * ledger entries are stored and the period locked in one transaction.
 */
export async function closePeriod(
  db: Database,
  args: { orgId: string; period: string; actor: string; now: Date; dryRun: boolean },
): Promise<CloseOutcome> {
  const key = parsePeriodKey(args.period)
  if (key === null)
    throw new CloseError('close.bad_period', `"${args.period}" is not a period (2026-01, 2026-Q1 or 2026).`)
  const compute = async (tx: Queryable) => {
    // PostgreSQL's JIT compiles the close's few large scans for longer (seconds) than it saves.
    if (db.kind === 'postgres') await tx.query('set local jit = off')
    return computeClose(tx, args, key.kind, key.index)
  }
  if (args.dryRun) {
    const computed = await db.transaction(compute)
    const changes = await diffSinceLastDryRun(db, args.orgId, args.period, computed.result)
    await db.query(
      `insert into close_runs (org_id, id, period, started_at, finished_at, status, dry_run, snapshot)
       values ($1, $2, $3, $4, $4, 'done', true, $5)`,
      [args.orgId, randomUUID(), args.period, args.now.toISOString(), JSON.stringify(computed.result)],
    )
    return {
      closeId: '',
      period: args.period,
      dryRun: true,
      result: computed.result,
      head: null,
      changes,
      path: computed.carry.close.path,
      fullBecause: computed.fullBecause,
    }
  }
  return db.transaction(async (tx) => {
    // Advisory locks are the server's, not the schema's: the key names the schema too, so that two
    // databases kept as schemas of one server (tests, several installations) never block each other.
    if (db.kind === 'postgres') {
      const [lock] = await tx.query<{ ok: boolean }>(
        `select pg_try_advisory_xact_lock(hashtext(current_schema() || ':' || $1)) as ok`,
        [`close:${args.orgId}`],
      )
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
      `insert into close_runs (org_id, id, period, started_at, finished_at, status, dry_run, snapshot, plan_versions)
       values ($1, $2, $3, $4, $4, 'done', false, null, $5)`,
      [args.orgId, closeId, args.period, at, JSON.stringify(Object.fromEntries(computed.versions))],
    )
    const stored = { orgId: args.orgId, closeId, period: args.period, result: computed.result }
    await insertResults(tx, { ...stored, versions: computed.versions })
    await storeCarry(tx, args.orgId, closeId, computed.carry)
    await openOutcomes(tx, {
      ...stored,
      periodEnd: formatLocalDate(periodEnd(key.kind, key.index)),
      repResults: computed.result.plans.flatMap((p) =>
        (p.periods[0]?.reps ?? []).map((rep) => ({ planId: p.id, rep })),
      ),
      now: args.now,
      actor: args.actor,
    })
    const entries: LedgerEntryInput[] = []
    for (const plan of computed.result.plans)
      for (const rep of plan.periods[0]?.reps ?? [])
        for (const line of rep.lines)
          entries.push(ledgerLine(line, rep.rep, args.period, closeId, computed.refs.get(rep.rep) ?? null))
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
    return {
      closeId,
      period: args.period,
      dryRun: false,
      result: computed.result,
      head,
      changes: [],
      path: computed.carry.close.path,
      fullBecause: computed.fullBecause,
    }
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
