import { formatLocalDate, parseLocalDate } from '../../core/calendar/civil.ts'
import { formatMoney } from '../../core/money/money.ts'
import type { Plan } from '../../core/plans/plan.ts'
import type { RowReader } from '../../core/records/header.ts'
import { IssueCollector } from '../../core/records/issues.ts'
import { readActivities } from '../../core/records/read-activities.ts'
import { readDeals } from '../../core/records/read-deals.ts'
import { readQuotas } from '../../core/records/read-quotas.ts'
import { readReps } from '../../core/records/read-reps.ts'
import type { InputIssue, Records } from '../../core/records/records.ts'
import type { Queryable } from '../ports/sql.ts'

export type LoadResult = { ok: true; records: Records } | { ok: false; issues: InputIssue[] }

const REP_COLUMNS = ['id', 'name', 'email', 'manager', 'team', 'plan', 'hired_on', 'left_on']
const DEAL_COLUMNS = [
  'id',
  'rep',
  'closed_on',
  'amount',
  'mrr',
  'type',
  'customer',
  'term_months',
  'cancelled_on',
]
const ACTIVITY_COLUMNS = ['id', 'rep', 'kind', 'occurred_on']

/** The dates and periods a run covers: only records that can count in them are read. */
export interface LoadRange {
  /** Local dates 'YYYY-MM-DD', inclusive. */
  readonly from: string
  readonly to: string
  /** The period keys of the run (quotas are read for these only). */
  readonly periods: readonly string[]
  /** False when no plan of the run counts activities: none are read. */
  readonly activities: boolean
  /** Only the deals credited to (and activities of) these reps; every rep and quota is still read. */
  readonly creditedTo?: readonly string[]
  /**
   * Also the deals written as closed on or after this local date (before the range) and as
   * cancelled within the range (with the same day of slack): a run from carried state claws them
   * back. Absent: none.
   */
  readonly cancelledSince?: string
}

/**
 * Reads an organization's records from the database through the very readers `calc` uses on
 * files (so a close and `calc` see the same data the same way), with each rep's plan being the one
 * assigned on `on` (a local date), or the rep's `plan` column when the rep has no assignments.
 * With a `range`, only deals written as closed (and activities as occurring) within a day of it
 * are read, and quotas of its periods: the engine counts nothing else in a run over that range
 * (a clawback needs the deal's closing period in the run).
 */
