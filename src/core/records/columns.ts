import type { DateOrInstant } from '../calendar/instant.ts'
import { NO_DAY, type ExtraColumn } from './records.ts'
import type { ExtraHeader } from './header.ts'

// Builders for the columnar tables, sized for 10 million rows. Given the expected number of rows
// (an upper bound the caller may know, such as the file's line count), a column is allocated once
// and handed over as is. Without it, or beyond it, a typed column grows by doubling up to CHUNK
// entries and then in whole chunks, so that no growth copies more than one chunk, and is copied
// once into an exact-size array at `take`.
const FIRST = 256
const MS_PER_DAY = 86_400_000
const CHUNK = 1 << 16

type NumberArray = Int32Array | Float64Array

/** A growable column of numbers, read back once as a typed array of exactly its length. */
export class NumberColumn<A extends NumberArray> {
  private readonly full: A[] = []
  private fullLength = 0
  private chunk: A
  private used = 0

  constructor(
    private readonly make: (size: number) => A,
    expected = 0,
  ) {
    this.chunk = make(expected > 0 ? expected : FIRST)
  }

  get length(): number {
    return this.fullLength + this.used
  }

  push(value: number): void {
    if (this.used === this.chunk.length) this.grow()
    this.chunk[this.used++] = value
  }

  /** The value at `i` (i < length); fastest for recent values. */
  at(i: number): number {
    if (i >= this.fullLength) return this.chunk[i - this.fullLength] ?? NaN
    let base = 0
    for (const c of this.full) {
      if (i < base + c.length) return c[i - base] ?? NaN
      base += c.length
    }
    return NaN
  }

  /** The whole column; the builder is empty afterwards. */
  take(): A {
    const chunk = this.chunk
    const used = this.used
    this.chunk = this.make(FIRST)
    this.used = 0
    // One array hardly larger than needed (the expected size was right) is handed over as is.
    if (this.full.length === 0 && chunk.length - used <= used / 8) return chunk.subarray(0, used) as A
    const out = this.make(this.fullLength + used)
    let offset = 0
    for (const c of this.full) {
      out.set(c, offset)
      offset += c.length
    }
    out.set(chunk.subarray(0, used), offset)
    this.full.length = 0
    this.fullLength = 0
    return out
  }

  private grow(): void {
    if (this.chunk.length < CHUNK) {
      const bigger = this.make(this.chunk.length * 2)
      bigger.set(this.chunk)
      this.chunk = bigger
    } else {
      this.full.push(this.chunk)
      this.fullLength += this.chunk.length
      this.chunk = this.make(CHUNK)
      this.used = 0
    }
  }
}

export const int32Column = (expected = 0): NumberColumn<Int32Array> =>
  new NumberColumn((n) => new Int32Array(n), expected)
export const float64Column = (expected = 0): NumberColumn<Float64Array> =>
  new NumberColumn((n) => new Float64Array(n), expected)

/**
 * A column of strings. With the expected number of rows the array is allocated once (holey, then
 * cut to length) instead of growing by half again and again, each old copy garbage until a full GC.
 */
export class StringColumn {
  readonly values: string[]
  private used = 0

  constructor(expected = 0) {
    this.values = expected > 0 ? new Array<string>(expected) : []
  }

  get length(): number {
    return this.used
  }

  push(value: string): void {
    this.values[this.used++] = value
  }

  take(): string[] {
    this.values.length = this.used
    return this.values
  }
}

/**
 * The line of each row, kept as the rows where the distance between row and line changes (a cell
 * spanning lines, a blank line): a few entries instead of one per row.
 */
export class LineIndex {
  private readonly rows: number[] = []
  private readonly offsets: number[] = []

  push(row: number, line: number): void {
    if (this.offsets[this.offsets.length - 1] !== line - row) {
      this.rows.push(row)
      this.offsets.push(line - row)
    }
  }

  /** The line of a row pushed before. */
  lineOf(row: number): number {
    let lo = 0
    let hi = this.rows.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if ((this.rows[mid] ?? 0) <= row) lo = mid
      else hi = mid - 1
    }
    return row + (this.offsets[lo] ?? 0)
  }
}

