/** What a mapping strips from a money cell; nothing is stripped that it does not name. */
export interface MoneyRule {
  /** Texts removed wherever they appear, such as "$", "USD" or "€". */
  readonly symbols: readonly string[]
  /** The thousands separator removed between groups of three digits, or null for none. */
  readonly thousands: string | null
  /** The decimal mark, "." unless stated (a "," becomes "."). */
  readonly decimal: string
}

/**
 * A money cell as the canonical files write it ("12,500.00 USD" → "12500.00"): the rule's symbols
 * removed, the thousands separator removed where it separates groups of three digits, the decimal
 * mark made ".". Null when a separator is out of place ("1,50" with "," for thousands). Anything
 * else (a sign, stray letters, too many decimals) is left for the reader to judge.
 */
export function cleanMoney(text: string, rule: MoneyRule): string | null {
  let out = text
  for (const symbol of rule.symbols) if (symbol !== '') out = out.split(symbol).join('')
  out = out.trim()
  let sign = ''
  if (out.startsWith('-') || out.startsWith('+')) {
    sign = out[0] === '-' ? '-' : ''
    out = out.slice(1).trim()
  }
  const sep = rule.thousands
  if (sep !== null && sep !== '' && out.includes(sep)) {
    const point = out.indexOf(rule.decimal)
    const whole = point < 0 ? out : out.slice(0, point)
    const groups = whole.split(sep)
    const [first = '', ...rest] = groups
    if (!/^\d{1,3}$/.test(first) || rest.some((g) => !/^\d{3}$/.test(g))) return null
    out = groups.join('') + (point < 0 ? '' : out.slice(point))
  }
  if (rule.decimal !== '.') {
    if (out.includes('.')) return null
    out = out.split(rule.decimal).join('.')
  }
  return sign + out
}
