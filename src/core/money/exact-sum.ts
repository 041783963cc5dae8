const LIMIT = Number.MAX_SAFE_INTEGER

/**
 * An exact integer accumulator: adds safe integers in a double while the sum stays safe and
 * moves it into a bigint when it would not (a fast path for the engine's hot loops; see ADR 0002).
 */
export class ExactSum {
  private big = 0n
  private small = 0

  /** Adds an integer; `value` must be a safe integer. */
  add(value: number): void {
    const s = this.small + value
    if (s > LIMIT || s < -LIMIT) {
      this.big += BigInt(this.small)
      this.small = value
    } else {
      this.small = s
    }
  }

  /** Adds a × b exactly for safe integers a and b. */
  addProduct(a: number, b: number): void {
    const p = a * b
    if (p <= LIMIT && p >= -LIMIT) this.add(p)
    else this.big += BigInt(a) * BigInt(b)
  }

  addBig(value: bigint): void {
    this.big += value
  }

  get value(): bigint {
    return this.big + BigInt(this.small)
  }
}
