import { formatLocalDate } from '../../core/calendar/civil.ts'
import {
  type PeriodKind,
  parsePeriodKey,
  periodEnd,
  periodKey,
  periodStart,
} from '../../core/calendar/period.ts'
import { toResultJson, type LineJson, type RepJson, type ResultJson } from '../../core/engine/result-json.ts'
import type { PeriodResult, PlanResult } from '../../core/engine/result.ts'
import { runEngine } from '../../core/engine/run-engine.ts'
import type { CarriedState } from '../../core/engine/state.ts'
import type { Plan } from '../../core/plans/plan.ts'
import { reportCoachingDecision } from '../followthrough/coaching-decisions.ts'
import type { Queryable } from '../ports/sql.ts'
import { adjustmentRefs, type PeriodPayouts } from './adjustment-refs.ts'
import { type CloseCarry, fingerprints, loadCarry, sameData, withPlans } from './carried-state.ts'
import { CloseError } from './close-error.ts'
import { loadRecords } from './load-records.ts'
import { type PlanOfRecord, PlanVersions } from './plans-of-record.ts'

export interface ComputedClose {
  /** The calc result shape for the period, with prior-period adjustments among the lines. */
  readonly result: ResultJson
  /** The version of each plan the period was computed with. */
  readonly versions: Map<string, number>
  /** Per rep with a prior-period adjustment: what it refers to (ledger `ref`). */
  readonly refs: Map<string, Record<string, unknown>>
  /** What the close stores for the next one (close_states); `carry.close.path` says how it computed. */
  readonly carry: CloseCarry
  /** Why the full recompute was taken (null on the carried path). */
  readonly fullBecause: string | null
}

/**
 * Computes a period for every plan of its kind. The carried path (ADR 0009): when the previous
 * period's close stored its state, every plan's version is the one that close used, and nothing
 * that its closed periods were computed from has changed since (nor is any earlier difference
 * outstanding), the engine runs this one period from that state. Otherwise the full path: the
 * one engine runs from the first closed period of that kind through this one (so balances,
 * streaks, boosts and coaching carry over), each closed period with the plan version recorded at
 * its close and this one with the version effective at its start; what the closed periods owe now
 * beyond what they booked (late data) is added as a prior-period adjustment line. Reads only; the
 * caller stores.
 */
