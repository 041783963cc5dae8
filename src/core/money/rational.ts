/** An exact rational number n/d with d > 0, kept in lowest terms. */
export interface Rational {
  readonly n: bigint
  readonly d: bigint
}

const ZERO: Rational = { n: 0n, d: 1n }
const ONE: Rational = { n: 1n, d: 1n }

const SAFE = BigInt(Number.MAX_SAFE_INTEGER)

function gcd(a: bigint, b: bigint): bigint {
  if (a < 0n) a = -a
  if (b < 0n) b = -b
  if (a <= SAFE && b <= SAFE) {
    // Exact in doubles below 2^53, and far cheaper than bigint division.
    let x = Number(a)
    let y = Number(b)
    while (y !== 0) {
      const t = x % y
      x = y
      y = t
    }
    return BigInt(x)
  }
  while (b !== 0n) {
    const t = a % b
    a = b
    b = t
  }
  return a
}

/** n/d in lowest terms; d must not be 0. */
export function ratio(n: bigint, d: bigint = 1n): Rational {
  if (d === 0n) throw new RangeError('Division by zero')
  if (d < 0n) {
    n = -n
    d = -d
  }
  if (d === 1n) return { n, d }
  const g = gcd(n, d)
  return g === 1n ? { n, d } : { n: n / g, d: d / g }
}

export const zero = (): Rational => ZERO
export const one = (): Rational => ONE

export function add(a: Rational, b: Rational): Rational {
  if (a.d === b.d) return ratio(a.n + b.n, a.d)
  return ratio(a.n * b.d + b.n * a.d, a.d * b.d)
}

export function sub(a: Rational, b: Rational): Rational {
  return add(a, { n: -b.n, d: b.d })
}

export function mul(a: Rational, b: Rational): Rational {
  if (a.d === 1n && b.d === 1n) return { n: a.n * b.n, d: 1n }
  return ratio(a.n * b.n, a.d * b.d)
}

/** a / b; b must not be zero. */
export function div(a: Rational, b: Rational): Rational {
  return ratio(a.n * b.d, a.d * b.n)
}

/** -1, 0 or 1 as a is below, equal to or above b. */
export function cmp(a: Rational, b: Rational): number {
  const l = a.n * b.d
  const r = b.n * a.d
  return l < r ? -1 : l > r ? 1 : 0
}

export const isZero = (a: Rational): boolean => a.n === 0n
export const min = (a: Rational, b: Rational): Rational => (cmp(a, b) <= 0 ? a : b)
export const max = (a: Rational, b: Rational): Rational => (cmp(a, b) >= 0 ? a : b)

/** n/d rounded to an integer, half away from zero. */
export function roundHalfAwayFromZero(a: Rational): bigint {
  const neg = a.n < 0n
  const n = neg ? -a.n : a.n
  const q = (2n * n + a.d) / (2n * a.d)
  return neg ? -q : q
}

/** Integer division of bigints rounded half away from zero. */
export function divRound(n: bigint, d: bigint): bigint {
  return roundHalfAwayFromZero(ratio(n, d))
}

/** The value as a decimal string with exactly `places` digits, rounded half away from zero. */
export function formatFixed(a: Rational, places: number): string {
  const scale = 10n ** BigInt(places)
  const scaled = roundHalfAwayFromZero({ n: a.n * scale, d: a.d })
  const neg = scaled < 0n
  const digits = (neg ? -scaled : scaled).toString().padStart(places + 1, '0')
  const whole = digits.slice(0, digits.length - places)
  const frac = digits.slice(digits.length - places)
  return (neg ? '-' : '') + whole + (places > 0 ? '.' + frac : '')
}

/** The shortest decimal text of a rational whose decimal expansion ends; null when it does not. */
export function formatExact(a: Rational): string | null {
  let d = a.d
  let places = 0
  while (d % 10n === 0n) {
    d /= 10n
    places++
  }
  while (d % 2n === 0n || d % 5n === 0n) {
    d = d % 2n === 0n ? d / 2n : d / 5n
    places++
    if (places > 400) return null
  }
  if (d !== 1n) return null
  const text = formatFixed(a, places)
  return places === 0 ? text : text.replace(/\.?0+$/, '')
}

/** The nearest double to the exact value (for CEL and JSON numbers only, never for money). */
export function toNumber(a: Rational): number {
  if (a.d === 1n) return Number(a.n)
  // 30 significant digits then one correctly rounded decimal-to-double conversion.
  const exact = formatExact(a)
  if (exact !== null && exact.length < 40) return Number(exact)
  const neg = a.n < 0n
  const n = neg ? -a.n : a.n
  const whole = n / a.d
  const scaleDigits = Math.max(0, 30 - whole.toString().length)
  const scaled = (n * 10n ** BigInt(scaleDigits)) / a.d
  return (neg ? -1 : 1) * Number(`${scaled}e-${scaleDigits}`)
}

/** Reads a plain decimal ("1234.50", "-0.075", "12") exactly; null when it is not one. */
export function parseDecimal(text: string): Rational | null {
  const m = /^([+-]?)(\d+)(?:\.(\d+))?$/.exec(text)
  if (m === null) return null
  const frac = m[3] ?? ''
  const n = BigInt((m[2] ?? '') + frac)
  return ratio(m[1] === '-' ? -n : n, 10n ** BigInt(frac.length))
}

/** How many digits a plain decimal text has after its point (0 for "12"). */
export function decimalPlaces(text: string): number {
  const i = text.indexOf('.')
  return i < 0 ? 0 : text.length - i - 1
}
