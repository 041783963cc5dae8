// Proleptic Gregorian date arithmetic on epoch days (days since 1970-01-01), exact integers.

/** The epoch day of a civil date (month 1–12). */
export function epochDayOf(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year
  const era = Math.floor(y / 400)
  const yoe = y - era * 400
  const mp = (month + 9) % 12
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy
  return era * 146097 + doe - 719468
}

/** The civil date [year, month 1–12, day] of an epoch day. */
export function civilOf(epochDay: number): [number, number, number] {
  const z = epochDay + 719468
  const era = Math.floor(z / 146097)
  const doe = z - era * 146097
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  )
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100))
  const mp = Math.floor((5 * doy + 2) / 153)
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1
  const month = mp < 10 ? mp + 3 : mp - 9
  return [month <= 2 ? yoe + era * 400 + 1 : yoe + era * 400, month, day]
}

export function daysInMonth(year: number, month: number): number {
  return (
    epochDayOf(month === 12 ? year + 1 : year, month === 12 ? 1 : month + 1, 1) - epochDayOf(year, month, 1)
  )
}

/** Reads a local date 'YYYY-MM-DD' as an epoch day; null when it is not a real date. */
export function parseLocalDate(text: string): number | null {
  if (text.length !== 10 || text[4] !== '-' || text[7] !== '-') return null
  const year = Number(text.slice(0, 4))
  const month = Number(text.slice(5, 7))
  const day = Number(text.slice(8, 10))
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return null
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return null
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null
  return epochDayOf(year, month, day)
}

/** An epoch day as 'YYYY-MM-DD'. */
export function formatLocalDate(epochDay: number): string {
  const [y, m, d] = civilOf(epochDay)
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`
}
