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

/** A deal with one of its credits (none: null rep_id), every value as text but the share. */
interface DealRow {
  id: string
  rep_id: string | null
  share_micro: number | null
  /** closed_on,amount,mrr,type,customer,term_months,cancelled_on as a file writes them, or null: */
  tail: string | null
  /** then the same cells, money as minor units, null for none. */
  cells: (string | null)[] | null
  fields: unknown
}

interface ActivityRow {
  id: string
  rep_id: string
  kind: string
  occurred_on: string
  fields: unknown
}

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
  const { lo, hi } = range === undefined ? { lo: '', hi: '99999' } : storedDateBounds(range)
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

  // The deals with their credits in one join, a row per credit (deals without any: one row with
  // a null rep_id) in the order of the deal ids, then of the rep ids: the planner picks the join
  // (index lookups for a narrow range, a hash of the organization's credits for a wide one).
  // The cells after id and rep come as one text, `tail`, written by the server as the loader
  // writes them, when that text cuts back into them at its commas (no comma in any cell, money
  // not negative); else as a JSON array (money as the text of its minor units). A line of id,
  // rep and tail goes to the deals reader's fast path (ADR 0008, 0013).
  const plainMoney = Number.isInteger(digits) && digits >= 0 && digits <= 15
  const safe = plainMoney
    ? `d.amount_minor >= 0 and d.mrr_minor >= 0
       and strpos(d.closed_on || d.type || d.customer || coalesce(d.cancelled_on, ''), ',') = 0`
    : 'false'
  const dealRows = await db.query<DealRow>(
    `select d.id, c.rep_id, c.share_micro,
            case when ${safe} then d.closed_on || ',' || ${sqlMoney('d.amount_minor', digits)} || ','
              || ${sqlMoney('d.mrr_minor', digits)} || ',' || d.type || ',' || d.customer || ','
              || coalesce(d.term_months::text, '') || ',' || coalesce(d.cancelled_on, '') end as tail,
            case when not (${safe}) then json_build_array(d.closed_on, d.amount_minor::text,
              d.mrr_minor::text, d.type, d.customer, d.term_months::text, d.cancelled_on) end as cells,
            nullif(d.fields, '{}'::jsonb) as fields
       from deals d left join deal_credits c on c.org_id = d.org_id and c.deal_id = d.id
      where d.org_id = $1
        and ${
          range?.cancelledSince === undefined
            ? 'd.closed_on >= $2 and d.closed_on < $3'
            : `(d.closed_on >= $2 and d.closed_on < $3
                or d.closed_on >= $5 and d.closed_on < $2 and d.cancelled_on >= $2 and d.cancelled_on < $3)`
        }
        and ${
          // Written out when set: behind `$4 is null or …` the planner reads every deal of the range.
          range?.creditedTo === undefined
            ? '$4::text[] is null'
            : 'd.id in (select deal_id from deal_credits where org_id = $1 and rep_id = any($4::text[]))'
        }
      order by d.id, c.rep_id`,
    [
      orgId,
      lo,
      hi,
      range?.creditedTo ?? null,
      ...(range?.cancelledSince === undefined ? [] : [range.cancelledSince]),
    ],
  )
  const dealExtras = extraKeys(dealRows, DEAL_COLUMNS)
  const context = { reps: repsRead.reps, repIndex: repsRead.repIndex, plans }
  let dealCount = 0
  for (let i = 0; i < dealRows.length; i++)
    if (i === 0 || dealRows[i]?.id !== dealRows[i - 1]?.id) dealCount++
  const dealReader = readDeals('deals', issues, context, dealCount)
  dealReader.header([...DEAL_COLUMNS, ...dealExtras], 1)
  // One array of cells for every row: the readers copy what they keep.
  const cells: string[] = new Array<string>(DEAL_COLUMNS.length + dealExtras.length).fill('')
  let line = 1
  for (let i = 0; i < dealRows.length;) {
    const d = dealRows[i] as DealRow
    let shares = d.rep_id === null ? '' : `${d.rep_id}:${formatShare(d.share_micro ?? 0)}`
    for (i++; i < dealRows.length; i++) {
      const next = dealRows[i] as DealRow
      if (next.id !== d.id) break
      shares += `;${next.rep_id ?? ''}:${formatShare(next.share_micro ?? 0)}`
    }
    line++
    const tail = d.tail
    if (tail !== null) {
      // A comma in the id or a rep id makes one cell too many: the fast path declines the line.
      const text = `${d.id},${shares},${tail}`
      if (dealReader.fastRow?.(text, 0, text.length, line) === true) continue
      cutTail(cells, tail)
    } else {
      const c = d.cells ?? []
      cells[2] = c[0] ?? ''
      cells[3] = formatMinor(c[1] ?? '0', digits)
      cells[4] = formatMinor(c[2] ?? '0', digits)
      cells[5] = c[3] ?? ''
      cells[6] = c[4] ?? ''
      cells[7] = c[5] ?? ''
      cells[8] = c[6] ?? ''
    }
    cells[0] = d.id
    cells[1] = shares
    if (dealExtras.length > 0) putExtras(cells, DEAL_COLUMNS.length, d, dealExtras)
    dealReader.row(cells, line)
  }
  const deals = dealReader.finish()

  const activityRows =
    range?.activities === false
      ? []
      : await db.query<ActivityRow>(
          `select id, rep_id, kind, occurred_on, nullif(fields, '{}'::jsonb) as fields from activities
            where org_id = $1 and occurred_on >= $2 and occurred_on < $3
              and ($4::text[] is null or rep_id = any($4::text[])) order by id`,
          [orgId, lo, hi, range?.creditedTo ?? null],
        )
  const activityExtras = extraKeys(activityRows, ACTIVITY_COLUMNS)
  const activityReader = readActivities('activities', issues, repsRead.repIndex, activityRows.length)
  activityReader.header([...ACTIVITY_COLUMNS, ...activityExtras], 1)
  const activityCells: string[] = new Array<string>(ACTIVITY_COLUMNS.length + activityExtras.length).fill('')
  line = 1
  for (const a of activityRows) {
    activityCells[0] = a.id
    activityCells[1] = a.rep_id
    activityCells[2] = a.kind
    activityCells[3] = a.occurred_on
    if (activityExtras.length > 0) putExtras(activityCells, ACTIVITY_COLUMNS.length, a, activityExtras)
    activityReader.row(activityCells, ++line)
  }
  const activities = activityReader.finish()

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

