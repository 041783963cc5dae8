/** 1234567 → "1,234,567". */
export function grouped(n: number): string {
  return Math.round(n).toLocaleString('en-US')
}

export function seconds(s: number): string {
  return s < 10 ? s.toFixed(2) : s.toFixed(1)
}

/** A rate per second with k/M units: "157 k/s", "2.21 M/s". */
export function perSecond(count: number, s: number): string {
  const rate = count / s
  if (rate >= 1e6) return `${(rate / 1e6).toFixed(2)} M/s`
  if (rate >= 1e3) return `${(rate / 1e3).toFixed(0)} k/s`
  return `${rate.toFixed(0)} /s`
}

/** Bytes as MB or GB. */
export function bytes(n: number | null): string {
  if (n === null || n <= 0) return '—'
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(2)} GB`
  return `${(n / 1024 ** 2).toFixed(0)} MB`
}

/** Minor units (a decimal string of cents) as "$41,260,191.17". */
export function dollars(minor: string): string {
  const negative = minor.startsWith('-')
  const digits = (negative ? minor.slice(1) : minor).padStart(3, '0')
  const whole = BigInt(digits.slice(0, -2)).toLocaleString('en-US')
  return `${negative ? '-' : ''}$${whole}.${digits.slice(-2)}`
}

/** A text table: the first column left-aligned, the others right-aligned. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [header, ...rows]
  const widths = header.map((_, c) => Math.max(...all.map((r) => (r[c] ?? '').length)))
  const line = (r: readonly string[]): string =>
    r
      .map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0)))
      .join('  ')
      .trimEnd()
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n')
}

/** A decimal amount in currency units, read from its text, as minor units: "1234.5" → 123450n. */
export function parseMinor(text: string): bigint {
  const negative = text.startsWith('-')
  const [whole = '0', fraction = ''] = (negative ? text.slice(1) : text).split('.')
  const minor = BigInt(whole) * 100n + BigInt((fraction + '00').slice(0, 2))
  return negative ? -minor : minor
}
