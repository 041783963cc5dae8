import { formatExact, formatFixed, mul, ratio, type Rational } from '../money/rational.ts'

/** A factor as a percentage for people: 1.5 → "150%", 0.125 → "12.5%" (exact when it terminates, else 4 places). */
export function formatPercent(factor: Rational): string {
  const percent = mul(factor, ratio(100n))
  return `${formatExact(percent) ?? formatFixed(percent, 4)}%`
}

/** An exact number for people with grouped thousands: 2500 → "2,500", 0.5 → "0.5". */
export function formatNumber(value: Rational): string {
  const text = formatExact(value) ?? formatFixed(value, 4)
  const [whole = '', fraction] = text.split('.')
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  return fraction === undefined ? grouped : `${grouped}.${fraction}`
}

/** "a", "a and b", "a, b and c" (or "or"). */
export function listWords(words: readonly string[], conjunction: 'and' | 'or' = 'and'): string {
  if (words.length <= 1) return words.join('')
  return `${words.slice(0, -1).join(', ')} ${conjunction} ${words[words.length - 1]}`
}
