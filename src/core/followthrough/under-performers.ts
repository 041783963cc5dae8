import { meanAndVariance } from './welch.ts'

/** A rep's attainment (primary metric, as a factor) in a closed period of a plan. */
export interface PlanAttainment {
  readonly plan: string
  readonly period: string
  readonly rep: string
  readonly attainment: number
}

export interface UnderPerformerOptions {
  /** Bottom quartile in at least `k` of the last `n` closed periods of the plan (3 of 4 by default). */
  readonly k: number
  readonly n: number
  /** Standard deviations below the peer mean (1.5) for `inRow` periods in a row (2). */
  readonly sd: number
  readonly inRow: number
}

export const UNDER_PERFORMER_DEFAULTS: UnderPerformerOptions = { k: 3, n: 4, sd: 1.5, inRow: 2 }

/** One period of evidence for one rep. */
export interface PeriodEvidence {
  readonly period: string
  readonly attainment: number
  /** Reps of the plan with an attainment in the period, this rep included. */
  readonly reps: number
  /** Reps below this one (ties share the lower place). */
  readonly below: number
  readonly bottomQuartile: boolean
  /** Mean and sample standard deviation of the plan's reps in the period (this rep included); z = (attainment − mean) / sd; null when undefined. */
  readonly peerMean: number | null
  readonly peerSd: number | null
  readonly z: number | null
  readonly farBelow: boolean
}

export interface UnderPerformer {
  readonly plan: string
  readonly rep: string
  readonly reasons: readonly ('bottom_quartile' | 'far_below_peers')[]
  /** Every period of the window in which the rep had an attainment, oldest first. */
  readonly evidence: readonly PeriodEvidence[]
}

/** Quartiles and standard deviations need 4 reps in the period. */
const MIN_REPS = 4

/**
 * Under-performers relative to peers of the same plan, over the last `n` closed periods of each
 * plan (`periods`: each plan's closed period keys): in the bottom quartile (the rep's place from
 * the bottom, 1 = lowest and ties sharing the lower place, is at most a quarter of the period's
 * reps) in at least `k` of them, or more than `sd` sample standard
 * deviations below the mean of the plan's reps in `inRow` consecutive periods of the window; a
 * period counts only with at least 4 reps of the plan in it.
 */
export function findUnderPerformers(
  attainments: readonly PlanAttainment[],
  periods: ReadonlyMap<string, readonly string[]>,
  options: UnderPerformerOptions = UNDER_PERFORMER_DEFAULTS,
): UnderPerformer[] {
  const out: UnderPerformer[] = []
  for (const [plan, keys] of [...periods.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const window = [...keys].sort().slice(-options.n)
    const evidence = new Map<string, (PeriodEvidence | null)[]>()
    window.forEach((period, p) => {
      const rows = attainments.filter((a) => a.plan === plan && a.period === period)
      for (const row of rows) {
        const list = evidence.get(row.rep) ?? window.map(() => null)
        list[p] = evidenceOf(row, rows, options)
        evidence.set(row.rep, list)
      }
    })
    for (const rep of [...evidence.keys()].sort()) {
      const list = evidence.get(rep) ?? []
      const quartiles = list.filter((e) => e?.bottomQuartile === true).length
      let run = 0
      let longest = 0
      for (const e of list) {
        run = e?.farBelow === true ? run + 1 : 0
        longest = Math.max(longest, run)
      }
      const reasons: UnderPerformer['reasons'][number][] = []
      if (quartiles >= options.k) reasons.push('bottom_quartile')
      if (longest >= options.inRow) reasons.push('far_below_peers')
      if (reasons.length > 0)
        out.push({ plan, rep, reasons, evidence: list.filter((e): e is PeriodEvidence => e !== null) })
    }
  }
  return out
}

function evidenceOf(
  row: PlanAttainment,
  rows: readonly PlanAttainment[],
  options: UnderPerformerOptions,
): PeriodEvidence {
  const below = rows.filter((r) => r.attainment < row.attainment).length
  const enough = rows.length >= MIN_REPS
  const { mean, variance } = meanAndVariance(rows.map((r) => r.attainment))
  const sd = enough ? Math.sqrt(variance) : null
  const z = sd === null || sd === 0 ? null : (row.attainment - mean) / sd
  return {
    period: row.period,
    attainment: row.attainment,
    reps: rows.length,
    below,
    bottomQuartile: enough && below + 1 <= rows.length / 4,
    peerMean: enough ? mean : null,
    peerSd: sd,
    z,
    farBelow: z !== null && z < -options.sd,
  }
}
