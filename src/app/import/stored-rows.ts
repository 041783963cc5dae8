import { CANONICAL_COLUMNS, type ImportKind } from '../../core/imports/mapping.ts'
import { parseMoneyCell, parseShare } from '../../core/records/cells.ts'
import type { RowReader } from '../../core/records/header.ts'

/** A canonical row as the database holds it, each value as text (null for NULL). */
export interface StoredRow {
  /** The primary key after org_id, in the table's key order. */
  readonly key: readonly string[]
  readonly values: Readonly<Record<string, string | null>>
}

/**
 * Rows of one kind as the database stores them, column by column: each array is one unnest
 * parameter of the statement that stores the batch (no object per row, no per-row parameters).
 */
export interface StoredBatch {
  readonly kind: ImportKind
  length: number
  /** The primary key after org_id, column by column, in the table's key order. */
  readonly keys: string[][]
  /** Each stored column's values by column name, as text; null for NULL. */
  readonly columns: Record<string, (string | null)[]>
  /**
   * Deals: one entry per rep share of a deal (its id, the rep, the share in millionths), and per
   * deal its credits as compared with the stored ones (`rep:millionths` sorted by rep, ';').
   */
  readonly credits: {
    readonly deal: string[]
    readonly rep: string[]
    readonly micro: number[]
    readonly key: string[]
  }
}

const WHOLE_SHARE = 1_000_000

/** The stored columns of each kind, in the order of the table (see TABLES in upsert-rows.ts). */
export const STORED_COLUMNS: Readonly<Record<ImportKind, readonly string[]>> = {
  reps: ['name', 'email', 'team', 'manager', 'plan', 'hired_on', 'left_on', 'fields'],
  deals: [
    'closed_on',
    'amount_minor',
    'mrr_minor',
    'type',
    'customer',
    'term_months',
    'cancelled_on',
    'fields',
  ],
  activities: ['rep_id', 'kind', 'occurred_on', 'fields'],
  quotas: ['amount'],
}

const KEY_COLUMNS: Readonly<Record<ImportKind, number>> = { reps: 1, deals: 1, activities: 1, quotas: 3 }

function emptyBatch(kind: ImportKind): StoredBatch {
  const columns: Record<string, (string | null)[]> = {}
  for (const name of STORED_COLUMNS[kind]) columns[name] = []
  return {
    kind,
    length: 0,
    keys: Array.from({ length: KEY_COLUMNS[kind] }, () => []),
    columns,
    credits: { deal: [], rep: [], micro: [], key: [] },
  }
}

/** The rows of a batch one by one (reps, to put them on their plans). */
export function rowsOf(batch: StoredBatch): StoredRow[] {
  const names = Object.keys(batch.columns)
  return Array.from({ length: batch.length }, (_, i) => ({
    key: batch.keys.map((k) => k[i] ?? ''),
    values: Object.fromEntries(names.map((n) => [n, batch.columns[n]?.[i] ?? null])),
  }))
}

/** A cell, trimmed; '' when the column is absent (index -1). */
function cellAt(cells: readonly string[], index: number): string {
  return index < 0 ? '' : (cells[index] ?? '').trim()
}

/** A cell, trimmed; null when empty or absent. */
function orNull(cells: readonly string[], index: number): string | null {
  return cellAt(cells, index) || null
}

/**
 * Turns canonical rows (already checked whole by the core reader of their kind) into batches of
 * `batchRows` rows as the database stores them: money in minor units of a currency with `digits`
 * minor digits, dates as written, empty optional cells as NULL, extra columns in `fields` as a
 * JSON object (reps: every column, as CEL's rep.* sees them). Each full batch, then the last one,
 * goes to `onBatch`. Throws on a cell the check would have refused: the file changed in between.
 */
