import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { logGamma, regularizedBeta, studentTCdf, studentTQuantile } from './student-t.ts'
import { welchInterval } from './welch.ts'

describe('studentTQuantile', () => {
  it.each([
    // two-sided 95% (p = 0.975), from the standard t table
    { p: 0.975, df: 1, t: 12.7062 },
    { p: 0.975, df: 2, t: 4.3027 },
    { p: 0.975, df: 3, t: 3.1824 },
    { p: 0.975, df: 5, t: 2.5706 },
    { p: 0.975, df: 10, t: 2.2281 },
    { p: 0.975, df: 20, t: 2.086 },
    { p: 0.975, df: 30, t: 2.0423 },
    { p: 0.975, df: 120, t: 1.9799 },
    { p: 0.975, df: Number.POSITIVE_INFINITY, t: 1.96 },
    // one-sided 95%, 99.5%, 90%
    { p: 0.95, df: 10, t: 1.8125 },
    { p: 0.995, df: 5, t: 4.0321 },
    { p: 0.995, df: 60, t: 2.6603 },
    { p: 0.9, df: 4, t: 1.5332 },
    { p: 0.025, df: 10, t: -2.2281 },
  ])('is $t at p = $p with $df degrees of freedom', ({ p, df, t }) => {
    expect(studentTQuantile(p, df)).toBeCloseTo(t, 3)
  })

  it('handles fractional degrees of freedom between the integers around them', () => {
    const q = studentTQuantile(0.975, 7.5)
    expect(q).toBeLessThan(studentTQuantile(0.975, 7))
    expect(q).toBeGreaterThan(studentTQuantile(0.975, 8))
  })

  it('inverts the CDF', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.001, max: 0.999, noNaN: true }),
        fc.double({ min: 0.5, max: 500, noNaN: true }),
        (p, df) => Math.abs(studentTCdf(studentTQuantile(p, df), df) - p) < 1e-9,
      ),
    )
  })

  it('refuses p outside (0, 1)', () => {
    expect(() => studentTQuantile(1, 3)).toThrow(RangeError)
    expect(() => studentTQuantile(0.5, 0)).toThrow(RangeError)
  })
})

describe('regularizedBeta', () => {
  it('matches closed forms', () => {
    // I_x(1, 1) = x; I_x(a, 1) = x^a; I_0.5(a, a) = 0.5
    expect(regularizedBeta(0.3, 1, 1)).toBeCloseTo(0.3, 12)
    expect(regularizedBeta(0.4, 3, 1)).toBeCloseTo(0.064, 12)
    expect(regularizedBeta(0.5, 4.5, 4.5)).toBeCloseTo(0.5, 12)
    expect(Math.exp(logGamma(5))).toBeCloseTo(24, 9)
  })
})

describe('welchInterval', () => {
  it('computes the interval of a hand-checked example', () => {
    // a = 1…5: mean 3, s² = 2.5; b = 4,4,6,6: mean 5, s² = 4/3
    // se² = 2.5/5 + (4/3)/4 = 5/6; df = (5/6)² / ((1/2)²/4 + (1/3)²/3) = 0.694444 / 0.099537 = 6.9767
    // t(0.975, 6.9767) = 2.3667 (between 2.3646 at 7 and 2.3060 at 8, close to 7); half = 2.3667 × 0.912871 = 2.1605
    const out = welchInterval([1, 2, 3, 4, 5], [4, 4, 6, 6])
    expect(out.difference).toBe(-2)
    expect(out.df).toBeCloseTo(6.9767, 3)
    expect(out.low).toBeCloseTo(-4.1605, 2)
    expect(out.high).toBeCloseTo(0.1605, 2)
    expect(out.nA).toBe(5)
    expect(out.nB).toBe(4)
  })

  it('gives the difference itself when neither sample varies', () => {
    const out = welchInterval([1, 1], [0.5, 0.5])
    expect([out.low, out.difference, out.high]).toEqual([0.5, 0.5, 0.5])
  })
})
