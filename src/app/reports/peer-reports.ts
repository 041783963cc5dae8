import {
  type AfterMissResult,
  AFTER_MISS_MINIMUM,
  analyseAfterMiss,
} from '../../core/followthrough/after-miss.ts'
import { describeCondition } from '../../core/plans/describe-condition.ts'
import { describeEffects } from '../../core/plans/describe-effects.ts'
import { DomainError } from '../../core/domain-error.ts'
import { CONSEQUENCE_EFFECTS } from '../../core/followthrough/outcome-item.ts'
import {
  findUnderPerformers,
  UNDER_PERFORMER_DEFAULTS,
  type UnderPerformer,
  type UnderPerformerOptions,
} from '../../core/followthrough/under-performers.ts'
import { plansOfRecord } from '../close/plans-of-record.ts'
import type { Queryable } from '../ports/sql.ts'
import { loadAttainments } from './load-attainments.ts'
import { loadOutcomeItems } from './load-outcome-items.ts'
import { resolveAsOf } from './report-context.ts'

/**
 * "Word spreads": per team, the next-period attainment of the team's other reps (not the reps who
 * missed, nor reps who manage others) after unenforced against enforced misses.
 */
export async function afterMissReport(
  db: Queryable,
  args: { orgId: string; now: Date; asOf?: string; minimum?: number },
): Promise<{ asOf: string; minimum: number; teams: AfterMissResult[] }> {
  const asOf = await resolveAsOf(db, args.orgId, args.now, args.asOf)
  const outcomes = await loadOutcomeItems(db, args.orgId)
  // Reps who manage others are left out: their attainment is made of their team's.
  const managers = new Set(
    (
      await db.query<{ manager: string }>(
        'select distinct manager from reps where org_id = $1 and manager is not null',
        [args.orgId],
      )
    ).map((r) => r.manager),
  )
  const attainments = (await loadAttainments(db, args.orgId)).attainments.filter((a) => !managers.has(a.rep))
  const minimum = args.minimum ?? AFTER_MISS_MINIMUM
  return { asOf, minimum, teams: analyseAfterMiss(outcomes, attainments, asOf, minimum) }
}

/** The organization setting that overrides K of N for under-performers. */
export const UNDER_PERFORMERS_SETTING = 'followthrough.under_performers'

/** What the plan already says happens: a rule with a consequence, in words. */
export interface StatedConsequence {
  readonly rule: string
  readonly when: string
  readonly then: string
}

export interface UnderPerformerRow extends UnderPerformer {
  readonly repName: string
  readonly team: string
  readonly manager: string | null
  readonly planSays: readonly StatedConsequence[]
}

/**
 * Under-performers relative to peers of the same plan (see findUnderPerformers): K and N from the
 * arguments, else the organization's setting `followthrough.under_performers` ({"k": 3, "n": 4}),
 * else 3 of 4; each with the evidence and the plan's rules that state a consequence.
 */
export async function underPerformersReport(
  db: Queryable,
  args: { orgId: string; k?: number; n?: number },
): Promise<{ options: UnderPerformerOptions; reps: UnderPerformerRow[] }> {
  const [setting] = await db.query<{ value: unknown }>(
    'select value from org_settings where org_id = $1 and key = $2',
    [args.orgId, UNDER_PERFORMERS_SETTING],
  )
  const stored = (
    typeof setting?.value === 'string' ? JSON.parse(setting.value) : (setting?.value ?? {})
  ) as {
    k?: unknown
    n?: unknown
  }
  const pick = (given: number | undefined, saved: unknown, fallback: number) =>
    given ?? (typeof saved === 'number' ? saved : fallback)
  const options = {
    ...UNDER_PERFORMER_DEFAULTS,
    k: pick(args.k, stored.k, UNDER_PERFORMER_DEFAULTS.k),
    n: pick(args.n, stored.n, UNDER_PERFORMER_DEFAULTS.n),
  }
  if (!Number.isInteger(options.k) || !Number.isInteger(options.n) || options.k < 1 || options.n < options.k)
    throw new DomainError(
      'report.bad_options',
      `K and N must be whole numbers with 1 ≤ K ≤ N, not ${options.k} of ${options.n}.`,
    )
  const { attainments, periods } = await loadAttainments(db, args.orgId)
  const plans = new Map((await plansOfRecord(db, args.orgId)).map((p) => [p.plan.id, p.plan]))
  const said = new Map<string, StatedConsequence[]>()
  for (const [id, plan] of plans) {
    said.set(
      id,
      plan.rules
        .filter((r) => r.then.order.some((k) => CONSEQUENCE_EFFECTS.includes(k)))
        .map((r) => ({
          rule: r.id,
          when: describeCondition(r.when.source, plan).lead,
          then: describeEffects(r.then, plan),
        })),
    )
  }
  const who = new Map(attainments.map((a) => [a.rep, a]))
  const names = new Map(
    (
      await db.query<{ id: string; name: string }>('select id, name from reps where org_id = $1', [
        args.orgId,
      ])
    ).map((r) => [r.id, r.name]),
  )
  const reps = findUnderPerformers(attainments, periods, options).map((u) => ({
    ...u,
    repName: names.get(u.rep) ?? '',
    team: who.get(u.rep)?.team ?? '',
    manager: who.get(u.rep)?.manager ?? null,
    planSays: said.get(u.plan) ?? [],
  }))
  return { options, reps }
}

/** Stores K of N as the organization's default for under-performers, with an audit entry. */
export async function saveUnderPerformerSetting(
  db: Queryable,
  args: { orgId: string; k: number; n: number; actor: string; now: Date },
): Promise<void> {
  if (!Number.isInteger(args.k) || !Number.isInteger(args.n) || args.k < 1 || args.n < args.k)
    throw new DomainError(
      'report.bad_options',
      `K and N must be whole numbers with 1 ≤ K ≤ N, not ${args.k} of ${args.n}.`,
    )
  const at = args.now.toISOString()
  const value = JSON.stringify({ k: args.k, n: args.n })
  const [before] = await db.query<{ value: unknown }>(
    'select value from org_settings where org_id = $1 and key = $2',
    [args.orgId, UNDER_PERFORMERS_SETTING],
  )
  await db.query(
    `insert into org_settings (org_id, key, value, updated_at, updated_by) values ($1, $2, $3, $4, $5)
     on conflict (org_id, key) do update set value = excluded.value, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
    [args.orgId, UNDER_PERFORMERS_SETTING, value, at, args.actor],
  )
  await db.query(
    `insert into audit_log (org_id, at, actor, action, subject, before, after) values ($1, $2, $3, 'setting.change', $4, $5, $6)`,
    [
      args.orgId,
      at,
      args.actor,
      UNDER_PERFORMERS_SETTING,
      before === undefined ? null : JSON.stringify(before.value),
      value,
    ],
  )
}