/**
 * The bounds [lo, hi) of the stored date texts that can fall in a range. Dates are kept as written
 * (a date, or a date-time with its offset): a day of slack each side covers any offset; the engine
 * then places each one in its period in the plan's time zone.
 */
export function storedDateBounds(range: { readonly from: string; readonly to: string }): {
  lo: string
  hi: string
} {
  return { lo: dayAfter(range.from, -1), hi: dayAfter(range.to, 2) }
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

function fieldsOf(row: { fields?: unknown }): Record<string, unknown> {
  const f = row.fields
  if (f === null || f === undefined) return {}
  return typeof f === 'string' ? (JSON.parse(f) as Record<string, unknown>) : (f as Record<string, unknown>)
}

function extraKeys(rows: readonly { fields?: unknown }[], canonical: readonly string[]): string[] {
  const keys = new Set<string>()
  for (const row of rows) for (const k of Object.keys(fieldsOf(row))) if (!canonical.includes(k)) keys.add(k)
  return [...keys].sort()
}

function extras(row: Record<string, unknown>, keys: readonly string[]): string[] {
  const f = fieldsOf(row)
  return keys.map((k) => text(f[k]))
}

/** The row's fields under `keys` into cells from `at` on ('' when absent), as `text` writes them. */
function putExtras(cells: string[], at: number, row: { fields: unknown }, keys: readonly string[]): void {
  const f = fieldsOf(row)
  for (let k = 0; k < keys.length; k++) cells[at + k] = text(f[keys[k] as string])
}

/** SQL writing a bigint column of minor units ≥ 0 as formatMoney does with `digits` decimals. */
function sqlMoney(column: string, digits: number): string {
  if (!Number.isInteger(digits) || digits <= 0 || digits > 15) return `${column}::text`
  const unit = `1${'0'.repeat(digits)}`
  return `(${column} / ${unit})::text || '.' || lpad((${column} % ${unit})::text, ${digits}, '0')`
}

/** The 7 cells of a tail (that has exactly 6 commas) into cells 2 … 8. */
function cutTail(cells: string[], tail: string): void {
  let from = 0
  for (let k = 2; k < 8; k++) {
    const comma = tail.indexOf(',', from)
    cells[k] = tail.slice(from, comma)
    from = comma + 1
  }
  cells[8] = tail.slice(from)
}

/**
 * The text of a number of minor units as formatMoney writes it with `digits` decimals (digits
 * padded with zeros to one more than `digits`, the point set `digits` places from the right).
 */
function formatMinor(minor: string, digits: number): string {
  if (!Number.isInteger(digits) || digits < 0) return formatMoney(BigInt(minor), digits)
  if (digits === 0) return minor
  const neg = minor.charCodeAt(0) === 45
  const text = (neg ? minor.slice(1) : minor).padStart(digits + 1, '0')
  const cut = text.length - digits
  return (neg ? '-' : '') + text.slice(0, cut) + '.' + text.slice(cut)
}

/** Millionths of a deal as a percentage with at most 4 decimals (333300 → "33.33"). */
function formatShare(micro: number): string {
  if (micro === 1_000_000) return '100'
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
