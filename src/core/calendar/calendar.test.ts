import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { civilOf, epochDayOf, formatLocalDate, parseLocalDate } from './civil.ts'
import { parseDateOrInstant, ZoneCalendar } from './instant.ts'
import { parsePeriodKey, periodEnd, periodIndexOf, periodKey, periodStart } from './period.ts'

describe('epochDayOf', () => {
  it('round-trips civil dates', () => {
    fc.assert(
      fc.property(fc.integer({ min: -200_000, max: 200_000 }), (day) => {
        const [y, m, d] = civilOf(day)
        return epochDayOf(y, m, d) === day
      }),
    )
  })

  it('rejects dates that do not exist', () => {
    expect(parseLocalDate('2026-02-29')).toBeNull()
    expect(parseLocalDate('2028-02-29')).not.toBeNull()
    expect(parseLocalDate('2026-13-01')).toBeNull()
    expect(parseLocalDate('2026-1-01')).toBeNull()
    expect(formatLocalDate(parseLocalDate('2026-12-31') ?? 0)).toBe('2026-12-31')
  })
})

describe('periods', () => {
  it('keys months, quarters and years and bounds them', () => {
    const day = parseLocalDate('2026-05-17') ?? 0
    expect(periodKey('month', periodIndexOf('month', day))).toBe('2026-05')
    expect(periodKey('quarter', periodIndexOf('quarter', day))).toBe('2026-Q2')
    expect(periodKey('year', periodIndexOf('year', day))).toBe('2026')
    const q = parsePeriodKey('2026-Q1')
    expect(q).toEqual({ kind: 'quarter', index: 2026 * 4 })
    expect(formatLocalDate(periodEnd('quarter', q?.index ?? 0))).toBe('2026-03-31')
    expect(formatLocalDate(periodStart('month', parsePeriodKey('2026-02')?.index ?? 0))).toBe('2026-02-01')
    expect(parsePeriodKey('2026-13')).toBeNull()
  })
})

describe('ZoneCalendar', () => {
  it('puts a date-time with an offset in the local period of the plan time zone near midnight', () => {
    // 2026-02-01T03:30Z is still 2026-01-31 21:30 in Chicago (UTC−6)
    const chicago = new ZoneCalendar('America/Chicago')
    const v = parseDateOrInstant('2026-02-01T03:30:00Z')
    expect(v).not.toBeNull()
    expect(formatLocalDate(chicago.dayOf(v ?? { day: 0 }))).toBe('2026-01-31')
    expect(formatLocalDate(new ZoneCalendar('UTC').dayOf(v ?? { day: 0 }))).toBe('2026-02-01')
    // 23:30 in Chicago on Jan 31 written with its own offset
    expect(
      formatLocalDate(chicago.dayOf(parseDateOrInstant('2026-01-31T23:30:00-06:00') ?? { day: 0 })),
    ).toBe('2026-01-31')
  })

  it('handles the day a zone changes its offset', () => {
    // DST starts 2026-03-08 02:00 in Chicago: 07:59Z is 01:59 CST, 08:00Z is 03:00 CDT, both on the 8th
    const chicago = new ZoneCalendar('America/Chicago')
    expect(formatLocalDate(chicago.localDay(Date.UTC(2026, 2, 8, 5, 30)))).toBe('2026-03-07')
    expect(formatLocalDate(chicago.localDay(Date.UTC(2026, 2, 8, 6, 0)))).toBe('2026-03-08')
    expect(chicago.startOfDay(parseLocalDate('2026-03-08') ?? 0)).toBe(Date.UTC(2026, 2, 8, 6, 0))
  })

  it('refuses a date-time without an offset', () => {
    expect(parseDateOrInstant('2026-01-31T23:30:00')).toBeNull()
    expect(parseDateOrInstant('2026-01-31T23:30:00+05:30')).toEqual({ ms: Date.UTC(2026, 0, 31, 18, 0) })
  })
})
