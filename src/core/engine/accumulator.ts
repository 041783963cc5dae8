const LIMIT = Number.MAX_SAFE_INTEGER

/**
 * Exact integer sums in many slots: a Float64Array while every partial sum is a safe integer,
 * with the overflow of a slot moved into a bigint (see ADR 0002).
 */
export class SlotSums {
  private readonly small: Float64Array
  private readonly big = new Map<number, bigint>()

  constructor(readonly size: number) {
    this.small = new Float64Array(size)
  }

  /** Adds a × b to a slot; a and b are safe integers. */
  addProduct(slot: number, a: number, b: number): void {
    const p = a * b
    if (p > LIMIT || p < -LIMIT) {
      this.big.set(slot, (this.big.get(slot) ?? 0n) + BigInt(a) * BigInt(b))
      return
    }
    const s = (this.small[slot] as number) + p
    if (s > LIMIT || s < -LIMIT) {
      this.big.set(slot, (this.big.get(slot) ?? 0n) + BigInt(this.small[slot] as number) + BigInt(p))
      this.small[slot] = 0
    } else {
      this.small[slot] = s
    }
  }

  get(slot: number): bigint {
    const small = BigInt(this.small[slot] as number)
    const big = this.big.get(slot)
    return big === undefined ? small : big + small
  }
}
