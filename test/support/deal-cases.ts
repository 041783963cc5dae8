import fc from 'fast-check'
import { parseLocalDate } from '../../src/core/calendar/civil.ts'

/**
 * Generated deals for the engine's property tests: MRR, a day in one of the first `months` months
 * of 2026, an optional split with another rep, an optional cancellation `cancelAfterDays` later.
 */
export function dealCase(options: { months: number; maxCancelDays: number; cancelFreq: number }) {
  return fc.record({
    mrrCents: fc.integer({ min: 0, max: 900_000 }),
    month: fc.integer({ min: 0, max: options.months - 1 }),
    day: fc.integer({ min: 1, max: 28 }),
    split: fc.option(fc.integer({ min: 1, max: 9999 }), { nil: undefined }), // hundredths of a percent
    rep: fc.constantFrom('r1', 'r2', 'r3'),
    cancelAfterDays: fc.option(fc.integer({ min: 0, max: options.maxCancelDays }), {
      freq: options.cancelFreq,
      nil: undefined,
    }),
  })
}

export type DealCase = ReturnType<typeof dealCase> extends fc.Arbitrary<infer T> ? T : never

const percent = (hundredths: number): string =>
  `${Math.floor(hundredths / 100)}.${String(hundredths % 100).padStart(2, '0')}`

/** The deals file's rows (header first); ids `d0`, `d1`, … or zero-padded to `idWidth`. */
export function dealRows(list: readonly DealCase[], idWidth = 0): string[][] {
  return [
    ['id', 'rep', 'closed_on', 'mrr', 'cancelled_on'],
    ...list.map((d, i) => {
      const closed = `2026-${String(d.month + 1).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`
      const other = d.rep === 'r1' ? 'r2' : 'r1'
      const shares =
        d.split === undefined ? d.rep : `${d.rep}:${percent(d.split)};${other}:${percent(10000 - d.split)}`
      const closedDay = parseLocalDate(closed) ?? 0
      const cancelled =
        d.cancelAfterDays === undefined
          ? ''
          : new Date((closedDay + d.cancelAfterDays) * 86_400_000).toISOString().slice(0, 10)
      return [
        `d${String(i).padStart(idWidth, '0')}`,
        shares,
        closed,
        (d.mrrCents / 100).toFixed(2),
        cancelled,
      ]
    }),
  ]
}
