import { daysInMonth, epochDayOf } from '../calendar/civil.ts'

// Cell readers over a span [a, b) of a line's text, for the fast path of the deals reader
// (ADR 0008): no cell strings, no regular expressions. Each accepts only the plain form of a
// cell and returns NOT_PLAIN for anything else, which the caller then reads the ordinary way
// (cells.ts), so that every message and every edge case stays where it was.

/** Not a plain cell: below every epoch day and every number the readers return. */
export const NOT_PLAIN = Number.NEGATIVE_INFINITY

const ZERO = 48
const NINE = 57

/** Whether the span can be used as is: not empty, nothing `trim()` would remove at either end. */
export function isTrimmed(text: string, a: number, b: number): boolean {
  if (b <= a) return false
  const first = text.charCodeAt(a)
  const last = text.charCodeAt(b - 1)
  return first > 32 && first < 127 && last > 32 && last < 127
}

/** Digits [a, b) as a number (at most 15 of them, so exact); NOT_PLAIN when another character is there. */
function digits(text: string, a: number, b: number): number {
  if (b <= a || b - a > 15) return NOT_PLAIN
  let v = 0
  for (let i = a; i < b; i++) {
    const c = text.charCodeAt(i)
    if (c < ZERO || c > NINE) return NOT_PLAIN
    v = v * 10 + (c - ZERO)
  }
  return v
}

/** 'YYYY-MM-DD', a valid date, as its epoch day (as parseLocalDate); NOT_PLAIN otherwise. */
export function spanDay(text: string, a: number, b: number): number {
  if (b - a !== 10 || text.charCodeAt(a + 4) !== 45 || text.charCodeAt(a + 7) !== 45) return NOT_PLAIN
  const year = digits(text, a, a + 4)
  const month = digits(text, a + 5, a + 7)
  const day = digits(text, a + 8, a + 10)
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return NOT_PLAIN
  return epochDayOf(year, month, day)
}

const POW10 = [1, 10, 100, 1000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000]

/**
 * An unsigned amount `123` or `123.45` with at most `scale` decimals, as an integer over 10^scale
 * (as parseMoneyCell), when it surely is a safe integer (at most 15 digits with the scale);
 * NOT_PLAIN otherwise.
 */
export function spanDecimal(text: string, a: number, b: number, scale: number): number {
  if (scale >= POW10.length) return NOT_PLAIN
  let point = b
  for (let i = a; i < b; i++) {
    if (text.charCodeAt(i) === 46) {
      point = i
      break
    }
  }
  const fracLength = point === b ? 0 : b - point - 1
  if (point - a + scale > 15 || (point < b && fracLength === 0) || fracLength > scale) return NOT_PLAIN
  const whole = digits(text, a, point)
  if (whole < 0) return NOT_PLAIN
  const frac = fracLength === 0 ? 0 : digits(text, point + 1, b)
  if (frac < 0) return NOT_PLAIN
  return whole * (POW10[scale] as number) + frac * (POW10[scale - fracLength] as number)
}

/** A whole number of 1 to 15 digits (as parseWholeCell); NOT_PLAIN otherwise. */
export function spanWhole(text: string, a: number, b: number): number {
  return digits(text, a, b)
}

/**
 * Strings looked up by a span of a text without slicing it (rep ids, deal types, customers): an
 * open-addressing table of FNV-1a hashes over UTF-16 code units, each key compared in place.
 */
export class SpanTable {
  private slots = new Int32Array(1024)
  private readonly keys: string[] = []
  private readonly values: number[] = []

  get size(): number {
    return this.keys.length
  }

  /** The value of the key equal to text[a, b), or -1 when there is none. */
  find(text: string, a: number, b: number): number {
    const mask = this.slots.length - 1
    for (let s = spanHash(text, a, b) & mask; ; s = (s + 1) & mask) {
      const held = this.slots[s] as number
      if (held === 0) return -1
      const key = this.keys[held - 1] as string
      if (key.length === b - a && sameChars(key, text, a)) return this.values[held - 1] as number
    }
  }

  /** The key stored with a value returned by `find` when values are entry numbers (see `intern`). */
  keyAt(entry: number): string {
    return this.keys[entry] as string
  }

  /** Adds a key not in the table. */
  add(key: string, value: number): void {
    if ((this.keys.length + 1) * 2 > this.slots.length) this.rehash()
    this.keys.push(key)
    this.values.push(value)
    this.place(this.keys.length)
  }

  /** The stored string equal to text[a, b), stored first when new and fewer than `limit` are held. */
  intern(text: string, a: number, b: number, limit: number): string {
    const entry = this.find(text, a, b)
    if (entry >= 0) return this.keys[entry] as string
    const key = text.slice(a, b)
    if (this.keys.length < limit) this.add(key, this.keys.length)
    return key
  }

  private place(held: number): void {
    const key = this.keys[held - 1] as string
    const mask = this.slots.length - 1
    let s = spanHash(key, 0, key.length) & mask
    while (this.slots[s] !== 0) s = (s + 1) & mask
    this.slots[s] = held
  }

  private rehash(): void {
    this.slots = new Int32Array(this.slots.length * 2)
    for (let held = 1; held <= this.keys.length; held++) this.place(held)
  }
}

function spanHash(text: string, a: number, b: number): number {
  let h = 0x811c9dc5
  for (let i = a; i < b; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193)
  return h >>> 0
}

function sameChars(key: string, text: string, a: number): boolean {
  for (let i = 0; i < key.length; i++) if (key.charCodeAt(i) !== text.charCodeAt(a + i)) return false
  return true
}
