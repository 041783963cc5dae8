import { parseLocalDate } from '../../core/calendar/civil.ts'
import { diffPlans } from '../../core/plans/diff-plans.ts'
import { parsePlan } from '../../core/plans/parse-plan.ts'
import type { Plan } from '../../core/plans/plan.ts'
import { plansOfRecord } from '../close/plans-of-record.ts'
import type { Queryable } from '../ports/sql.ts'
import { PlanStoreError } from './publish-plan.ts'

// Publishing and assigning are `publishPlan` and `assignPlan` in publish-plan.ts; this file reads
// what they stored. Dates are local 'YYYY-MM-DD' text, instants ISO 8601 in UTC.

/** A plan of the organization with its latest version. */
export interface PlanListing {
  readonly id: string
  readonly name: string
  readonly latestVersion: number
  readonly publishedAt: string
  readonly publishedBy: string
  /** Reps whose open assignment (now or from a later date) is this plan. */
  readonly repCount: number
}

/** One published version, its exact source and the plan it checks to. */
export interface PlanVersion {
  readonly planId: string
  readonly version: number
  /** sha256 of the source text, hex. */
  readonly hash: string
  readonly source: string
  readonly format: 'yaml' | 'json'
  readonly publishedAt: string
  readonly publishedBy: string
  readonly latestVersion: number
  readonly plan: Plan
}

/** A rep on a plan from `validFrom` to `validTo` inclusive (open when null). */
export interface PlanAssignment {
  readonly repId: string
  readonly planId: string
  readonly validFrom: string
  readonly validTo: string | null
}

const iso = (value: unknown): string => (value instanceof Date ? value.toISOString() : String(value))

/** Every plan of the organization, by id, with its latest version and how many reps are on it. */
export async function listPlans(db: Queryable, orgId: string): Promise<PlanListing[]> {
  const rows = await db.query<{
    id: string
    name: string
    version: number
    published_at: unknown
    published_by: string
    reps: number
  }>(
    `select p.id, p.name, v.version, v.published_at, v.published_by,
            (select count(*)::int from plan_assignments a
              where a.org_id = p.org_id and a.plan_id = p.id and a.valid_to is null) as reps
       from plans p
       join plan_versions v on v.org_id = p.org_id and v.plan_id = p.id
      where p.org_id = $1
        and v.version = (select max(version) from plan_versions w where w.org_id = p.org_id and w.plan_id = p.id)
      order by p.id`,
    [orgId],
  )
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    latestVersion: Number(r.version),
    publishedAt: iso(r.published_at),
    publishedBy: r.published_by,
    repCount: Number(r.reps),
  }))
}

/** A published version of a plan, the latest when `version` is left out; null when there is none. */
export async function getPlanVersion(
  db: Queryable,
  orgId: string,
  planId: string,
  version?: number,
): Promise<PlanVersion | null> {
  const [row] = await db.query<{
    version: number
    hash: string
    source: string
    format: 'yaml' | 'json'
    published_at: unknown
    published_by: string
    latest: number
  }>(
    `select version, hash, source, format, published_at, published_by,
            (select max(version) from plan_versions w where w.org_id = $1 and w.plan_id = $2) as latest
       from plan_versions where org_id = $1 and plan_id = $2 ${version === undefined ? '' : 'and version = $3'}
      order by version desc limit 1`,
    version === undefined ? [orgId, planId] : [orgId, planId, version],
  )
  if (row === undefined) return null
  const { plan, issues } = parsePlan(row.source, `${planId} v${row.version}`)
  // Only checked plans are stored: a stored one that no longer checks is a broken invariant, not input.
  if (plan === null)
    throw new Error(`Stored plan ${planId} v${row.version} no longer checks: ${issues[0]?.message ?? ''}`)
  return {
    planId,
    version: Number(row.version),
    hash: row.hash,
    source: row.source,
    format: row.format,
    publishedAt: iso(row.published_at),
    publishedBy: row.published_by,
    latestVersion: Number(row.latest),
    plan,
  }
}

/** The reps whose open assignment is this plan (some may start later), by rep id. */
export async function listRepsOnPlan(
  db: Queryable,
  orgId: string,
  planId: string,
): Promise<PlanAssignment[]> {
  const rows = await db.query<{ rep_id: string; valid_from: string; valid_to: string | null }>(
    `select rep_id, valid_from, valid_to from plan_assignments
      where org_id = $1 and plan_id = $2 and valid_to is null order by rep_id`,
    [orgId, planId],
  )
  return rows.map((r) => ({ repId: r.rep_id, planId, validFrom: r.valid_from, validTo: r.valid_to }))
}

/**
 * The plan a rep is on at a local date, and the version that applies then: the latest published
 * version whose effective range holds the date (null when none does: that period is not computed).
 * Null when the rep has no assignment on that date.
 */
export async function planForRepOn(
  db: Queryable,
  orgId: string,
  repId: string,
  date: string,
): Promise<{ assignment: PlanAssignment; version: PlanVersion | null } | null> {
  if (parseLocalDate(date) === null)
    throw new PlanStoreError('plan.bad_date', `"${date}" is not a date (YYYY-MM-DD).`)
  const [row] = await db.query<{ plan_id: string; valid_from: string; valid_to: string | null }>(
    `select plan_id, valid_from, valid_to from plan_assignments
      where org_id = $1 and rep_id = $2 and valid_from <= $3::date and (valid_to is null or valid_to >= $3::date)
      order by valid_from desc limit 1`,
    [orgId, repId, date],
  )
  if (row === undefined) return null
  const assignment = { repId, planId: row.plan_id, validFrom: row.valid_from, validTo: row.valid_to }
  const [applies] = await db.query<{ version: number }>(
    `select version from plan_versions
      where org_id = $1 and plan_id = $2
        and (effective_from is null or effective_from <= $3::date)
        and (effective_to is null or effective_to >= $3::date)
      order by version desc limit 1`,
    [orgId, row.plan_id, date],
  )
  const version = applies === undefined ? null : await getPlanVersion(db, orgId, row.plan_id, applies.version)
  return { assignment, version }
}

/** The latest published version of every plan of the organization, by plan id. */
export async function latestPlans(db: Queryable, orgId: string): Promise<Plan[]> {
  return (await plansOfRecord(db, orgId)).map((record) => record.plan)
}

/**
 * What changed in meaning from one version of a plan to another, in plain language (empty when
 * nothing did). Refuses an unknown plan or version.
 */
export async function diffPlanVersions(
  db: Queryable,
  orgId: string,
  planId: string,
  from: number,
  to: number,
): Promise<{ from: PlanVersion; to: PlanVersion; changes: string[] }> {
  const [a, b] = [await getPlanVersion(db, orgId, planId, from), await getPlanVersion(db, orgId, planId, to)]
  if (a === null || b === null) {
    const latest = await getPlanVersion(db, orgId, planId)
    throw new PlanStoreError(
      'plan.unknown_plan',
      latest === null
        ? `There is no published plan "${planId}".`
        : `There is no version ${a === null ? from : to} of plan ${planId}: it has versions 1 to ${latest.version}.`,
    )
  }
  return { from: a, to: b, changes: diffPlans(a.plan, b.plan) }
}