export function storedRowReader(
  kind: ImportKind,
  digits: number,
  batchRows: number,
  onBatch: (batch: StoredBatch) => void,
): RowReader<void> {
  const known = CANONICAL_COLUMNS[kind].all
  let index = (_name: string): number => -1
  // `fields`: the JSON key of each extra column (its first occurrence), sorted by name.
  let extras: (readonly [number, string])[] = []
  let batch = emptyBatch(kind)

  const fields = (cells: readonly string[]): string => {
    if (extras.length === 0) return '{}'
    let json = '{'
    for (const [i, key] of extras)
      json += `${json.length > 1 ? ',' : ''}${key}:${JSON.stringify(cellAt(cells, i))}`
    return `${json}}`
  }

  let fill: (cells: readonly string[], b: StoredBatch) => void = () => {}
  const fills = (): typeof fill => {
    const at = Object.fromEntries([...known, 'id', 'rep'].map((n) => [n, index(n)]))
    const ix = (name: string): number => at[name] ?? -1
    if (kind === 'reps') {
      const [id, name, email, team, manager, plan, hired, left] = [
        'id',
        'name',
        'email',
        'team',
        'manager',
        'plan',
        'hired_on',
        'left_on',
      ].map(ix) as [number, number, number, number, number, number, number, number]
      return (cells, b) => {
        const c = b.columns
        b.keys[0]?.push(cellAt(cells, id))
        c.name?.push(cellAt(cells, name))
        c.email?.push(cellAt(cells, email))
        c.team?.push(cellAt(cells, team))
        c.manager?.push(orNull(cells, manager))
        c.plan?.push(orNull(cells, plan))
        c.hired_on?.push(orNull(cells, hired))
        c.left_on?.push(orNull(cells, left))
        c.fields?.push(fields(cells))
      }
    }
    if (kind === 'deals') {
      const [id, rep, closed, amount, mrr, type, customer, term, cancelled] = [
        'id',
        'rep',
        'closed_on',
        'amount',
        'mrr',
        'type',
        'customer',
        'term_months',
        'cancelled_on',
      ].map(ix) as [number, number, number, number, number, number, number, number, number]
      return (cells, b) => {
        const c = b.columns
        const dealId = cellAt(cells, id)
        b.keys[0]?.push(dealId)
        c.closed_on?.push(cellAt(cells, closed))
        c.amount_minor?.push(minor('amount', cellAt(cells, amount), digits))
        c.mrr_minor?.push(minor('mrr', cellAt(cells, mrr), digits))
        c.type?.push(cellAt(cells, type))
        c.customer?.push(cellAt(cells, customer))
        const months = cellAt(cells, term)
        c.term_months?.push(months === '' ? null : String(Number(months)))
        c.cancelled_on?.push(orNull(cells, cancelled))
        c.fields?.push(fields(cells))
        pushShares(b.credits, dealId, cellAt(cells, rep))
      }
    }
    if (kind === 'activities') {
      const [id, rep, what, occurred] = ['id', 'rep', 'kind', 'occurred_on'].map(ix) as [
        number,
        number,
        number,
        number,
      ]
      return (cells, b) => {
        b.keys[0]?.push(cellAt(cells, id))
        b.columns.rep_id?.push(cellAt(cells, rep))
        b.columns.kind?.push(cellAt(cells, what))
        b.columns.occurred_on?.push(cellAt(cells, occurred))
        b.columns.fields?.push(fields(cells))
      }
    }
    const [rep, period, metric, amount] = ['rep', 'period', 'metric', 'amount'].map(ix) as [
      number,
      number,
      number,
      number,
    ]
    return (cells, b) => {
      b.keys[0]?.push(cellAt(cells, rep))
      b.keys[1]?.push(cellAt(cells, period))
      b.keys[2]?.push(cellAt(cells, metric))
      b.columns.amount?.push(cellAt(cells, amount))
    }
  }

  return {
    header(cells) {
      const names = cells.map((c) =>
        c
          .replace(/^\uFEFF/, '')
          .trim()
          .toLowerCase(),
      )
      const first = new Map<string, number>()
      names.forEach((n, i) => n !== '' && !first.has(n) && first.set(n, i))
      index = (name) => first.get(name) ?? -1
      extras = [...first]
        .filter(([n]) => kind === 'reps' || !known.includes(n))
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([n, i]) => [i, JSON.stringify(n)] as const)
      fill = fills()
    },
    row(cells) {
      fill(cells, batch)
      if (++batch.length >= batchRows) {
        onBatch(batch)
        batch = emptyBatch(kind)
      }
    },
    finish() {
      if (batch.length > 0) onBatch(batch)
      batch = emptyBatch(kind)
    },
  }
}

function minor(column: string, text: string, digits: number): string {
  if (text === '') return '0'
  const value = parseMoneyCell(column, text, { digits, code: null })
  if (typeof value === 'string') throw new Error(`changed since it was checked: ${value}`)
  return String(value)
}

function pushShares(credits: StoredBatch['credits'], deal: string, text: string): void {
  if (!text.includes(':') && !text.includes(';')) {
    credits.deal.push(deal)
    credits.rep.push(text)
    credits.micro.push(WHOLE_SHARE)
    credits.key.push(`${text}:${WHOLE_SHARE}`)
    return
  }
  const shares = text.split(';').map((part) => {
    const share = parseShare(part.trim(), text)
    if (typeof share === 'string') throw new Error(`changed since it was checked: ${share}`)
    credits.deal.push(deal)
    credits.rep.push(share.rep)
    credits.micro.push(share.micro)
    return share
  })
  // Sorted as PostgreSQL sorts with collate "C": by UTF-8 bytes.
  shares.sort((a, b) => Buffer.compare(Buffer.from(a.rep), Buffer.from(b.rep)))
  credits.key.push(shares.map((s) => `${s.rep}:${s.micro}`).join(';'))
}