/**
 * Finds repeated ids: an open-addressing table of row numbers into the id column itself, about
 * 6 bytes a row where a Set<string> takes some 40 (10 million deals).
 */
export class IdSet {
  private slots: Int32Array
  private size = 0

  constructor(
    private readonly ids: readonly string[],
    expected = 0,
  ) {
    let capacity = 1024
    while (capacity * 3 < expected * 4) capacity *= 2
    this.slots = new Int32Array(capacity)
  }

  /** Adds the id of `row`; returns the row of an earlier equal id, or -1 when it is new. */
  add(row: number): number {
    const id = this.ids[row] ?? ''
    if ((this.size + 1) * 4 > this.slots.length * 3) this.rehash()
    const mask = this.slots.length - 1
    for (let s = hash(id) & mask; ; s = (s + 1) & mask) {
      const held = this.slots[s] as number
      if (held === 0) {
        this.slots[s] = row + 1
        this.size++
        return -1
      }
      if (this.ids[held - 1] === id) return held - 1
    }
  }

  private rehash(): void {
    const old = this.slots
    this.slots = new Int32Array(old.length * 2)
    const mask = this.slots.length - 1
    for (const held of old) {
      if (held === 0) continue
      let s = hash(this.ids[held - 1] ?? '') & mask
      while (this.slots[s] !== 0) s = (s + 1) & mask
      this.slots[s] = held
    }
  }
}

/** FNV-1a over UTF-16 code units. */
function hash(text: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193)
  return h >>> 0
}

/**
 * Shares one string per distinct value (deal types, activity kinds, customers), remembering at
 * most `limit` distinct values: a column of unique values passes through without a growing map.
 */
export class Interner {
  private readonly seen = new Map<string, string>()

  constructor(private readonly limit = 1 << 16) {}

  get(text: string): string {
    const held = this.seen.get(text)
    if (held !== undefined) return held
    if (this.seen.size < this.limit) this.seen.set(text, text)
    return text
  }
}

/** A plain decimal number: what makes an extra column numeric and what `sum:` can add up. */
export const DECIMAL_NUMBER = /^[+-]?\d+(?:\.\d+)?$/

interface ExtraBuilder {
  readonly name: string
  readonly index: number
  readonly values: StringColumn
  readonly interner: Interner
  numeric: boolean
  scale: number
}

/** Collects the extra columns of a file: trimmed texts, whether all are numbers, and their scale. */
export class ExtraColumnsBuilder {
  private readonly columns: ExtraBuilder[]

  constructor(extras: readonly ExtraHeader[], expected = 0) {
    this.columns = extras.map((e) => ({
      ...e,
      values: new StringColumn(expected),
      interner: new Interner(),
      numeric: true,
      scale: 0,
    }))
  }

  push(cells: readonly string[]): void {
    for (const c of this.columns) {
      const text = (cells[c.index] ?? '').trim()
      c.values.push(c.interner.get(text))
      if (text === '' || !c.numeric) continue
      if (!DECIMAL_NUMBER.test(text)) c.numeric = false
      else {
        const point = text.indexOf('.')
        if (point >= 0 && text.length - point - 1 > c.scale) c.scale = text.length - point - 1
      }
    }
  }

  finish(): Map<string, ExtraColumn> {
    return new Map(
      this.columns.map((c) => [
        c.name,
        { numeric: c.numeric, scale: c.numeric ? c.scale : 0, values: c.values.take() },
      ]),
    )
  }
}

/** Stores a date cell as (day, NaN), an instant as (its UTC day, ms), none as (NO_DAY, NaN). */
export function pushDateCell(
  day: { push(v: number): void },
  ms: { push(v: number): void },
  value: DateOrInstant | null,
): void {
  if (value === null) {
    day.push(NO_DAY)
    ms.push(NaN)
  } else if (value.ms === undefined) {
    day.push(value.day)
    ms.push(NaN)
  } else {
    day.push(Math.floor(value.ms / MS_PER_DAY))
    ms.push(value.ms)
  }
}
