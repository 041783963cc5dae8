import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { calculateFollowThrough, groupFollowThrough, inTrailingMonths } from './follow-through-figures.ts'
import { isMiss, type OutcomeItem, statusOn } from './outcome-item.ts'
import { listUnenforcedMisses } from './unenforced-misses.ts'

function item(over: Partial<OutcomeItem> & Pick<OutcomeItem, 'id'>): OutcomeItem {
  return {
    period: '2026-01',
    periodEnd: '2026-01-31',
    rep: 'r1',
    manager: 'm1',
    team: 'North',
    rule: 'warn',
    effects: ['warning'],
    state: 'due',
    dueOn: '2026-02-08',
    appliedOn: null,
    waivedOn: null,
    moneyStatedMinor: 0n,
    moneyAppliedMinor: 0n,
    ...over,
  }
}

const items: OutcomeItem[] = [
  item({ id: 'a', state: 'applied', appliedOn: '2026-02-05' }), // on time
  item({ id: 'b', state: 'applied', appliedOn: '2026-02-08' }), // on time (on the due date)
  item({ id: 'c', state: 'applied', appliedOn: '2026-02-10', rep: 'r2' }), // late
  item({ id: 'd', state: 'waived', waivedOn: '2026-02-03', rep: 'r3', manager: 'm2', team: 'South' }),
  item({ id: 'e', state: 'overdue', rep: 'r4', manager: 'm2', team: 'South' }),
  item({ id: 'f', state: 'due', dueOn: '2026-02-20', rep: 'r5' }), // pending on 2026-02-15
  item({
    id: 'g',
    rule: 'bonus',
    effects: ['bonus', 'pto_days'],
    state: 'applied',
    appliedOn: '2026-02-01',
    moneyStatedMinor: 50000n,
    moneyAppliedMinor: 50000n,
  }),
  item({
    id: 'i',
    rule: 'bonus',
    effects: ['bonus'],
    state: 'applied',
    appliedOn: '2026-02-01',
    moneyStatedMinor: 20000n,
    moneyAppliedMinor: 0n,
  }), // money only: not counted, its money is
  item({ id: 'h', rule: 'pto', effects: ['pto_days'], state: 'due', dueOn: '2026-02-08', rep: 'r6' }), // overdue by date
]

describe('calculateFollowThrough', () => {
  it('counts each state and the rate applied / due on a date', () => {
    const f = calculateFollowThrough(items, '2026-02-15')
    // due = a b c d e g h (7); applied = a b g on time, c late; waived d; overdue e h; pending f
    expect(f).toEqual({
      due: 7,
      appliedOnTime: 3,
      appliedLate: 1,
      waived: 1,
      overdue: 2,
      pending: 1,
      rate: { numerator: 4, denominator: 7 },
      moneyStatedMinor: 70000n,
      moneyAppliedMinor: 50000n,
    })
  })

  it('sees an outcome applied later as not yet applied on an earlier date', () => {
    const f = calculateFollowThrough([items[2] as OutcomeItem], '2026-02-09')
    expect([f.overdue, f.appliedLate, f.rate]).toEqual([1, 0, { numerator: 0, denominator: 1 }])
    expect(calculateFollowThrough([items[5] as OutcomeItem], '2026-02-15').rate).toBeNull()
  })

  it('keeps due = on time + late + waived + overdue and counts every outcome once', () => {
    const states = ['due', 'applied', 'waived', 'overdue'] as const
    const date = fc.integer({ min: 1, max: 28 }).map((d) => `2026-02-${String(d).padStart(2, '0')}`)
    fc.assert(
      fc.property(
        fc.array(fc.record({ state: fc.constantFrom(...states), due: date, at: date, asOf: date }), {
          maxLength: 30,
        }),
        date,
        (rows, asOf) => {
          const list = rows.map((r, i) =>
            item({
              id: String(i),
              state: r.state,
              dueOn: r.due,
              appliedOn: r.state === 'applied' ? r.at : null,
              waivedOn: r.state === 'waived' ? r.at : null,
            }),
          )
          const f = calculateFollowThrough(list, asOf)
          return (
            f.due === f.appliedOnTime + f.appliedLate + f.waived + f.overdue &&
            f.due + f.pending === list.length &&
            (f.rate === null ? f.due === 0 : f.rate.numerator <= f.rate.denominator)
          )
        },
      ),
    )
  })
})

describe('groupFollowThrough', () => {
  it('groups by manager, team and period', () => {
    const byManager = groupFollowThrough(items, 'manager', '2026-02-15')
    expect(byManager.map((g) => [g.group, g.figures.due, g.figures.rate])).toEqual([
      ['m1', 5, { numerator: 4, denominator: 5 }],
      ['m2', 2, { numerator: 0, denominator: 2 }],
    ])
    expect(groupFollowThrough(items, 'team', '2026-02-15').map((g) => g.group)).toEqual(['North', 'South'])
    expect(groupFollowThrough(items, 'company', '2026-02-15')[0]?.figures.due).toBe(7)
  })
})

describe('listUnenforcedMisses', () => {
  it('lists waived and overdue consequences only', () => {
    const misses = listUnenforcedMisses(items, '2026-02-15')
    // d waived, e overdue (warnings); h is overdue but PTO is no consequence
    expect(misses.map((m) => [m.item.id, m.status])).toEqual([
      ['d', 'waived'],
      ['e', 'overdue'],
    ])
    expect(isMiss({ effects: ['bonus', 'forfeit'] })).toBe(true)
    expect(statusOn(items[5] as OutcomeItem, '2026-02-21')).toBe('overdue')
  })
})

describe('inTrailingMonths', () => {
  it.each([
    { end: '2026-04-30', asOf: '2026-05-01', months: 6, inside: true },
    { end: '2025-11-30', asOf: '2026-05-01', months: 6, inside: true }, // 2025-11-01 < 11-30
    { end: '2025-10-31', asOf: '2026-05-01', months: 6, inside: false },
    { end: '2026-05-31', asOf: '2026-05-01', months: 6, inside: false }, // not ended yet
    { end: '2025-12-31', asOf: '2026-12-31', months: 12, inside: false }, // exactly 12 months before
    { end: '2026-01-31', asOf: '2026-12-31', months: 12, inside: true },
    { end: '2026-02-28', asOf: '2026-03-31', months: 1, inside: false }, // Mar 31 − 1 month = Feb 28
  ])('$end is inside the $months months to $asOf: $inside', ({ end, asOf, months, inside }) => {
    expect(inTrailingMonths(end, asOf, months)).toBe(inside)
  })
})
