import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseLocalDate } from '../../src/core/calendar/civil.ts'
import { runEngine } from '../../src/core/engine/run-engine.ts'
import { add, ratio, type Rational } from '../../src/core/money/rational.ts'
import { dealCase, dealRows } from '../support/deal-cases.ts'
import { planFrom, recordsFrom } from '../support/records.ts'

const range = { from: parseLocalDate('2026-01-01') ?? 0, to: parseLocalDate('2026-06-30') ?? 0 }
const months = ['01', '02', '03', '04', '05', '06']

function planYaml(
  draw: 'none' | 'recoverable' | 'fixed',
  gate: boolean,
  cap: boolean,
  forfeit: boolean,
): string {
  return `version: 1
id: ae
currency: USD
period: month
metrics:
  new_mrr: { sum: mrr }
  deals: { count: deals }
quotas: { new_mrr: 3000 }
commissions:
  - id: mrr
    on: new_mrr
    tiers: [{ to: 100%, rate: 80% }, { to: 150%, rate: 120% }, { rate: 150% }]
    ${gate ? 'gate: 40%' : ''}
    ${cap ? 'cap: 4000' : ''}
    clawback: 60
spiffs:
  - { id: every-deal, amount: 25.55 }
rules:
  - { id: bonus, when: attainment.new_mrr >= 1.0, then: { bonus: 300 } }
  ${forfeit ? "- { id: forfeit, when: 'attainment.new_mrr < 0.6', then: { forfeit: all } }" : ''}
${draw === 'none' ? '' : `draw: { amount: 1000, recoverable: ${draw === 'recoverable'} }`}
`
}

const deal = dealCase({ months: months.length, maxCancelDays: 120, cancelFreq: 4 })

const reps = [
  ['id', 'plan', 'hired_on', 'left_on'],
  ['r1', 'ae', '', ''],
  ['r2', 'ae', '2026-02-10', ''],
  ['r3', 'ae', '', '2026-04-20'],
]

describe('runEngine invariants', () => {
  it('never pays a negative amount, and with recoverable draws or none pays exactly what was earned plus what is still owed', () => {
    fc.assert(
      fc.property(
        fc.array(deal, { maxLength: 40 }),
        fc.constantFrom('none', 'recoverable', 'fixed'),
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        (deals, draw, gate, cap, forfeit) => {
          const plan = planFrom(planYaml(draw as 'none', gate, cap, forfeit))
          const result = runEngine([plan], recordsFrom([plan], reps, dealRows(deals)), range)
          const totals = new Map<string, { payout: bigint; earned: bigint; balance: bigint }>()
          for (const period of result.plans[0]?.periods ?? []) {
            for (const r of period.reps) {
              expect(r.payoutMinor >= 0n).toBe(true)
              expect(r.balanceMinor >= 0n).toBe(true)
              const t = totals.get(r.rep) ?? { payout: 0n, earned: 0n, balance: 0n }
              t.payout += r.payoutMinor
              for (const l of r.lines) {
                if (['commission', 'spiff', 'bonus', 'clawback'].includes(l.kind)) t.earned += l.amountMinor
                // forfeited plus paid is what would have been paid: neither is ever negative
                expect(l.forfeitedMinor >= 0n && l.cappedMinor >= 0n).toBe(true)
              }
              t.balance = r.balanceMinor
              totals.set(r.rep, t)
            }
          }
          if (draw !== 'fixed') {
            for (const t of totals.values()) expect(t.payout).toBe(t.earned + t.balance)
          }
        },
      ),
      { numRuns: 60 },
    )
  })

  it('never changes the sum of credited values by splitting a deal among reps', () => {
    fc.assert(
      fc.property(fc.array(deal, { minLength: 1, maxLength: 30 }), (deals) => {
        // everyone employed all along, no cancellations: every credit is counted once
        const plan = planFrom(planYaml('none', false, false, false))
        const allIn = reps.map((r, i) => (i === 0 ? r : [r[0] ?? '', 'ae', '', '']))
        const plain = deals.map((d) => ({ ...d, cancelAfterDays: undefined }))
        const result = runEngine([plan], recordsFrom([plan], allIn, dealRows(plain)), range)
        let credited: Rational = ratio(0n)
        let counted: Rational = ratio(0n)
        for (const period of result.plans[0]?.periods ?? []) {
          for (const r of period.reps) {
            credited = add(credited, r.metrics[0]?.value ?? ratio(0n))
            counted = add(counted, r.metrics[1]?.value ?? ratio(0n))
          }
        }
        const total = plain.reduce((s, d) => s + BigInt(d.mrrCents), 0n)
        expect(credited).toEqual(ratio(total, 100n))
        expect(counted).toEqual(ratio(BigInt(plain.length)))
      }),
      { numRuns: 60 },
    )
  })
})
