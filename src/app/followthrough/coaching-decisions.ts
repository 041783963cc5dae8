import { formatLocalDate } from '../../core/calendar/civil.ts'
import { parsePeriodKey, periodEnd, periodKey, periodStart } from '../../core/calendar/period.ts'
import type { RepJson } from '../../core/engine/result-json.ts'
import { toResultJson } from '../../core/engine/result-json.ts'
import { runEngine } from '../../core/engine/run-engine.ts'
import { compileCel } from '../../core/plans/cel.ts'
import type { Plan, Rule } from '../../core/plans/plan.ts'
import { loadRecords } from '../close/load-records.ts'
import { PlanVersions } from '../close/plans-of-record.ts'
import type { Queryable } from '../ports/sql.ts'

export type CoachingDecision = 'passed' | 'failed' | 'undecided'

/** An open coaching plan whose last period is being closed. */
export interface EndingCoaching {
  readonly id: string
  readonly repId: string
  readonly planId: string
  readonly rule: string
}

/**
 * The decisions the close's own engine run made (step 5), by the rep's result object: the close
 * sets them (computeClose) before it opens outcomes, so that no second run is needed.
 */
const reported = new WeakMap<RepJson, Map<string, CoachingDecision>>()

/** Records how the close's engine run decided the coaching plan of `rule` for this rep's result. */
export function reportCoachingDecision(rep: RepJson, rule: string, decision: CoachingDecision): void {
  const known = reported.get(rep) ?? new Map<string, CoachingDecision>()
  known.set(rule, decision)
  reported.set(rep, known)
}

// Ids a plan cannot use (plan ids are identifiers), so the probe rules never meet a real one.
const PASSED = ' coaching passed'
const FAILED = ' coaching failed'

/**
 * How the engine decided each coaching plan that ends in `period`: as the close's own engine run
 * reported it (`reportCoachingDecision`, the usual case). For a result without that report (the
 * JSON alone does not carry the decision, only what rules read from it: `coaching.passed`,
 * `coaching.failed`): a plan the engine left undecided says so in the rep's
 * warnings; otherwise the engine runs once more over the same plans and records with two probe rules
 * appended (`when: coaching.passed` / `coaching.failed`, no effects), which change nothing else,
 * and the rule that fired is the decision. Runs only when some plan ends in the period, with the
 * plan version effective at the period's start throughout (a close may use older versions for
 * earlier periods; a plan changed during a coaching plan is the one case where the two can differ).
 */
export async function decideCoaching(
  tx: Queryable,
  args: {
    orgId: string
    period: string
    ending: readonly EndingCoaching[]
    repResults: readonly { readonly planId: string; readonly rep: RepJson }[]
  },
): Promise<Map<string, CoachingDecision>> {
  const decisions = new Map<string, CoachingDecision>()
  const toProbe: EndingCoaching[] = []
  for (const c of args.ending) {
    const rep = args.repResults.find((r) => r.planId === c.planId && r.rep.rep === c.repId)?.rep
    const known = rep === undefined ? undefined : reported.get(rep)?.get(c.rule)
    if (known !== undefined) {
      decisions.set(c.id, known)
      continue
    }
    const undecided =
      rep === undefined ||
      rep.warnings.some((w) =>
        w.startsWith(`The coaching plan of ${c.repId} opened in rule "${c.rule}" was left undecided`),
      )
    if (undecided) decisions.set(c.id, 'undecided')
    else toProbe.push(c)
  }
  if (toProbe.length === 0) return decisions
  const key = parsePeriodKey(args.period)
  if (key === null) throw new Error(`Not a period: ${args.period}`)
  const closed = await tx.query<{ key: string }>(
    `select key from periods where org_id = $1 and kind = $2 and status = 'closed'`,
    [args.orgId, key.kind],
  )
  const first = Math.min(key.index, ...closed.map((p) => parsePeriodKey(p.key)?.index ?? key.index))
  // The version effective at the period's start, as the close uses for this period.
  const versions = await PlanVersions.load(tx, args.orgId)
  const start = formatLocalDate(periodStart(key.kind, key.index))
  const plans = [...new Set(toProbe.map((c) => c.planId))]
    .map((id) => versions.effectiveOn(id, start)?.plan)
    .filter((p): p is Plan => p !== undefined && p.period === key.kind)
    .map(withProbes)
  const from = periodStart(key.kind, first)
  const to = periodEnd(key.kind, key.index)
  const keys = Array.from({ length: key.index - first + 1 }, (_, i) => periodKey(key.kind, first + i))
  // As the close reads them (activities only when a plan counts them).
  const range = {
    from: formatLocalDate(from),
    to: formatLocalDate(to),
    periods: keys,
    activities: plans.some((p) =>
      p.metrics.some((m) => m.source.kind === 'count' && m.source.of === 'activities'),
    ),
  }
  const loaded = await loadRecords(tx, args.orgId, plans, formatLocalDate(to), range)
  if (!loaded.ok) throw new Error('The records no longer check while deciding coaching plans.')
  const run = toResultJson(runEngine(plans, loaded.records, { from, to }))
  for (const c of toProbe) {
    const rep = run.plans
      .find((p) => p.id === c.planId)
      ?.periods.find((p) => p.period === args.period)
      ?.reps.find((r) => r.rep === c.repId)
    const fired = new Set(rep?.outcomes.map((o) => o.rule) ?? [])
    decisions.set(c.id, fired.has(PASSED) ? 'passed' : fired.has(FAILED) ? 'failed' : 'undecided')
  }
  return decisions
}

function withProbes(plan: Plan): Plan {
  const probe = (id: string, source: string): Rule => {
    const compiled = compileCel(source, 'when')
    if (!compiled.ok) throw new Error(`Probe rule does not compile: ${compiled.message}`)
    return { id, when: compiled.program, then: { order: [] } }
  }
  return {
    ...plan,
    rules: [...plan.rules, probe(PASSED, 'coaching.passed'), probe(FAILED, 'coaching.failed')],
  }
}