export async function loadRecords(
  db: Queryable,
  orgId: string,
  plans: readonly Plan[],
  on: string,
  range?: LoadRange,
): Promise<LoadResult> {
  // Dates are kept as written (a date, or a date-time with its offset): a day of slack each side
  // covers any offset; the engine then places each one in its period in the plan's time zone.
  const lo = range === undefined ? '' : dayAfter(range.from, -1)
  const hi = range === undefined ? '99999' : dayAfter(range.to, 2)
  const digits = plans[0]?.currency.digits ?? 2
  const issues = new IssueCollector(100)
  const assigned = new Map<string, string | null>()
  for (const row of await db.query<{ rep_id: string; plan_id: string; covers: boolean }>(
    `select rep_id, plan_id, (valid_from <= $2::date and (valid_to is null or valid_to >= $2::date)) as covers
       from plan_assignments where org_id = $1 order by valid_from`,
    [orgId, on],
  )) {
    if (row.covers) assigned.set(row.rep_id, row.plan_id)
    else if (!assigned.has(row.rep_id)) assigned.set(row.rep_id, null)
  }

  const repRows = await db.query<Record<string, unknown>>(
    `select id, name, email, manager, team, plan, hired_on::text as hired_on, left_on::text as left_on, fields
       from reps where org_id = $1 order by id`,
    [orgId],
  )
  const repExtras = extraKeys(repRows, REP_COLUMNS)
  const repsRead = feed(readReps('reps', issues), [
    [...REP_COLUMNS, ...repExtras],
    ...repRows.map((r) => {
      const id = String(r.id)
      const plan = assigned.has(id) ? (assigned.get(id) ?? '') : text(r.plan)
      return [
        id,
        text(r.name),
        text(r.email),
        text(r.manager),
        text(r.team),
        plan,
        text(r.hired_on),
        text(r.left_on),
        ...extras(r, repExtras),
      ]
    }),
  ])

  const dealRows = await db.query<Record<string, unknown>>(
    `select id, closed_on, amount_minor, mrr_minor, type, customer, term_months, cancelled_on,
            nullif(fields, '{}'::jsonb) as fields
       from deals where org_id = $1
        and ${
          range?.cancelledSince === undefined
            ? 'closed_on >= $2 and closed_on < $3'
            : `(closed_on >= $2 and closed_on < $3
                or closed_on >= $5 and closed_on < $2 and cancelled_on >= $2 and cancelled_on < $3)`
        }
        and ${
          // Written out when set: behind `$4 is null or …` the planner reads every deal of the range.
          range?.creditedTo === undefined
            ? '$4::text[] is null'
            : 'id in (select deal_id from deal_credits where org_id = $1 and rep_id = any($4::text[]))'
        }
      order by id`,
    [
      orgId,
      lo,
      hi,
      range?.creditedTo ?? null,
      ...(range?.cancelledSince === undefined ? [] : [range.cancelledSince]),
    ],
  )
  // The credits of exactly these deals, by key lookups: a join would scan every credit stored.
  const credits = new Map<string, string[]>()
  for (const c of await db.query<{ deal_id: string; rep_id: string; share_micro: number }>(
    `select deal_id, rep_id, share_micro from deal_credits
      where org_id = $1 and deal_id = any($2::text[]) order by deal_id, rep_id`,
    [orgId, dealRows.map((d) => String(d.id))],
  )) {
    const list = credits.get(c.deal_id) ?? []
    list.push(`${c.rep_id}:${formatShare(Number(c.share_micro))}`)
    credits.set(c.deal_id, list)
  }
  const dealExtras = extraKeys(dealRows, DEAL_COLUMNS)
  const context = { reps: repsRead.reps, repIndex: repsRead.repIndex, plans }
  const deals = feed(readDeals('deals', issues, context, dealRows.length), [
    [...DEAL_COLUMNS, ...dealExtras],
    ...dealRows.map((d) => [
      String(d.id),
      (credits.get(String(d.id)) ?? []).join(';'),
      text(d.closed_on),
      formatMoney(BigInt(d.amount_minor as bigint), digits),
      formatMoney(BigInt(d.mrr_minor as bigint), digits),
      text(d.type),
      text(d.customer),
      text(d.term_months),
      text(d.cancelled_on),
      ...extras(d, dealExtras),
    ]),
  ])

  const activityRows =
    range?.activities === false
      ? []
      : await db.query<Record<string, unknown>>(
          `select id, rep_id, kind, occurred_on, fields from activities
            where org_id = $1 and occurred_on >= $2 and occurred_on < $3
              and ($4::text[] is null or rep_id = any($4::text[])) order by id`,
          [orgId, lo, hi, range?.creditedTo ?? null],
        )
  const activityExtras = extraKeys(activityRows, ACTIVITY_COLUMNS)
  const activities = feed(readActivities('activities', issues, repsRead.repIndex, activityRows.length), [
    [...ACTIVITY_COLUMNS, ...activityExtras],
    ...activityRows.map((a) => [
      String(a.id),
      text(a.rep_id),
      text(a.kind),
      text(a.occurred_on),
      ...extras(a, activityExtras),
    ]),
  ])

  const quotaRows = await db.query<Record<string, unknown>>(
    `select rep_id, period, metric, amount::text as amount from quotas
      where org_id = $1 and ($2::text[] is null or period = any($2::text[])) order by rep_id, period, metric`,
    [orgId, range === undefined ? null : [...range.periods]],
  )
  const quotas = feed(readQuotas('quotas', issues, context), [
    ['rep', 'period', 'metric', 'amount'],
    ...quotaRows.map((q) => [text(q.rep_id), text(q.period), text(q.metric), trimDecimal(text(q.amount))]),
  ])
  if (issues.count > 0) return { ok: false, issues: issues.list() }
  return {
    ok: true,
    records: { reps: repsRead.reps, repIndex: repsRead.repIndex, deals, activities, quotas },
  }
}

/** The local date `days` days after a 'YYYY-MM-DD' date. */
function dayAfter(date: string, days: number): string {
  const day = parseLocalDate(date)
  if (day === null) throw new Error(`"${date}" is not a local date`)
  return formatLocalDate(day + days)
}

function feed<T>(reader: RowReader<T>, rows: readonly (readonly string[])[]): T {
  rows.forEach((row, i) => (i === 0 ? reader.header(row, 1) : reader.row(row, i + 1)))
  return reader.finish()
}

const text = (v: unknown): string => (v === null || v === undefined ? '' : String(v))

function fieldsOf(row: Record<string, unknown>): Record<string, unknown> {
  const f = row.fields
  if (f === null || f === undefined) return {}
  return typeof f === 'string' ? (JSON.parse(f) as Record<string, unknown>) : (f as Record<string, unknown>)
}

function extraKeys(rows: readonly Record<string, unknown>[], canonical: readonly string[]): string[] {
  const keys = new Set<string>()
  for (const row of rows) for (const k of Object.keys(fieldsOf(row))) if (!canonical.includes(k)) keys.add(k)
  return [...keys].sort()
}

function extras(row: Record<string, unknown>, keys: readonly string[]): string[] {
  const f = fieldsOf(row)
  return keys.map((k) => text(f[k]))
}

/** Millionths of a deal as a percentage with at most 4 decimals (333300 → "33.33"). */
function formatShare(micro: number): string {
  const whole = Math.floor(micro / 10_000)
  const frac = String(micro % 10_000)
    .padStart(4, '0')
    .replace(/0+$/, '')
  return frac === '' ? String(whole) : `${whole}.${frac}`
}

/** numeric text as PostgreSQL prints it ("4000.00") without trailing zeros after the point. */
function trimDecimal(value: string): string {
  return value.includes('.') ? value.replace(/0+$/, '').replace(/\.$/, '') : value
}
