import { describe, expect, it } from 'vitest'
import { planFrom, recordsFrom } from '../../../test/support/records.ts'
import { formatLocalDate, parseLocalDate } from '../calendar/civil.ts'
import { ZoneCalendar } from '../calendar/instant.ts'
import { NO_DAY } from '../records/records.ts'
import { recordsAsOf } from './records-as-of.ts'

const plan = planFrom(`version: 1
id: ae
name: AE
currency: USD
period: month
timezone: America/Chicago
metrics:
  new_mrr: { sum: mrr }
commissions:
  - { id: mrr, on: new_mrr, rate: 10% }
`)

const records = recordsFrom(
  [plan],
  [
    ['id', 'name', 'email', 'manager', 'team', 'plan', 'hired_on', 'left_on'],
    ['r1', '', '', '', '', 'ae', '', ''],
    ['r2', '', '', '', '', 'ae', '', ''],
  ],
  [
    ['id', 'rep', 'closed_on', 'amount', 'mrr', 'type', 'customer', 'term_months', 'cancelled_on'],
    // Mar 13 23:30 CDT: the 13th in Chicago, the 14th in UTC
    ['d1', 'r1:50;r2:50', '2026-03-14T04:30:00Z', '0', '100', 'managed', 'c', '', ''],
    ['d2', 'r2', '2026-03-02', '0', '200', 'managed', 'c', '', '2026-03-20'],
    ['d3', 'r1', '2026-03-14', '0', '300', 'managed', 'c', '', ''],
  ],
)

const day = (text: string) => parseLocalDate(text) as number
const zone = new ZoneCalendar('America/Chicago')

describe('recordsAsOf', () => {
  it('keeps the deals closed by the end of the date in the zone, with their credits', () => {
    const out = recordsAsOf(records, day('2026-03-13'), zone)
    expect(out.deals.id).toEqual(['d1', 'd2'])
    expect([...out.deals.shareStart]).toEqual([0, 2, 3])
    expect([...out.deals.shareMicro]).toEqual([500000, 500000, 1000000])
    expect([...out.deals.mrrMinor]).toEqual([10000, 20000])
  })

  it('treats a cancellation after the date as not yet made', () => {
    const before = recordsAsOf(records, day('2026-03-19'), zone)
    expect(before.deals.cancelledDay[1]).toBe(NO_DAY)
    const after = recordsAsOf(records, day('2026-03-20'), zone)
    expect(formatLocalDate(after.deals.cancelledDay[1] as number)).toBe('2026-03-20')
    expect(after.deals).toBe(records.deals) // nothing to leave out: the same table
  })
})