export async function computeClose(
  tx: Queryable,
  args: { orgId: string; period: string },
  kind: PeriodKind,
  index: number,
): Promise<ComputedClose> {
  const periods = await tx.query<{ key: string; status: string }>(
    'select key, status from periods where org_id = $1 and kind = $2 order by key',
    [args.orgId, kind],
  )
  if (periods.some((p) => p.key === args.period && p.status === 'closed')) {
    throw new CloseError(
      'close.closed',
      `${args.period} is already closed. To close it again, reopen it first: followthrough close reopen ${args.period} --reason "…"`,
    )
  }
  const closed = periods.filter((p) => p.status === 'closed').map((p) => parsePeriodKey(p.key)?.index ?? 0)
  const first = closed.length === 0 ? index : Math.min(...closed)
  if (closed.length > 0 && index < first) {
    throw new CloseError(
      'close.out_of_order',
      `${args.period} is before ${periodKey(kind, first)}, the first closed period.`,
    )
  }
  for (let p = first; p < index; p++) {
    if (!closed.includes(p)) {
      throw new CloseError(
        'close.out_of_order',
        `${periodKey(kind, p)} is still open: close it before ${args.period}.`,
      )
    }
  }

  const versions = await PlanVersions.load(tx, args.orgId)
  const startOf = (p: number) => formatLocalDate(periodStart(kind, p))
  const current = versions.planIds
    .map((id) => versions.effectiveOn(id, startOf(index)))
    .filter((p) => p !== null && p.plan.period === kind)
    .map((p) => p as NonNullable<typeof p>)
  if (current.length === 0) throw new CloseError('close.no_plans', `No published plan has ${kind}ly periods.`)

  const recorded = await recordedCloses(tx, args.orgId, periodKey(kind, first), args.period)
  const plansOfRun = current.map((p) => p.plan)
  for (const { versions: used } of recorded.values()) {
    for (const [id, v] of Object.entries(used)) {
      const plan = versions.version(id, v)?.plan
      if (plan !== undefined) plansOfRun.push(plan)
    }
  }
  // Whether activities can change what any period of the run computes.
  const activities = countsActivities(plansOfRun)
  let fullBecause = 'nothing of this kind is closed yet'
  if (closed.length > 0) {
    const carried = await closeFromCarried(tx, args, kind, first, index, current, recorded, activities)
    if (carried.ok) return carried.computed
    fullBecause = carried.because
  }
  const from = periodStart(kind, first)
  const to = periodEnd(kind, index)
  const printed = await fingerprints(tx, args.orgId, kind, first, index, activities)
  const loaded = await loadRecords(
    tx,
    args.orgId,
    current.map((p) => p.plan),
    formatLocalDate(to),
    {
      from: formatLocalDate(from),
      to: formatLocalDate(to),
      periods: periodKeys(kind, first, index),
      activities,
    },
  )
  if (!loaded.ok)
    throw new CloseError('close.bad_data', 'The data in the database does not check.', loaded.issues)

  // Per plan, the version of each period first … index; one engine run per distinct version,
  // from the first closed period through the last period that uses it.
  const ends = new Map<string, CarriedState>()
  const planResults: PlanResult[] = current.map((now) => {
    const byPeriod: number[] = []
    for (let p = first; p <= index; p++) {
      const key = periodKey(kind, p)
      const version =
        p === index
          ? now.version
          : (recorded.get(key)?.versions[now.plan.id] ??
            versions.effectiveOn(now.plan.id, startOf(p))?.version ??
            now.version)
      byPeriod.push(version)
    }
    const periodsOut: PeriodResult[] = new Array<PeriodResult>(byPeriod.length)
    for (const version of new Set(byPeriod)) {
      const plan = versions.version(now.plan.id, version)?.plan ?? now.plan
      const last = byPeriod.lastIndexOf(version)
      // The run through this period (of the version now) reports the state this close stores.
      const through = last === byPeriod.length - 1
      const run = runEngine(
        [plan],
        loaded.records,
        { from, to: periodEnd(kind, first + last) },
        { reportState: through },
      )
      if (through && run.plans[0]?.end !== undefined) ends.set(now.plan.id, run.plans[0].end)
      for (const period of run.plans[0]?.periods ?? []) {
        const offset = (parsePeriodKey(period.period)?.index ?? -1) - first
        if (byPeriod[offset] === version) periodsOut[offset] = period
      }
    }
    return {
      plan: now.plan,
      id: now.plan.id,
      currency: now.plan.currency,
      period: kind,
      periods: periodsOut.filter((p) => p !== undefined),
    }
  })
  const run = toResultJson({ plans: planResults })

  // What the closed periods owe now, per rep and period, against what the ledger booked for them.
  const truth: PeriodPayouts = new Map()
  for (const plan of run.plans) {
    for (const period of plan.periods) {
      if (period.period === args.period) continue
      for (const rep of period.reps) {
        const perRep = truth.get(rep.rep) ?? new Map<string, bigint>()
        perRep.set(period.period, (perRep.get(period.period) ?? 0n) + BigInt(rep.payout))
        truth.set(rep.rep, perRep)
      }
    }
  }
  const booked = await bookedFor(tx, args.orgId, periodKeys(kind, first, index - 1))
  const differences = new Map<string, { owed: bigint; booked: bigint }>()
  for (const rep of new Set([...truth.keys(), ...booked.keys()])) {
    let owed = 0n
    for (const amount of truth.get(rep)?.values() ?? []) owed += amount
    const paid = booked.get(rep) ?? 0n
    if (owed !== paid) differences.set(rep, { owed, booked: paid })
  }
  const refs =
    differences.size === 0
      ? new Map<string, Record<string, unknown>>()
      : await adjustmentRefs(tx, args.orgId, differences, truth, recorded)
  const adjusted = new Set<string>()
  const result: ResultJson = {
    plans: run.plans.map((plan) => {
      const period = plan.periods.find((p) => p.period === args.period)
      return {
        ...plan,
        periods:
          period === undefined
            ? []
            : [{ ...period, reps: period.reps.map((rep) => adjust(rep, differences, adjusted)) }],
      }
    }),
  }
  reportDecisions(planResults, result, args.period)
  // What this close stores: the closed periods (this one included) as computed, and their data.
  const owed = new Map<string, bigint>()
  for (const [rep, perPeriod] of truth) for (const amount of perPeriod.values()) add(owed, rep, amount)
  for (const plan of run.plans)
    for (const rep of plan.periods.find((p) => p.period === args.period)?.reps ?? [])
      add(owed, rep.rep, BigInt(rep.payout))
  const prints = withPlans(printed, loaded.records, kind, index)
  return {
    result,
    versions: new Map(current.map((p) => [p.plan.id, p.version])),
    refs,
    carry: {
      plans: current.flatMap((p) => {
        const state = ends.get(p.plan.id)
        return state === undefined ? [] : [{ planId: p.plan.id, version: p.version, state }]
      }),
      close: { path: 'full', owedMinor: textOf(owed), fingerprint: prints.after },
    },
    fullBecause,
  }
}

