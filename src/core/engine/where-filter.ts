import type { CelProgram } from '../plans/cel.ts'

const MEMO_LIMIT = 200_000

/** Reads one field of record i credited to rep r. */
export type Accessor = (i: number, r: number) => unknown

/**
 * Evaluates a compiled `where` over record i (a deal or an activity) credited to rep r, with
 * results cached by the values it reads: a `where` on `deal.type` runs once per distinct type,
 * not once per deal (ADR 0003). An error keeps nothing.
 */
export class WhereFilter {
  private readonly memo = new Map<unknown, boolean>()
  private readonly accessors: readonly Accessor[] | null

  constructor(
    private readonly program: CelProgram,
    accessorOf: (variable: string, field: string) => Accessor,
    private readonly context: (i: number, r: number) => Record<string, unknown>,
  ) {
    const reads = program.reads
    this.accessors =
      reads === null
        ? null
        : [...reads].flatMap(([variable, keys]) => keys.map((k) => accessorOf(variable, k)))
  }

  test(i: number, r: number): boolean {
    const accessors = this.accessors
    if (accessors === null) return this.evaluate(i, r)
    let key: unknown
    if (accessors.length === 1) key = (accessors[0] as Accessor)(i, r)
    else {
      let text = ''
      for (const read of accessors) {
        const v = read(i, r)
        text += (v === undefined ? '\u0001' : typeof v + ':' + String(v)) + '\u0000'
      }
      key = text
    }
    let hit = this.memo.get(key)
    if (hit === undefined) {
      hit = this.evaluate(i, r)
      if (this.memo.size < MEMO_LIMIT) this.memo.set(key, hit)
    }
    return hit
  }

  private evaluate(i: number, r: number): boolean {
    try {
      return this.program.evaluate(this.context(i, r)) === true
    } catch {
      return false
    }
  }
}
