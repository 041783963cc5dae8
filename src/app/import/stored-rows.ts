import { CANONICAL_COLUMNS, type ImportKind } from '../../core/imports/mapping.ts'
import { parseMoneyCell, parseShare } from '../../core/records/cells.ts'
import type { RowReader } from '../../core/records/header.ts'

/** A canonical row as the database holds it, each value as text (null for NULL). */
export interface StoredRow {
  /** The primary key after org_id, in the table's key order. */
  readonly key: readonly string[]
  readonly values: Readonly<Record<string, string | null>>
  /** A deal's credits, compared with the row: shares by rep id in millionths, and as text. */
  readonly credits?: { readonly text: string; readonly shares: readonly (readonly [string, number])[] }
}

const WHOLE_SHARE = 1_000_000

/** A JSON text with keys sorted: equal objects give equal texts. */
export function stableJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value)
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
    a < b ? -1 : a > b ? 1 : 0,
  )
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`
}

/** Millionths of a deal as a percentage with at most 4 decimals (333300 → "33.33"). */
export function formatShareMicro(micro: number): string {
  const whole = Math.floor(micro / 10_000)
  const frac = String(micro % 10_000)
    .padStart(4, '0')
    .replace(/0+$/, '')
  return frac === '' ? String(whole) : `${whole}.${frac}`
}

/** Credits as compared: `rep:percent` by rep id, joined with ';'. */
export function creditsText(shares: readonly (readonly [string, number])[]): string {
  return [...shares]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([rep, micro]) => `${rep}:${formatShareMicro(micro)}`)
    .join(';')
}

/** A decimal's text without trailing zeros after the point ("4000.50" → "4000.5", "12.00" → "12"). */
export function normalizeDecimal(text: string): string {
  const t = text.startsWith('+') ? text.slice(1) : text
  const trimmed = t.includes('.') ? t.replace(/0+$/, '').replace(/\.$/, '') : t
  return trimmed.replace(/^(-?)0+(?=\d)/, '$1')
}

/**
 * Turns canonical rows (already checked whole by the core reader of their kind) into the rows
 * the database stores: money in minor units of a currency with `digits` minor digits, dates as
 * written, empty optional cells as NULL, extra columns in `fields` (reps: every column, as CEL's
 * rep.* sees them). Throws on a cell the check would have refused: the file changed in between.
 */
export function storedRowReader(
  kind: ImportKind,
  digits: number,
  push: (row: StoredRow) => void,
): RowReader<void> {
  const known = CANONICAL_COLUMNS[kind].all
  let names: string[] = []
  let at = new Map<string, number>()
  return {
    header(cells) {
      names = cells.map((c) =>
        c
          .replace(/^\uFEFF/, '')
          .trim()
          .toLowerCase(),
      )
      at = new Map(
        names
          .map((n, i) => [n, i] as const)
          .filter(([n]) => n !== '')
          .reverse(),
      )
    },
    row(cells) {
      const cell = (name: string): string => {
        const i = at.get(name)
        return i === undefined ? '' : (cells[i] ?? '').trim()
      }
      const orNull = (name: string): string | null => cell(name) || null
      const fields = (all: boolean): string => {
        const out: Record<string, string> = {}
        names.forEach((n, i) => {
          if (n !== '' && (all || !known.includes(n)) && at.get(n) === i) out[n] = (cells[i] ?? '').trim()
        })
        return stableJson(out)
      }
      if (kind === 'reps') {
        push({
          key: [cell('id')],
          values: {
            name: cell('name'),
            email: cell('email'),
            team: cell('team'),
            manager: orNull('manager'),
            plan: orNull('plan'),
            hired_on: orNull('hired_on'),
            left_on: orNull('left_on'),
            fields: fields(true),
          },
        })
      } else if (kind === 'deals') {
        const shares = readShares(cell('rep'))
        push({
          key: [cell('id')],
          values: {
            closed_on: cell('closed_on'),
            amount_minor: minor('amount', cell('amount'), digits),
            mrr_minor: minor('mrr', cell('mrr'), digits),
            type: cell('type'),
            customer: cell('customer'),
            term_months: orNull('term_months') === null ? null : String(Number(cell('term_months'))),
            cancelled_on: orNull('cancelled_on'),
            fields: fields(false),
          },
          credits: { text: creditsText(shares), shares },
        })
      } else if (kind === 'activities') {
        push({
          key: [cell('id')],
          values: {
            rep_id: cell('rep'),
            kind: cell('kind'),
            occurred_on: cell('occurred_on'),
            fields: fields(false),
          },
        })
      } else {
        push({
          key: [cell('rep'), cell('period'), cell('metric')],
          values: { amount: normalizeDecimal(cell('amount')) },
        })
      }
    },
    finish() {},
  }
}

function minor(column: string, text: string, digits: number): string {
  if (text === '') return '0'
  const value = parseMoneyCell(column, text, { digits, code: null })
  if (typeof value === 'string') throw new Error(`changed since it was checked: ${value}`)
  return String(value)
}

function readShares(text: string): [string, number][] {
  if (!text.includes(':') && !text.includes(';')) return [[text, WHOLE_SHARE]]
  return text.split(';').map((part) => {
    const share = parseShare(part.trim(), text)
    if (typeof share === 'string') throw new Error(`changed since it was checked: ${share}`)
    return [share.rep, share.micro]
  })
}
