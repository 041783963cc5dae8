import { parseLocalDate } from '../calendar/civil.ts'
import type { ZoneCalendar } from '../calendar/instant.ts'
import { periodEnd, periodIndexOf, periodStart } from '../calendar/period.ts'
import type { Metric, Plan } from '../plans/plan.ts'
import type { Records } from '../records/records.ts'
import { SlotSums } from './accumulator.ts'
import { type RecordFields, scaledInteger } from './deal-fields.ts'
import type { PlanWindow } from './plan-window.ts'

/** A credit of a deal cancelled in a later period than it closed in, for clawbacks. */
export interface Cancellation {
  readonly deal: number
  readonly rep: number
  /** Negative for a deal that closed before the window (its payment is in the carried state). */
  readonly closedOffset: number
  /** -1 when the cancellation falls after the window. */
  readonly cancelledOffset: number
  /** Local days from closed_on to cancelled_on. */
  readonly days: number
}

/** Every credit of one plan's window, summed by (rep, period) in one pass over the records. */
export interface Credits {
  /** Rep index → slot, or -1 for reps the plan does not read. */
  readonly slotOf: Int32Array
  /** Slot → rep index. */
  readonly repOfSlot: readonly number[]
  /** 1 where the rep of a slot is employed in a period: index slot × count + offset. */
  readonly employed: Uint8Array
  /** Self value of each metric by slot × count + offset, as integers over `metricScale`. */
  readonly metricSums: readonly SlotSums[]
  readonly metricScale: readonly bigint[]
  /** Spiff amounts in minor units × millionths of share. */
  readonly spiffSums: readonly SlotSums[]
  /** Deals credited to a rep of the plan in a period in which the rep is not employed. */
  readonly uncomputed: ReadonlyMap<number, string[]>
  readonly cancellations: readonly Cancellation[]
}

export function isEmployed(
  hiredOn: number | null,
  leftOn: number | null,
  start: number,
  end: number,
): boolean {
  return (hiredOn === null || hiredOn <= end) && (leftOn === null || leftOn >= start)
}

/**
 * Sums a plan's metrics and spiffs per rep and period over deals and activities, once. With
 * `earlier`, a deal that closed before the window and is cancelled inside it is listed among the
 * cancellations too (closedOffset < 0), for a run that starts from carried state.
 */