/** Hands the engine's coaching decisions of the period to the follow-through (no second run). */
function reportDecisions(engine: readonly PlanResult[], result: ResultJson, period: string): void {
  for (const plan of engine) {
    const json = result.plans.find((p) => p.id === plan.id)?.periods.find((p) => p.period === period)?.reps
    const byRep = new Map((json ?? []).map((r) => [r.rep, r]))
    for (const rep of plan.periods.find((p) => p.period === period)?.reps ?? []) {
      const target = byRep.get(rep.rep)
      if (rep.coaching !== undefined && target !== undefined)
        reportCoachingDecision(target, rep.coaching.rule, rep.coaching.decision)
    }
  }
}

const add = (map: Map<string, bigint>, rep: string, amount: bigint): void =>
  void map.set(rep, (map.get(rep) ?? 0n) + amount)

const textOf = (map: Map<string, bigint>): Record<string, string> =>
  Object.fromEntries(
    [...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => [k, String(v)]),
  )

const countsActivities = (plans: readonly Plan[]): boolean =>
  plans.some((p) => p.metrics.some((m) => m.source.kind === 'count' && m.source.of === 'activities'))

/** What each rep's entries of these periods add up to (accepted disputes' adjustments aside). */
async function bookedFor(
  tx: Queryable,
  orgId: string,
  periods: readonly string[],
): Promise<Map<string, bigint>> {
  const booked = new Map<string, bigint>()
  for (const row of await tx.query<{ rep_id: string; total: string }>(
    // Adjustments of accepted disputes (close_id 'dispute:N') are decisions, not computed: not reconciled.
    `select rep_id, sum(amount_minor)::text as total from ledger_entries
      where org_id = $1 and period = any($2::text[]) and close_id not like 'dispute:%' group by rep_id`,
    [orgId, periods],
  )) {
    booked.set(row.rep_id, BigInt(row.total))
  }
  return booked
}

/**
 * The carried path: this one period from the state stored with the previous period's close, when
 * that is exactly what the full path would compute; otherwise why not.
 */
async function closeFromCarried(
  tx: Queryable,
  args: { orgId: string; period: string },
  kind: PeriodKind,
  first: number,
  index: number,
  current: readonly PlanOfRecord[],
  recorded: RecordedCloses,
  activitiesInRun: boolean,
): Promise<{ ok: true; computed: ComputedClose } | { ok: false; because: string }> {
  const previous = recorded.get(periodKey(kind, index - 1))
  if (previous === undefined)
    return { ok: false, because: `no close of ${periodKey(kind, index - 1)} is recorded` }
  const carry = await loadCarry(tx, args.orgId, previous.closeId)
  if (carry === null)
    return { ok: false, because: `the close of ${periodKey(kind, index - 1)} stored no state` }
  const ofKind = Object.keys(previous.versions).filter((id) => carry.plans.some((p) => p.planId === id))
  const same =
    ofKind.length === current.length &&
    Object.keys(previous.versions).length === current.length &&
    current.every(
      (p) =>
        previous.versions[p.plan.id] === p.version &&
        carry.plans.some((c) => c.planId === p.plan.id && c.version === p.version),
    )
  if (!same) return { ok: false, because: 'a plan or plan version differs from the previous close' }
  const maxDays = Math.max(-1, ...current.flatMap((p) => p.plan.commissions.map((c) => c.clawbackDays ?? -1)))
  const from = periodStart(kind, index)
  const to = periodEnd(kind, index)
  const plans = current.map((p) => p.plan)
  const printed = await fingerprints(tx, args.orgId, kind, first, index, activitiesInRun)
  const changed = 'data of the closed periods changed since the last close'
  if (!sameData(carry.close.fingerprint, printed.before, ['plans'])) return { ok: false, because: changed }
  const loaded = await loadRecords(tx, args.orgId, plans, formatLocalDate(to), {
    from: formatLocalDate(from),
    to: formatLocalDate(to),
    periods: [args.period],
    activities: countsActivities(plans),
    ...(maxDays < 0 ? {} : { cancelledSince: formatLocalDate(from - maxDays - 2) }),
  })
  if (!loaded.ok)
    throw new CloseError('close.bad_data', 'The data in the database does not check.', loaded.issues)
  const prints = withPlans(printed, loaded.records, kind, index)
  if (!sameData(carry.close.fingerprint, prints.before))
    return { ok: false, because: 'the plan of a rep in the closed periods changed since the last close' }
  const owed = new Map(Object.entries(carry.close.owedMinor).map(([rep, v]) => [rep, BigInt(v)]))
  const booked = await bookedFor(tx, args.orgId, periodKeys(kind, first, index - 1))
  for (const rep of new Set([...owed.keys(), ...booked.keys()])) {
    if ((owed.get(rep) ?? 0n) !== (booked.get(rep) ?? 0n))
      return { ok: false, because: `the closed periods of ${rep} booked other than they owe` }
  }
  const run = runEngine(
    plans,
    loaded.records,
    { from, to },
    {
      carried: new Map(carry.plans.map((p) => [p.planId, p.state])),
      reportState: true,
    },
  )
  const result = toResultJson(run)
  reportDecisions(run.plans, result, args.period)
  for (const plan of result.plans)
    for (const rep of plan.periods.find((p) => p.period === args.period)?.reps ?? [])
      add(owed, rep.rep, BigInt(rep.payout))
  return {
    ok: true,
    computed: {
      result: {
        plans: result.plans.map((plan) => ({
          ...plan,
          periods: plan.periods.filter((p) => p.period === args.period),
        })),
      },
      versions: new Map(current.map((p) => [p.plan.id, p.version])),
      refs: new Map(),
      carry: {
        plans: current.flatMap((p, i) => {
          const state = run.plans[i]?.end
          return state === undefined ? [] : [{ planId: p.plan.id, version: p.version, state }]
        }),
        close: { path: 'carried', owedMinor: textOf(owed), fingerprint: prints.after },
      },
      fullBecause: null,
    },
  }
}

