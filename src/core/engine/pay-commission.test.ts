import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { cmp, mul, parseDecimal, type Rational, ratio, zero } from '../money/rational.ts'
import type { Commission, Tier } from '../plans/plan.ts'
import { applyCommission, payTiers } from './pay-commission.ts'

const dec = (text: string): Rational => parseDecimal(text) as Rational
const tiers: Tier[] = [
  { to: dec('1'), rate: dec('1') },
  { to: dec('1.5'), rate: dec('1.5') },
  { to: null, rate: dec('2') },
]
const mrr: Commission = {
  id: 'mrr',
  on: 'new_mrr',
  rate: null,
  tiers,
  tiered: 'marginal',
  gate: dec('0.5'),
  capMinor: 1_200_000n,
  clawbackDays: 90,
}

describe('payTiers', () => {
  it.each([
    // quota 4,000; 100% to 100%, 150% to 150%, 200% above
    { value: '4123', mode: 'marginal', paid: '4184.5' }, // 4000 × 1 + 123 × 1.5 = 4000 + 184.5
    { value: '4000', mode: 'marginal', paid: '4000' }, // exactly at the bound: all in the first tier
    { value: '7000', mode: 'marginal', paid: '9000' }, // 4000 + 2000 × 1.5 + 1000 × 2
    { value: '4000', mode: 'retroactive', paid: '6000' }, // at the bound is the upper tier: 4000 × 1.5
    { value: '3999.99', mode: 'retroactive', paid: '3999.99' }, // below the bound: 100%
    { value: '6000', mode: 'retroactive', paid: '12000' }, // 150% exactly: 6000 × 2
    { value: '0', mode: 'marginal', paid: '0' },
  ] as const)('pays $paid on $value when $mode', ({ value, mode, paid }) => {
    expect(payTiers(dec(value), dec('4000'), tiers, mode)).toEqual(dec(paid))
  })

  it('never pays more than the highest rate times the value when marginal', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 9n }), fc.bigInt({ min: 1n, max: 10n ** 8n }), (v, q) => {
        const value = ratio(v, 100n)
        const paid = payTiers(value, ratio(q, 100n), tiers, 'marginal')
        return cmp(paid, mul(value, dec('2'))) <= 0 && cmp(paid, zero()) >= 0
      }),
    )
  })
})

describe('applyCommission', () => {
  it('forfeits the whole amount when attainment is below the gate', () => {
    // 1,999.99 / 4,000 < 50%: would pay 1,999.99 at 100%
    expect(applyCommission(mrr, dec('1999.99'), dec('4000'), zero(), 2)).toEqual({
      amountMinor: 0n,
      forfeitedMinor: 199_999n,
      cappedMinor: 0n,
    })
  })

  it('pays when attainment is exactly at the gate', () => {
    expect(applyCommission(mrr, dec('2000'), dec('4000'), zero(), 2)?.amountMinor).toBe(200_000n)
  })

  it('applies boosts before the cap and records the excess as capped', () => {
    // 7,000 pays 9,000; boosted by 25% + 10% → 12,150; cap 12,000 → capped 150
    expect(applyCommission(mrr, dec('7000'), dec('4000'), dec('0.35'), 2)).toEqual({
      amountMinor: 1_200_000n,
      forfeitedMinor: 0n,
      cappedMinor: 15_000n,
    })
  })

  it('rounds once, half away from zero', () => {
    // 100.01 × 5% = 5.0005 → 5.00; 100.10 × 5% = 5.005 → 5.01
    const flat: Commission = { ...mrr, rate: dec('0.05'), tiers: null, gate: null, capMinor: null }
    expect(applyCommission(flat, dec('100.01'), null, zero(), 2)?.amountMinor).toBe(500n)
    expect(applyCommission(flat, dec('100.1'), null, zero(), 2)?.amountMinor).toBe(501n)
  })

  it('pays no line when tiers need a quota the rep lacks', () => {
    expect(applyCommission(mrr, dec('100'), null, zero(), 2)).toBeNull()
  })

  it('keeps forfeited plus paid equal to what would have been paid', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 10n }), fc.bigInt({ min: 1n, max: 10n ** 9n }), (v, q) => {
        const value = ratio(v, 100n)
        const quota = ratio(q, 100n)
        const gated = applyCommission(mrr, value, quota, zero(), 2)
        const ungated = applyCommission({ ...mrr, gate: null }, value, quota, zero(), 2)
        return (
          gated !== null &&
          ungated !== null &&
          gated.amountMinor + gated.forfeitedMinor === ungated.amountMinor
        )
      }),
    )
  })
})