export function collectCredits(
  plan: Plan,
  records: Records,
  window: PlanWindow,
  zone: ZoneCalendar,
  fields: RecordFields,
  earlier = false,
): Credits {
  const { reps, deals, activities } = records
  const n = window.count
  const needsReports = plan.metrics.some((m) => m.of !== 'self')
  const slotOf = new Int32Array(reps.length).fill(-1)
  const repOfSlot: number[] = []
  for (const rep of reps) {
    if (rep.plan === plan.id || (needsReports && rep.plan !== null)) {
      slotOf[rep.index] = repOfSlot.length
      repOfSlot.push(rep.index)
    }
  }
  const employed = new Uint8Array(repOfSlot.length * n)
  repOfSlot.forEach((r, slot) => {
    const rep = reps[r]
    if (rep === undefined) return
    for (let p = 0; p < n; p++) {
      const start = periodStart(window.kind, window.first + p)
      const end = periodEnd(window.kind, window.first + p)
      if (isEmployed(rep.hiredOn, rep.leftOn, start, end)) employed[slot * n + p] = 1
    }
  })
  const size = repOfSlot.length * n
  const metricSums = plan.metrics.map(() => new SlotSums(size))
  const metricScale = plan.metrics.map((m) => scaleOf(m, plan, records))
  const spiffSums = plan.spiffs.map(() => new SlotSums(size))
  const dealMetrics = plan.metrics
    .map((m, k) => ({
      m,
      k,
      filter: fields.dealFilter(m.where),
      values: dealValues(m, records),
    }))
    .filter((x) => !(x.m.source.kind === 'count' && x.m.source.of === 'activities'))
  const spiffs = plan.spiffs.map((s, k) => ({
    k,
    minor: Number(s.amountMinor),
    filter: fields.dealFilter(s.where),
    from: s.from === null ? -Infinity : dayOf(s.from),
    to: s.to === null ? Infinity : dayOf(s.to),
  }))
  const uncomputed = new Map<number, string[]>()
  const cancellations: Cancellation[] = []
  const isOnPlan = new Uint8Array(reps.length)
  for (const rep of reps) if (rep.plan === plan.id) isOnPlan[rep.index] = 1

  for (let d = 0; d < deals.length; d++) {
    const closedMs = deals.closedMs[d] as number
    const closedDay = Number.isNaN(closedMs) ? (deals.closedDay[d] as number) : zone.localDay(closedMs)
    const p = window.offsetOf(closedDay)
    if (p < 0) {
      if (earlier && closedDay < window.startDay) cancelledBefore(d, closedDay)
      continue
    }
    let cancelledOffset = -1
    let cancelledDay = 0
    const cancelMs = deals.cancelledMs[d] as number
    const hasCancel = !Number.isNaN(cancelMs) || (deals.cancelledDay[d] as number) !== -2147483648
    if (hasCancel) {
      cancelledDay = Number.isNaN(cancelMs) ? (deals.cancelledDay[d] as number) : zone.localDay(cancelMs)
      cancelledOffset = window.offsetOf(cancelledDay)
      if (cancelledOffset === p) continue // cancelled in the period it closed: not credited at all
    }
    for (let k = deals.shareStart[d] as number; k < (deals.shareStart[d + 1] as number); k++) {
      const r = deals.shareRep[k] as number
      const slot = slotOf[r] as number
      if (slot < 0) continue
      const at = slot * n + p
      const onPlan = isOnPlan[r] === 1
      if (employed[at] === 0) {
        if (onPlan) {
          const list = uncomputed.get(at)
          if (list === undefined) uncomputed.set(at, [deals.id[d] as string])
          else list.push(deals.id[d] as string)
        }
        continue
      }
      const share = deals.shareMicro[k] as number
      for (let i = 0; i < dealMetrics.length; i++) {
        const { k: mk, filter, values } = dealMetrics[i] as (typeof dealMetrics)[number]
        if (filter !== null && !filter.test(d, r)) continue
        ;(metricSums[mk] as SlotSums).addProduct(at, values === null ? 1 : (values[d] as number), share)
      }
      if (!onPlan) continue
      for (const s of spiffs) {
        if (closedDay < s.from || closedDay > s.to) continue
        if (s.filter !== null && !s.filter.test(d, r)) continue
        ;(spiffSums[s.k] as SlotSums).addProduct(at, s.minor, share)
      }
      if (hasCancel) {
        cancellations.push({
          deal: d,
          rep: r,
          closedOffset: p,
          cancelledOffset,
          days: cancelledDay - closedDay,
        })
      }
    }
  }

  /** A deal closed before the window, cancelled inside it: a cancellation per credit of a rep on the plan. */
  function cancelledBefore(d: number, closedDay: number): void {
    const cancelMs = deals.cancelledMs[d] as number
    const written = deals.cancelledDay[d] as number
    if (Number.isNaN(cancelMs) && written === -2147483648) return
    const cancelledDay = Number.isNaN(cancelMs) ? written : zone.localDay(cancelMs)
    const cancelledOffset = window.offsetOf(cancelledDay)
    if (cancelledOffset < 0) return
    const closedOffset = periodIndexOf(window.kind, closedDay) - window.first
    for (let k = deals.shareStart[d] as number; k < (deals.shareStart[d + 1] as number); k++) {
      const r = deals.shareRep[k] as number
      if ((slotOf[r] as number) < 0 || isOnPlan[r] !== 1) continue
      cancellations.push({ deal: d, rep: r, closedOffset, cancelledOffset, days: cancelledDay - closedDay })
    }
  }

  const activityMetrics = plan.metrics
    .map((m, k) => ({ m, k, filter: fields.activityFilter(m.where) }))
    .filter((x) => x.m.source.kind === 'count' && x.m.source.of === 'activities')
  if (activityMetrics.length > 0) {
    for (let a = 0; a < activities.length; a++) {
      const r = activities.rep[a] as number
      const slot = slotOf[r] as number
      if (slot < 0) continue
      const ms = activities.occurredMs[a] as number
      const p = window.offsetOf(Number.isNaN(ms) ? (activities.occurredDay[a] as number) : zone.localDay(ms))
      if (p < 0 || employed[slot * n + p] === 0) continue
      for (const { k, filter } of activityMetrics) {
        if (filter !== null && !filter.test(a, r)) continue
        ;(metricSums[k] as SlotSums).addProduct(slot * n + p, 1, 1)
      }
    }
  }
  return { slotOf, repOfSlot, employed, metricSums, metricScale, spiffSums, uncomputed, cancellations }
}

function dayOf(text: string): number {
  const day = parseLocalDate(text)
  if (day === null) throw new RangeError(`Not a date: ${text}`)
  return day
}

/** Per-deal integer values of a deal metric (null: count, 1 per deal). */
export function dealValues(metric: Metric, records: Records): Float64Array | null {
  const deals = records.deals
  if (metric.source.kind === 'count') return null
  switch (metric.source.field) {
    case 'amount':
      return deals.amountMinor
    case 'mrr':
      return deals.mrrMinor
    case 'term_months':
      return deals.termMonths.map((v) => (Number.isNaN(v) ? 0 : v))
    default: {
      const column = deals.extras.get(metric.source.field)
      const out = new Float64Array(deals.length)
      if (column === undefined) return out
      for (let d = 0; d < deals.length; d++) out[d] = scaledInteger(column.values[d] ?? '', column.scale)
      return out
    }
  }
}

/** The divisor that turns a metric's summed integers into currency units or plain numbers. */
function scaleOf(metric: Metric, plan: Plan, records: Records): bigint {
  const share = 1_000_000n
  if (metric.source.kind === 'count') return metric.source.of === 'deals' ? share : 1n
  const field = metric.source.field
  if (field === 'amount' || field === 'mrr') return share * 10n ** BigInt(plan.currency.digits)
  if (field === 'term_months') return share
  return share * 10n ** BigInt(records.deals.extras.get(field)?.scale ?? 0)
}
