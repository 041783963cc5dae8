import { civilOf, epochDayOf } from './civil.ts'

export type PeriodKind = 'month' | 'quarter' | 'year'

/**
 * A calendar period as an integer index: months since year 0 for `month`, quarters for
 * `quarter`, the year for `year`. Consecutive periods have consecutive indexes.
 */
export function periodIndexOf(kind: PeriodKind, epochDay: number): number {
  const [y, m] = civilOf(epochDay)
  if (kind === 'month') return y * 12 + (m - 1)
  if (kind === 'quarter') return y * 4 + Math.floor((m - 1) / 3)
  return y
}

/** The first day (epoch day) of a period. */
export function periodStart(kind: PeriodKind, index: number): number {
  if (kind === 'month') return epochDayOf(Math.floor(index / 12), (index % 12) + 1, 1)
  if (kind === 'quarter') return epochDayOf(Math.floor(index / 4), (index % 4) * 3 + 1, 1)
  return epochDayOf(index, 1, 1)
}

/** The last day (epoch day) of a period, inclusive. */
export function periodEnd(kind: PeriodKind, index: number): number {
  return periodStart(kind, index + 1) - 1
}

/** The period's key: '2026-01', '2026-Q1' or '2026'. */
export function periodKey(kind: PeriodKind, index: number): string {
  if (kind === 'month') return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`
  if (kind === 'quarter') return `${Math.floor(index / 4)}-Q${(index % 4) + 1}`
  return String(index)
}

/** Reads a period key; null when it is not one. */
export function parsePeriodKey(text: string): { kind: PeriodKind; index: number } | null {
  let m = /^(\d{4})-(\d{2})$/.exec(text)
  if (m !== null) {
    const month = Number(m[2])
    if (month < 1 || month > 12) return null
    return { kind: 'month', index: Number(m[1]) * 12 + month - 1 }
  }
  m = /^(\d{4})-Q([1-4])$/.exec(text)
  if (m !== null) return { kind: 'quarter', index: Number(m[1]) * 4 + Number(m[2]) - 1 }
  m = /^(\d{4})$/.exec(text)
  if (m !== null) return { kind: 'year', index: Number(m[1]) }
  return null
}
