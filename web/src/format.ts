const digitsOf = (currency: string): number =>
  new Intl.NumberFormat('en-US', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2

/** Minor units as money in the currency, e.g. 123450 USD → "$1,234.50" (exact: no float arithmetic on the digits). */
export function money(minor: number | bigint, currency: string, locale?: string): string {
  const digits = digitsOf(currency)
  const value = BigInt(minor)
  const negative = value < 0n
  const abs = negative ? -value : value
  const scale = 10n ** BigInt(digits)
  const units = abs / scale
  const fraction = (abs % scale).toString().padStart(digits, '0')
  // Intl groups the whole units; the fraction digits are put back exactly from the integer.
  const parts = new Intl.NumberFormat(locale, {
    style: 'currency',
    currency,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).formatToParts(Number(units))
  return (negative ? '-' : '') + parts.map((p) => (p.type === 'fraction' ? fraction : p.value)).join('')
}

/** A factor as a percentage: "1.030750" → "103.1%". */
export function percent(factor: string | number | null, places = 1): string {
  if (factor === null) return '—'
  return `${(Number(factor) * 100).toFixed(places)}%`
}

/** A metric value for people: money in the currency, other numbers grouped. */
export function metricValue(value: string | number, isMoney: boolean, currency: string): string {
  if (isMoney) {
    const [whole = '0', frac = ''] = String(value).split('.')
    const digits = digitsOf(currency)
    const minor = BigInt(whole + frac.padEnd(digits, '0').slice(0, digits))
    return money(minor, currency)
  }
  return new Intl.NumberFormat(undefined, { maximumFractionDigits: 2 }).format(Number(value))
}

/** 'YYYY-MM-DD' → "Jan 31, 2026" in the reader's locale, without a time zone shift. */
export function day(date: string): string {
  const [y, m, d] = date.split('-').map(Number)
  return new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1)).toLocaleDateString(undefined, {
    timeZone: 'UTC',
    month: 'short',
    day: 'numeric',
    year: 'numeric',
  })
}
