import { divRound } from '../money/rational.ts'
import type { Plan } from '../plans/plan.ts'
import type { Records } from '../records/records.ts'
import { type Cancellation, type Credits, dealValues } from './collect-credits.ts'
import type { RecordFields } from './deal-fields.ts'
import type { Line } from './result.ts'
import type { WhereFilter } from './where-filter.ts'

/** Final paid amount (minor units) of each commission line: [commission][slot × count + offset]. */
export type PaidLines = (bigint | undefined)[][]

/**
 * What commissions paid in periods before the run (from carried state), by
 * `${commission index}:${rep index}:${period offset}` (offset < 0).
 */
export type EarlierPaid = ReadonlyMap<string, { readonly paidMinor: bigint; readonly repValue: bigint }>

interface ClawbackRule {
  readonly index: number
  readonly id: string
  readonly days: number
  readonly metric: number
  readonly values: Float64Array | null
  readonly filter: WhereFilter | null
}

/**
 * Step 4: for each commission with a clawback window (in commission order) and each credited deal
 * cancelled in this period within the window (in deal order), takes back
 * paid × (the deal's credited value) / (the rep's value then), rounded on its own; zero lines are left out.
 */
export class Clawbacks {
  private readonly rules: ClawbackRule[] = []

  constructor(
    plan: Plan,
    private readonly records: Records,
    private readonly credits: Credits,
    private readonly fields: RecordFields,
    private readonly count: number,
    private readonly earlier: EarlierPaid = new Map(),
  ) {
    plan.commissions.forEach((commission, index) => {
      if (commission.clawbackDays === null) return
      const k = plan.metrics.findIndex((m) => m.id === commission.on)
      const metric = plan.metrics[k]
      if (metric === undefined || metric.of !== 'self') return
      if (metric.source.kind === 'count' && metric.source.of === 'activities') return
      this.rules.push({
        index,
        id: commission.id,
        days: commission.clawbackDays,
        metric: k,
        values: dealValues(metric, records),
        filter: fields.dealFilter(metric.where),
      })
    })
  }

  /** Commission index and metric index of each clawback rule (for carrying what was paid). */
  get carried(): readonly {
    readonly index: number
    readonly id: string
    readonly days: number
    readonly metric: number
  }[] {
    return this.rules
  }

  /** The clawback lines of the cancellations booked in one period of one rep. */
  linesFor(cancellations: readonly Cancellation[], paid: PaidLines): Line[] {
    if (cancellations.length === 0) return []
    const lines: Line[] = []
    const d = this.records.deals
    for (const rule of this.rules) {
      for (const x of cancellations) {
        if (x.days > rule.days) continue
        let paidMinor: bigint | undefined
        let repValue: bigint
        if (x.closedOffset < 0) {
          const before = this.earlier.get(`${rule.index}:${x.rep}:${x.closedOffset}`)
          paidMinor = before?.paidMinor
          repValue = before?.repValue ?? 0n
        } else {
          const at = (this.credits.slotOf[x.rep] as number) * this.count + x.closedOffset
          paidMinor = paid[rule.index]?.[at]
          repValue = paidMinor === undefined ? 0n : (this.credits.metricSums[rule.metric]?.get(at) ?? 0n)
        }
        if (paidMinor === undefined || paidMinor === 0n) continue
        if (repValue === 0n) continue
        if (rule.filter !== null && !rule.filter.test(x.deal, x.rep)) continue
        let share = 0
        for (let s = d.shareStart[x.deal] as number; s < (d.shareStart[x.deal + 1] as number); s++) {
          if (d.shareRep[s] === x.rep) share = d.shareMicro[s] as number
        }
        const dealValue = BigInt(rule.values === null ? 1 : (rule.values[x.deal] as number)) * BigInt(share)
        const amountMinor = -divRound(paidMinor * dealValue, repValue)
        if (amountMinor === 0n) continue
        lines.push({
          kind: 'clawback',
          rule: rule.id,
          deal: d.id[x.deal] as string,
          amountMinor,
          forfeitedMinor: 0n,
          cappedMinor: 0n,
        })
      }
    }
    return lines
  }
}
