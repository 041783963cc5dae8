/** Deal types the generator writes, by code. */
export const DEAL_TYPES = ['managed', 'project', 'hardware'] as const
export const MANAGED = 0
export const PROJECT = 1
export const HARDWARE = 2

/**
 * How a deal is shared: the shares of the closing rep and up to two teammates, in percent as
 * written in deals.csv. Pattern 0 is a deal of one rep.
 */
export const SHARE_PATTERNS: readonly (readonly string[])[] = [
  ['100'],
  ['50', '50'],
  ['60', '40'],
  ['70', '30'],
  ['75', '25'],
  ['33.33', '33.33', '33.34'],
  ['33.34', '33.33', '33.33'],
  ['50', '25', '25'],
  ['40', '30', '30'],
]
/** The shares of each pattern as fractions. */
export const SHARE_FRACTIONS = SHARE_PATTERNS.map((p) => p.map((s) => Number(s) / 100))
/** The closing rep's share of each pattern, as a fraction. */
export const PRIMARY_SHARE = SHARE_FRACTIONS.map((p) => p[0] as number)

/** No cancellation, no time of day. */
export const NONE = -1

/**
 * One month of deals, column-wise in typed arrays: at most a month is held in memory, so the size
 * of the whole file does not matter.
 */
export class DealBuffer {
  length = 0
  rep = new Int32Array(0)
  day = new Int32Array(0)
  type = new Uint8Array(0)
  mrrCents = new Float64Array(0)
  /** Relative size of a managed deal among the closing rep's deals of the month. */
  weight = new Float64Array(0)
  amountCents = new Float64Array(0)
  termMonths = new Uint8Array(0)
  cancelDay = new Int32Array(0)
  pattern = new Uint8Array(0)
  partner1 = new Int32Array(0)
  partner2 = new Int32Array(0)
  /** Local minutes after midnight for a date-time, NONE for a bare date. */
  minutes = new Int16Array(0)
  /** Index into the offsets a date-time is written with. */
  shownAs = new Uint8Array(0)
  private capacity = 0

  clear(): void {
    this.length = 0
  }

  /** Adds a deal with default fields and returns its position. */
  push(rep: number, day: number, type: number): number {
    if (this.length === this.capacity) this.grow(Math.max(1024, this.capacity * 2))
    const i = this.length++
    this.rep[i] = rep
    this.day[i] = day
    this.type[i] = type
    this.mrrCents[i] = 0
    this.weight[i] = 0
    this.amountCents[i] = 0
    this.termMonths[i] = 0
    this.cancelDay[i] = NONE
    this.pattern[i] = 0
    this.partner1[i] = NONE
    this.partner2[i] = NONE
    this.minutes[i] = NONE
    this.shownAs[i] = 0
    return i
  }

  /** Positions ordered by day (stable): a counting sort over the days of one month. */
  orderByDay(firstDay: number, days: number): Int32Array {
    const counts = new Int32Array(days + 1)
    for (let i = 0; i < this.length; i++) (counts[(this.day[i] as number) - firstDay + 1] as number)++
    for (let d = 1; d <= days; d++) counts[d] = (counts[d] as number) + (counts[d - 1] as number)
    const order = new Int32Array(this.length)
    for (let i = 0; i < this.length; i++) {
      const slot = (this.day[i] as number) - firstDay
      order[counts[slot] as number] = i
      counts[slot] = (counts[slot] as number) + 1
    }
    return order
  }

  private grow(capacity: number): void {
    const n = this.length
    const copy = <T extends Int32Array | Uint8Array | Float64Array | Int16Array>(
      a: T,
      make: (c: number) => T,
    ): T => {
      const b = make(capacity)
      b.set(a.subarray(0, n) as never)
      return b
    }
    this.rep = copy(this.rep, (c) => new Int32Array(c))
    this.day = copy(this.day, (c) => new Int32Array(c))
    this.type = copy(this.type, (c) => new Uint8Array(c))
    this.mrrCents = copy(this.mrrCents, (c) => new Float64Array(c))
    this.weight = copy(this.weight, (c) => new Float64Array(c))
    this.amountCents = copy(this.amountCents, (c) => new Float64Array(c))
    this.termMonths = copy(this.termMonths, (c) => new Uint8Array(c))
    this.cancelDay = copy(this.cancelDay, (c) => new Int32Array(c))
    this.pattern = copy(this.pattern, (c) => new Uint8Array(c))
    this.partner1 = copy(this.partner1, (c) => new Int32Array(c))
    this.partner2 = copy(this.partner2, (c) => new Int32Array(c))
    this.minutes = copy(this.minutes, (c) => new Int16Array(c))
    this.shownAs = copy(this.shownAs, (c) => new Uint8Array(c))
    this.capacity = capacity
  }
}
