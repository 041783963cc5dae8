import type { ExtraColumn } from './records.ts'
import type { ExtraHeader } from './header.ts'

// Builders for the columnar tables, sized for 10 million rows: a typed array grows by doubling up
// to CHUNK entries and then in whole chunks, so that no column ever holds more than one spare
// chunk and no growth copies more than one chunk; `take` copies the chunks once into an
// exact-size array, one column at a time.
const FIRST = 256
const CHUNK = 1 << 16

type NumberArray = Int32Array | Float64Array

/** A growable column of numbers, read back once as an exact-size typed array. */
export class NumberColumn<A extends NumberArray> {
  private readonly full: A[] = []
  private chunk: A
  private used = 0

  constructor(private readonly make: (size: number) => A) {
    this.chunk = make(FIRST)
  }

  get length(): number {
    return this.full.length * CHUNK + this.used
  }

  push(value: number): void {
    if (this.used === this.chunk.length) this.grow()
    this.chunk[this.used++] = value
  }

  /** The value at `i` (i < length). */
  at(i: number): number {
    const c = i >>> 16
    return (c < this.full.length ? this.full[c] : this.chunk)?.[i & (CHUNK - 1)] ?? NaN
  }

  /** The whole column in an exact-size array; the builder is empty afterwards. */
  take(): A {
    const out = this.make(this.length)
    let offset = 0
    for (const c of this.full) {
      out.set(c, offset)
      offset += CHUNK
    }
    out.set(this.chunk.subarray(0, this.used), offset)
    this.full.length = 0
    this.chunk = this.make(FIRST)
    this.used = 0
    return out
  }

  private grow(): void {
    if (this.chunk.length < CHUNK) {
      const bigger = this.make(this.chunk.length * 2)
      bigger.set(this.chunk)
      this.chunk = bigger
    } else {
      this.full.push(this.chunk)
      this.chunk = this.make(CHUNK)
      this.used = 0
    }
  }
}

export const int32Column = (): NumberColumn<Int32Array> => new NumberColumn((n) => new Int32Array(n))
export const float64Column = (): NumberColumn<Float64Array> => new NumberColumn((n) => new Float64Array(n))

/**
 * Finds repeated ids: an open-addressing table of row numbers into the id column itself, about
 * 6 bytes a row where a Set<string> takes some 40 (10 million deals).
 */
export class IdSet {
  private slots = new Int32Array(1024)
  private size = 0

  constructor(private readonly ids: readonly string[]) {}

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
  readonly values: string[]
  readonly interner: Interner
  numeric: boolean
  scale: number
}

/** Collects the extra columns of a file: trimmed texts, whether all are numbers, and their scale. */
export class ExtraColumnsBuilder {
  private readonly columns: ExtraBuilder[]

  constructor(extras: readonly ExtraHeader[]) {
    this.columns = extras.map((e) => ({
      ...e,
      values: [],
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
        { numeric: c.numeric, scale: c.numeric ? c.scale : 0, values: c.values },
      ]),
    )
  }
}
