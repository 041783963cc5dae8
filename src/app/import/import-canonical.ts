import { formatLocalDate } from '../../core/calendar/civil.ts'
import { parseMoney } from '../../core/money/money.ts'
import type { RowReader } from '../../core/records/header.ts'
import { IssueCollector } from '../../core/records/issues.ts'
import { readActivities } from '../../core/records/read-activities.ts'
import { readDeals } from '../../core/records/read-deals.ts'
import { readQuotas } from '../../core/records/read-quotas.ts'
import { readReps } from '../../core/records/read-reps.ts'
import type { DealTable, InputIssue } from '../../core/records/records.ts'
import { loadRecords } from '../close/load-records.ts'
import { plansOfRecord } from '../close/plans-of-record.ts'
import type { Database, Queryable } from '../ports/sql.ts'
import { type Changes, upsertRecords } from './upsert-records.ts'

export type ImportKind = 'reps' | 'deals' | 'activities' | 'quotas'

/** A CSV file as records: the header first, each with the line it starts on. */
export interface CsvRows {
  readonly file: string
  readonly rows: readonly { readonly cells: readonly string[]; readonly line: number }[]
  /** Problems of the CSV itself (a cell count, a quote), already at their lines. */
  readonly issues: readonly InputIssue[]
}

export type ImportResult =
  | { readonly ok: false; readonly issues: InputIssue[]; readonly more: number }
  | { readonly ok: true; readonly changes: Changes; readonly preview: Record<string, string>[] }

/**
 * Imports a canonical CSV file (data-formats spec) into the system of record: checked whole
 * exactly as `calc` checks it, against the reps and published plans already stored; on any problem
 * nothing is stored and every problem is returned. Otherwise one transaction adds new rows,
 * updates changed ones with their history (who, when, before, after) and leaves unchanged rows be,
 * so importing the same file twice changes nothing. `preview` stores nothing.
 */
export async function importCanonical(
  db: Database,
  args: { orgId: string; kind: ImportKind; csv: CsvRows; actor: string; now: Date; preview?: boolean },
): Promise<ImportResult> {
  const issues = new IssueCollector(100)
  for (const i of args.csv.issues) issues.add(i.file, i.line, i.message)
  const plans = (await plansOfRecord(db, args.orgId)).map((p) => p.plan)
  const stored = await loadRecords(
    db,
    args.orgId,
    plans,
    formatLocalDate(Math.floor(args.now.getTime() / 86_400_000)),
  )
  if (!stored.ok) return { ok: false, issues: stored.issues, more: 0 }
  const { reps, repIndex } = stored.records
  const file = args.csv.file
  const n = args.csv.rows.length - 1
  let reader: RowReader<unknown>
  if (args.kind === 'reps') reader = readReps(file, issues)
  else if (args.kind === 'deals') reader = readDeals(file, issues, { reps, repIndex, plans }, n)
  else if (args.kind === 'activities') reader = readActivities(file, issues, repIndex, n)
  else reader = readQuotas(file, issues, { reps, repIndex, plans })
  args.csv.rows.forEach((r, i) => (i === 0 ? reader.header(r.cells, r.line) : reader.row(r.cells, r.line)))
  const read = reader.finish()
  if (issues.count > 0) return { ok: false, issues: issues.list(), more: issues.more }

  const header = (args.csv.rows[0]?.cells ?? []).map((h) =>
    h
      .replace(/^\uFEFF/, '')
      .trim()
      .toLowerCase(),
  )
  const records = args.csv.rows
    .slice(1)
    .map((r) => Object.fromEntries(header.map((h, i) => [h, (r.cells[i] ?? '').trim()])))
  const digits = plans[0]?.currency.digits ?? 2
  const repIds = reps.map((r) => r.id)
  const canonical = records.map((r, i) => canonicalRow(args.kind, r, digits, read, i, repIds))
  if (args.preview === true)
    return { ok: true, changes: { added: 0, changed: 0, unchanged: 0 }, preview: canonical.slice(0, 10) }
  const changes = await db.transaction((tx: Queryable) =>
    upsertRecords(tx, {
      orgId: args.orgId,
      kind: args.kind,
      rows: canonical,
      actor: args.actor,
      now: args.now,
      file,
    }),
  )
  return { ok: true, changes, preview: [] }
}

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

/** One row as it will be stored: canonical text, money in minor units, shares normalized. */
function canonicalRow(
  kind: ImportKind,
  r: Record<string, string>,
  digits: number,
  read: unknown,
  i: number,
  repIds: readonly string[],
): Record<string, string> {
  if (kind === 'reps') return { ...r, fields: JSON.stringify(r) }
  if (kind === 'quotas')
    return { rep: r.rep ?? '', period: r.period ?? '', metric: r.metric ?? '', amount: r.amount ?? '' }
  const extras = (known: string[]) =>
    JSON.stringify(Object.fromEntries(Object.entries(r).filter(([k]) => !known.includes(k))))
  if (kind === 'activities') {
    return {
      id: r.id ?? '',
      rep: r.rep ?? '',
      kind: r.kind ?? '',
      occurred_on: r.occurred_on ?? '',
      fields: extras(ACTIVITY_COLUMNS),
    }
  }
  const table = read as DealTable
  const shares: string[] = []
  for (let k = table.shareStart[i] as number; k < (table.shareStart[i + 1] as number); k++) {
    shares.push(`${repIds[table.shareRep[k] as number]}:${table.shareMicro[k]}`)
  }
  return {
    id: r.id ?? '',
    credits: shares.join(';'),
    closed_on: r.closed_on ?? '',
    amount_minor: String(parseMoney(r.amount || '0', digits) ?? 0n),
    mrr_minor: String(parseMoney(r.mrr || '0', digits) ?? 0n),
    type: r.type ?? '',
    customer: r.customer ?? '',
    term_months: r.term_months ?? '',
    cancelled_on: r.cancelled_on ?? '',
    fields: extras(DEAL_COLUMNS),
  }
}
