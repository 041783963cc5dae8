import type { CelProgram } from '../plans/cel.ts'

const MEMO_LIMIT = 200_000

/**
 * Evaluates a compiled `where` with results cached by the values it reads (a `where` on
 * `deal.type` runs once per distinct type, not once per deal). An error keeps nothing.
 */
export class WhereFilter {
  private readonly memo = new Map<string, boolean>()
  private readonly fields: readonly (readonly [string, string])[] | null

  constructor(private readonly program: CelProgram) {
    const reads = program.reads
    this.fields = reads === null ? null : [...reads].flatMap(([v, keys]) => keys.map((k) => [v, k] as const))
  }

  /** Whether the record passes; `context` builds the CEL variables and is called on a cache miss only. */
  test(read: (variable: string, field: string) => unknown, context: () => Record<string, unknown>): boolean {
    if (this.fields === null) return this.evaluate(context())
    let key = ''
    for (const [variable, field] of this.fields) {
      const v = read(variable, field)
      key += (v === undefined ? '\u0001' : typeof v + ':' + String(v)) + '\u0000'
    }
    let hit = this.memo.get(key)
    if (hit === undefined) {
      hit = this.evaluate(context())
      if (this.memo.size < MEMO_LIMIT) this.memo.set(key, hit)
    }
    return hit
  }

  private evaluate(ctx: Record<string, unknown>): boolean {
    try {
      return this.program.evaluate(ctx) === true
    } catch {
      return false
    }
  }
}
