import { isMiss, type OutcomeItem, statusOn } from './outcome-item.ts'

export interface UnenforcedMiss {
  readonly item: OutcomeItem
  readonly status: 'waived' | 'overdue'
}

/**
 * The unenforced misses at the end of `asOf`: outcomes recording a miss (a rule fired with a
 * consequence effect: forfeit, warning, coaching or termination_review) that were waived or are
 * overdue; by period, then rep, then rule.
 */
export function listUnenforcedMisses(items: readonly OutcomeItem[], asOf: string): UnenforcedMiss[] {
  const out: UnenforcedMiss[] = []
  for (const item of items) {
    if (!isMiss(item)) continue
    const status = statusOn(item, asOf)
    if (status === 'waived' || status === 'overdue') out.push({ item, status })
  }
  const key = (m: UnenforcedMiss) =>
    `${m.item.period}\u0000${m.item.rep}\u0000${m.item.rule}\u0000${m.item.id}`
  return out.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))
}
