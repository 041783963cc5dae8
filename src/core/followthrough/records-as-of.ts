import type { ZoneCalendar } from '../calendar/instant.ts'
import {
  type ActivityTable,
  type DealTable,
  type ExtraColumn,
  NO_DAY,
  type Records,
} from '../records/records.ts'

/**
 * The records as they stood at the end of `asOf` (an epoch day in the zone): deals closed and
 * activities that occurred after it are left out, and a cancellation after it is not yet one.
 * Reps and quotas are kept as they are.
 */
export function recordsAsOf(records: Records, asOf: number, zone: ZoneCalendar): Records {
  const dayOf = (day: number, ms: number): number => (Number.isNaN(ms) ? day : zone.localDay(ms))
  return {
    ...records,
    deals: dealsAsOf(records.deals, asOf, dayOf),
    activities: activitiesAsOf(records.activities, asOf, dayOf),
  }
}

function pick<T>(values: readonly T[], keep: readonly number[]): T[] {
  return keep.map((i) => values[i] as T)
}

function pickExtras(
  extras: ReadonlyMap<string, ExtraColumn>,
  keep: readonly number[],
): Map<string, ExtraColumn> {
  return new Map([...extras].map(([k, c]) => [k, { ...c, values: pick(c.values, keep) }]))
}

function dealsAsOf(t: DealTable, asOf: number, dayOf: (day: number, ms: number) => number): DealTable {
  const keep: number[] = []
  for (let i = 0; i < t.length; i++)
    if (dayOf(t.closedDay[i] as number, t.closedMs[i] as number) <= asOf) keep.push(i)
  if (keep.length === t.length && !cancelledAfter(t, asOf, dayOf)) return t
  const cancelledDay = Int32Array.from(keep, (i) => t.cancelledDay[i] as number)
  const cancelledMs = Float64Array.from(keep, (i) => t.cancelledMs[i] as number)
  keep.forEach((i, j) => {
    const day = t.cancelledDay[i] as number
    if (day !== NO_DAY && dayOf(day, t.cancelledMs[i] as number) > asOf) {
      cancelledDay[j] = NO_DAY
      cancelledMs[j] = Number.NaN
    }
  })
  const shareStart = new Int32Array(keep.length + 1)
  const shareRep: number[] = []
  const shareMicro: number[] = []
  keep.forEach((i, j) => {
    shareStart[j] = shareRep.length
    for (let s = t.shareStart[i] as number; s < (t.shareStart[i + 1] as number); s++) {
      shareRep.push(t.shareRep[s] as number)
      shareMicro.push(t.shareMicro[s] as number)
    }
  })
  shareStart[keep.length] = shareRep.length
  return {
    length: keep.length,
    id: pick(t.id, keep),
    closedDay: Int32Array.from(keep, (i) => t.closedDay[i] as number),
    closedMs: Float64Array.from(keep, (i) => t.closedMs[i] as number),
    cancelledDay,
    cancelledMs,
    amountMinor: Float64Array.from(keep, (i) => t.amountMinor[i] as number),
    mrrMinor: Float64Array.from(keep, (i) => t.mrrMinor[i] as number),
    type: pick(t.type, keep),
    customer: pick(t.customer, keep),
    termMonths: Float64Array.from(keep, (i) => t.termMonths[i] as number),
    shareStart,
    shareRep: Int32Array.from(shareRep),
    shareMicro: Int32Array.from(shareMicro),
    extras: pickExtras(t.extras, keep),
  }
}

function cancelledAfter(t: DealTable, asOf: number, dayOf: (day: number, ms: number) => number): boolean {
  for (let i = 0; i < t.length; i++) {
    const day = t.cancelledDay[i] as number
    if (day !== NO_DAY && dayOf(day, t.cancelledMs[i] as number) > asOf) return true
  }
  return false
}

function activitiesAsOf(
  t: ActivityTable,
  asOf: number,
  dayOf: (day: number, ms: number) => number,
): ActivityTable {
  const keep: number[] = []
  for (let i = 0; i < t.length; i++)
    if (dayOf(t.occurredDay[i] as number, t.occurredMs[i] as number) <= asOf) keep.push(i)
  if (keep.length === t.length) return t
  return {
    length: keep.length,
    id: pick(t.id, keep),
    rep: Int32Array.from(keep, (i) => t.rep[i] as number),
    kind: pick(t.kind, keep),
    occurredDay: Int32Array.from(keep, (i) => t.occurredDay[i] as number),
    occurredMs: Float64Array.from(keep, (i) => t.occurredMs[i] as number),
    extras: pickExtras(t.extras, keep),
  }
}
