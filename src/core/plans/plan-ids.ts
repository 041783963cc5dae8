import { isMap, isScalar, type Node } from 'yaml'
import { didYouMeanClause } from './did-you-mean.ts'
import { listWords } from './format-for-people.ts'
import type { PlanReader } from './plan-reader.ts'

export type IdKind = 'commission' | 'spiff' | 'rule'

/**
 * The one namespace of commission, spiff and rule ids. Every id is declared up front (so a rule may
 * name a commission written after it); each is then claimed once as its entry is read, and a
 * second claim of the same id is an error.
 */
export class PlanIds {
  private readonly declared = new Map<string, IdKind>()
  private readonly claimed = new Map<string, { kind: IdKind; line: number }>()

  /** Declares the ids of a list of entries (`commissions`, `spiffs` or `rules`), without checking. */
  declare(r: PlanReader, list: Node | null, kind: IdKind): void {
    if (list === null || !('items' in list) || !Array.isArray(list.items)) return
    for (const item of list.items as unknown[]) {
      const entry = r.resolve(item)
      if (entry === null || !isMap(entry)) continue
      const id = r.resolve(entry.get('id', true))
      if (id !== null && isScalar(id) && !this.declared.has(String(id.value)))
        this.declared.set(String(id.value), kind)
    }
  }

  /** Claims an entry's id; reports a second use of it, naming the first. */
  claim(r: PlanReader, node: Node | null, id: string, kind: IdKind): void {
    const first = this.claimed.get(id)
    if (first === undefined) {
      this.claimed.set(id, { kind, line: r.lineOf(node) })
      return
    }
    r.report(
      node,
      `id "${id}" of this ${kind} is already used by the ${first.kind} on line ${first.line}; ` +
        'commissions, spiffs and rules share one set of ids',
    )
  }

  kindOf(id: string): IdKind | undefined {
    return this.declared.get(id)
  }

  /** The declared ids, of one kind or of every kind, in the order declared. */
  ids(kind?: IdKind): string[] {
    return [...this.declared].filter(([, k]) => kind === undefined || k === kind).map(([id]) => id)
  }

  /** Reports an id that names no commission (or of `kinds`), with a suggestion. */
  check(r: PlanReader, node: Node | null, id: string, what: string, kinds: readonly IdKind[]): boolean {
    const kind = this.kindOf(id)
    if (kind !== undefined && kinds.includes(kind)) return true
    const candidates = this.ids().filter((c) => kinds.includes(this.kindOf(c) as IdKind))
    const names = listWords(
      kinds.map((k) => `${k}s`),
      'and',
    )
    const known = candidates.length === 0 ? 'none' : candidates.join(', ')
    const why = kind === undefined ? `no ${listWords(kinds, 'or')} has that id` : `"${id}" is a ${kind}`
    r.report(
      node,
      `${what} names "${id}", but ${why}${didYouMeanClause(id, candidates)} (${names}: ${known})`,
    )
    return false
  }
}
