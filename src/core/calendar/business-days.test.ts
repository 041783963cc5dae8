import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { businessDayProgress, countBusinessDays, localDayOf, weekdayOf } from './business-days.ts'
import { formatLocalDate, parseLocalDate } from './civil.ts'

const day = (text: string): number => {
  const d = parseLocalDate(text)
  if (d === null) throw new Error(text)
  return d
}

describe('weekdayOf', () => {
  it('names Monday 0 and Sunday 6', () => {
    expect(weekdayOf(day('2026-01-05'))).toBe(0) // a Monday
    expect(weekdayOf(day('2026-01-31'))).toBe(5) // a Saturday
    expect(weekdayOf(day('2026-03-08'))).toBe(6) // a Sunday
  })
})

describe('countBusinessDays', () => {
  it.each([
    // January 2026: Thu 1 … Sat 31; 22 weekdays
    { from: '2026-01-01', to: '2026-01-31', days: 22 },
    // February 2026: Sun 1 … Sat 28; 20 weekdays
    { from: '2026-02-01', to: '2026-02-28', days: 20 },
    // March 2026 (DST starts Sun 8 in Chicago): Sun 1 … Tue 31; 22 weekdays
    { from: '2026-03-01', to: '2026-03-31', days: 22 },
    { from: '2026-01-03', to: '2026-01-04', days: 0 }, // a weekend
    { from: '2026-01-09', to: '2026-01-12', days: 2 }, // Fri, Mon
    { from: '2026-01-12', to: '2026-01-11', days: 0 },
    // 2026-Q1: 22 + 20 + 22
    { from: '2026-01-01', to: '2026-03-31', days: 64 },
  ])('counts $days from $from to $to', ({ from, to, days }) => {
    expect(countBusinessDays(day(from), day(to))).toBe(days)
  })

  it('equals a day-by-day count', () => {
    fc.assert(
      fc.property(fc.integer({ min: -5000, max: 30000 }), fc.integer({ min: 0, max: 60 }), (from, len) => {
        let slow = 0
        for (let d = from; d <= from + len; d++) if (weekdayOf(d) < 5) slow++
        return countBusinessDays(from, from + len) === slow
      }),
    )
  })
})

describe('businessDayProgress', () => {
  it('stops at the period end', () => {
    expect(businessDayProgress(day('2026-01-01'), day('2026-01-31'), day('2026-02-10'))).toEqual({
      elapsed: 22,
      total: 22,
    })
    expect(businessDayProgress(day('2026-01-01'), day('2026-01-31'), day('2026-01-14'))).toEqual({
      elapsed: 10, // Thu 1, Fri 2, 5–9, 12–14
      total: 22,
    })
  })
})

describe('localDayOf', () => {
  it('converts instants around the spring DST change in Chicago', () => {
    // 2026-03-08 08:00Z is 03:00 CDT (clocks went from 02:00 CST to 03:00 CDT)
    expect(formatLocalDate(localDayOf(Date.parse('2026-03-08T05:59:00Z'), 'America/Chicago'))).toBe(
      '2026-03-07',
    )
    expect(formatLocalDate(localDayOf(Date.parse('2026-03-08T06:00:00Z'), 'America/Chicago'))).toBe(
      '2026-03-08',
    )
    // after the change, midnight is 05:00Z
    expect(formatLocalDate(localDayOf(Date.parse('2026-03-10T04:59:00Z'), 'America/Chicago'))).toBe(
      '2026-03-09',
    )
    expect(formatLocalDate(localDayOf(Date.parse('2026-03-10T05:00:00Z'), 'America/Chicago'))).toBe(
      '2026-03-10',
    )
  })

  it('puts the last evening of a month in that month', () => {
    // 2026-01-31 23:30 CST is 2026-02-01 05:30Z
    expect(formatLocalDate(localDayOf(Date.parse('2026-02-01T05:30:00Z'), 'America/Chicago'))).toBe(
      '2026-01-31',
    )
  })
})
