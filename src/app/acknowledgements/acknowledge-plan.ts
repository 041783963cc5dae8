import { DomainError } from '../../core/domain-error.ts'
import { getPlanVersion } from '../plans/plan-store.ts'
import type { Queryable } from '../ports/sql.ts'
import { type Actor, isoOf } from './actor.ts'

/** A rep's acknowledgement of a plan version: the name typed, when, and the version's hash. */
export interface Acknowledgement {
  readonly repId: string
  readonly planId: string
  readonly version: number
  /** sha256 of the version's source, as printed on the plan document. */
  readonly hash: string
  readonly typedName: string
  readonly acknowledgedAt: string
  readonly recordedBy: string
}

/** A name compared the way people type it: Unicode NFC, case ignored, runs of spaces as one, trimmed. */
export function sameName(a: string, b: string): boolean {
  const norm = (s: string): string => s.normalize('NFC').trim().replace(/\s+/gu, ' ').toLowerCase()
  return norm(a) === norm(b)
}

/**
 * Records that a rep acknowledges a published version of a plan they are assigned to (the latest
 * when `version` is left out): the name they typed must be their name (see `sameName`). Only the
 * rep acts for themselves (`actor.repId`). Acknowledging the same version again changes nothing
 * (`already`). Refusals: acknowledgement.not_own, .unknown_rep, .unknown_version,
 * .not_assigned, .no_name, .name_mismatch. Run it in a transaction.
 */
export async function acknowledgePlan(
  db: Queryable,
  args: {
    orgId: string
    actor: Actor
    repId: string
    planId: string
    version?: number
    typedName: string
    now: Date
  },
): Promise<{ acknowledgement: Acknowledgement; already: boolean }> {
  const { orgId, repId, planId } = args
  if ((args.actor.repId ?? null) !== repId)
    throw new DomainError('acknowledgement.not_own', `Only ${repId} can acknowledge a plan for ${repId}.`, {
      actor: args.actor.id,
      repId,
    })
  const [rep] = await db.query<{ name: string }>('select name from reps where org_id = $1 and id = $2', [
    orgId,
    repId,
  ])
  if (rep === undefined)
    throw new DomainError('acknowledgement.unknown_rep', `There is no rep "${repId}".`, { repId })
  const stored = await getPlanVersion(db, orgId, planId, args.version)
  if (stored === null)
    throw new DomainError(
      'acknowledgement.unknown_version',
      args.version === undefined
        ? `There is no published plan "${planId}".`
        : `There is no version ${args.version} of plan ${planId}.`,
      { planId, version: args.version ?? null },
    )
  const assigned = await db.query(
    'select 1 from plan_assignments where org_id = $1 and rep_id = $2 and plan_id = $3',
    [orgId, repId, planId],
  )
  if (assigned.length === 0)
    throw new DomainError('acknowledgement.not_assigned', `${repId} is not assigned to plan ${planId}.`, {
      repId,
      planId,
    })
  if (rep.name.trim() === '')
    throw new DomainError(
      'acknowledgement.no_name',
      `${repId} has no name on record to compare with; import the rep's name first.`,
      { repId },
    )
  if (!sameName(args.typedName, rep.name))
    throw new DomainError(
      'acknowledgement.name_mismatch',
      `The name typed, "${args.typedName}", is not ${repId}'s name: type your full name as it is on record.`,
      { repId },
    )
  const existing = await findAcknowledgement(db, orgId, repId, planId, stored.version)
  if (existing !== null) return { acknowledgement: existing, already: true }
  const at = args.now.toISOString()
  const acknowledgement: Acknowledgement = {
    repId,
    planId,
    version: stored.version,
    hash: stored.hash,
    typedName: args.typedName.trim(),
    acknowledgedAt: at,
    recordedBy: args.actor.id,
  }
  await db.query(
    `insert into plan_acknowledgements (org_id, rep_id, plan_id, plan_version, plan_hash, typed_name, acknowledged_at, recorded_by)
     values ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [orgId, repId, planId, stored.version, stored.hash, acknowledgement.typedName, at, args.actor.id],
  )
  await db.query(
    `insert into audit_log (org_id, at, actor, action, subject, before, after)
     values ($1, $2, $3, 'plan.acknowledge', $4, null, $5)`,
    [orgId, at, args.actor.id, repId, JSON.stringify({ planId, version: stored.version, hash: stored.hash })],
  )
  return { acknowledgement, already: false }
}

/** The acknowledgement of one version by one rep, or null. */
export async function findAcknowledgement(
  db: Queryable,
  orgId: string,
  repId: string,
  planId: string,
  version: number,
): Promise<Acknowledgement | null> {
  const [row] = await db.query<AcknowledgementRow>(
    `select rep_id, plan_id, plan_version, plan_hash, typed_name, acknowledged_at, recorded_by from plan_acknowledgements
      where org_id = $1 and rep_id = $2 and plan_id = $3 and plan_version = $4`,
    [orgId, repId, planId, version],
  )
  return row === undefined ? null : toAcknowledgement(row)
}

export interface AcknowledgementRow {
  rep_id: string
  plan_id: string
  plan_version: number
  plan_hash: string
  typed_name: string
  acknowledged_at: unknown
  recorded_by: string
}

export function toAcknowledgement(row: AcknowledgementRow): Acknowledgement {
  return {
    repId: row.rep_id,
    planId: row.plan_id,
    version: Number(row.plan_version),
    hash: row.plan_hash,
    typedName: row.typed_name,
    acknowledgedAt: isoOf(row.acknowledged_at),
    recordedBy: row.recorded_by,
  }
}
