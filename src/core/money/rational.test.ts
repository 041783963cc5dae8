import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { formatExact, formatFixed, parseDecimal, ratio, roundHalfAwayFromZero, toNumber } from './rational.ts'
import { formatMoney, formatMoneyForPeople, getCurrency, parseMoney } from './money.ts'

describe('roundHalfAwayFromZero', () => {
  it.each([
    { n: 5n, d: 2n, out: 3n },
    { n: -5n, d: 2n, out: -3n },
    { n: 7n, d: 3n, out: 2n },
    { n: -7n, d: 3n, out: -2n },
    { n: 1005n, d: 1000n, out: 1n },
  ])('rounds $n/$d to $out', ({ n, d, out }) => {
    expect(roundHalfAwayFromZero(ratio(n, d))).toBe(out)
  })
})

describe('parseMoney', () => {
  it('reads an amount from its text, never through a float', () => {
    expect(parseMoney('1.005', 3)).toBe(1005n)
    expect(parseMoney('1234.5', 2)).toBe(123450n)
    expect(parseMoney('0.1', 2)).toBe(10n)
  })

  it('refuses more digits than the currency has and malformed text', () => {
    expect(parseMoney('1234.500', 2)).toBeNull()
    expect(parseMoney('1,234.50', 2)).toBeNull()
    expect(parseMoney('$5', 2)).toBeNull()
    expect(parseMoney('', 2)).toBeNull()
  })

  it('round-trips every amount through formatMoney', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }),
        (m) => parseMoney(formatMoney(m, 2), 2) === m,
      ),
    )
  })
})

describe('formatMoneyForPeople', () => {
  it('groups thousands and uses the currency digits when formatting', () => {
    expect(formatMoneyForPeople(123456789n, { code: 'USD', digits: 2 })).toBe('1,234,567.89 USD')
    expect(formatMoneyForPeople(-5000n, { code: 'JPY', digits: 0 })).toBe('-5,000 JPY')
  })
})

describe('getCurrency', () => {
  it('knows ISO 4217 codes with their minor digits', () => {
    expect(getCurrency('USD')).toEqual({ code: 'USD', digits: 2 })
    expect(getCurrency('JPY')).toEqual({ code: 'JPY', digits: 0 })
    expect(getCurrency('BHD')).toEqual({ code: 'BHD', digits: 3 })
    expect(getCurrency('XYZ')).toBeNull()
    expect(getCurrency('usd')).toBeNull()
  })
})

describe('formatFixed and formatExact', () => {
  it('formats attainment to 6 places half away from zero', () => {
    expect(formatFixed(ratio(17000n, 31n * 4000n), 6)).toBe('0.137097')
    expect(formatFixed(ratio(-1n, 8n), 2)).toBe('-0.13')
  })

  it('gives the shortest exact decimal or null when it does not end', () => {
    expect(formatExact(ratio(1n, 4n))).toBe('0.25')
    expect(formatExact(ratio(5n))).toBe('5')
    expect(formatExact(ratio(1n, 3n))).toBeNull()
  })

  it('converts to the nearest double', () => {
    expect(toNumber(ratio(12n, 10n))).toBe(1.2)
    expect(toNumber(ratio(1n, 3n))).toBe(1 / 3)
    expect(toNumber(parseDecimal('0.1') ?? ratio(0n))).toBe(0.1)
  })
})