/** Period keys of a kind from one index through another, in order. */
function periodKeys(kind: PeriodKind, from: number, to: number): string[] {
  const out: string[] = []
  for (let p = from; p <= to; p++) out.push(periodKey(kind, p))
  return out
}

/** The latest close of each closed period in [from, to): its id, time and plan versions. */
export type RecordedCloses = Map<
  string,
  { closeId: string; closedAt: string; versions: Record<string, number> }
>

export async function recordedCloses(
  tx: Queryable,
  orgId: string,
  from: string,
  to: string,
): Promise<RecordedCloses> {
  const rows = await tx.query<{ period: string; id: string; started_at: unknown; plan_versions: unknown }>(
    // The latest by time, and of closes at the same instant the one with the later ledger head.
    `select distinct on (c.period) c.period, c.id, c.started_at, c.plan_versions from close_runs c
       left join ledger_heads h on h.org_id = c.org_id and h.close_id = c.id
      where c.org_id = $1 and c.period >= $2 and c.period < $3 and not c.dry_run and c.status = 'done'
      order by c.period, c.started_at desc, h.seq desc nulls last`,
    [orgId, from, to],
  )
  const out: RecordedCloses = new Map()
  for (const row of rows) {
    let versions = (
      typeof row.plan_versions === 'string' ? JSON.parse(row.plan_versions) : row.plan_versions
    ) as Record<string, number> | null
    if (versions === null) {
      // A close from before plan versions were recorded with it: read them from its results.
      versions = {}
      for (const r of await tx.query<{ plan_id: string; plan_version: number }>(
        'select distinct plan_id, plan_version from results where org_id = $1 and close_id = $2',
        [orgId, row.id],
      ))
        versions[r.plan_id] = Number(r.plan_version)
    }
    const at = row.started_at instanceof Date ? row.started_at.toISOString() : String(row.started_at)
    out.set(row.period, { closeId: row.id, closedAt: at, versions })
  }
  return out
}

/**
 * Adds a prior-period adjustment (what the closed periods now owe minus what they booked) once per
 * rep and, when the payout goes negative, a carry.
 */
function adjust(
  rep: RepJson,
  differences: Map<string, { owed: bigint; booked: bigint }>,
  adjusted: Set<string>,
): RepJson {
  const d = differences.get(rep.rep)
  if (d === undefined || adjusted.has(rep.rep)) return rep
  adjusted.add(rep.rep)
  const difference = d.owed - d.booked
  const lines: LineJson[] = [
    ...rep.lines,
    { kind: 'adjustment', amount: Number(difference), forfeited: 0, capped: 0 },
  ]
  let payout = rep.payout + Number(difference)
  let balance = rep.balance
  if (payout < 0) {
    lines.push({ kind: 'carry', amount: -payout, forfeited: 0, capped: 0 })
    balance += -payout
    payout = 0
  }
  return { ...rep, lines, payout, balance }
}
