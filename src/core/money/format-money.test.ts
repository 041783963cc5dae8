import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { formatMoney } from './money.ts'
import { formatFixed, ratio } from './rational.ts'

// formatMoney writes minor units directly (ADR 0008); it must equal the exact rational path.
describe('formatMoney', () => {
  it('equals formatFixed of minor / 10^digits', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }),
        fc.integer({ min: 0, max: 4 }),
        (minor, digits) => {
          expect(formatMoney(minor, digits)).toBe(formatFixed(ratio(minor, 10n ** BigInt(digits)), digits))
        },
      ),
      { numRuns: 2000 },
    )
  })

  it('writes small amounts with their leading zero and sign', () => {
    expect(formatMoney(-5n, 2)).toBe('-0.05')
    expect(formatMoney(0n, 2)).toBe('0.00')
    expect(formatMoney(123456n, 0)).toBe('123456')
    expect(formatMoney(-120n, 3)).toBe('-0.120')
  })
})
