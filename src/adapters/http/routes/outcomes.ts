import type { FastifyRequest } from 'fastify'
import { z } from 'zod'
import { applyOutcome } from '../../../app/followthrough/apply-outcome.ts'
import { approveWaiver } from '../../../app/followthrough/approve-waiver.ts'
import { decideTerminationReview } from '../../../app/followthrough/decide-termination-review.ts'
import { listOutcomeEvents, listOutcomes } from '../../../app/followthrough/list-outcomes.ts'
import { markOverdue } from '../../../app/followthrough/mark-overdue.ts'
import type { Actor } from '../../../app/followthrough/outcome-record.ts'
import { rejectWaiver } from '../../../app/followthrough/reject-waiver.ts'
import { requestWaiver } from '../../../app/followthrough/request-waiver.ts'
import { DomainError } from '../../../core/domain-error.ts'
import {
  orgTx,
  principalOf,
  requireRole,
  ROLES,
  type Principal,
  type ServerDeps,
  type ZodApp,
} from '../context.ts'
import { orgDatabase } from '../org-database.ts'
import { decodeCursor, pageOf, pageQuery, toPage } from '../paging.ts'
import { errors, periodKey } from '../schemas.ts'
import { requireRepVisible, visibleReps } from '../scope.ts'

/** The actor of the follow-through use cases: the signed-in person and their role. */
export const actorOf = (principal: Principal): Actor => ({ id: principal.personId, role: principal.role })

const EFFECTS = [
  'bonus',
  'forfeit',
  'boost',
  'pto_days',
  'raise',
  'warning',
  'coaching',
  'termination_review',
] as const
const STATES = ['due', 'applied', 'waived', 'overdue', 'void'] as const

export const outcomeSchema = z
  .object({
    id: z.string(),
    closeId: z.string(),
    period: z.string(),
    repId: z.string(),
    planId: z.string().nullable(),
    rule: z.string(),
    effect: z.enum(EFFECTS),
    detail: z.unknown(),
    state: z.enum(STATES),
    dueOn: z.string().nullable(),
    owner: z.string().nullable(),
    openedAt: z.string().nullable(),
    appliedAt: z.string().nullable(),
    appliedBy: z.string().nullable(),
    appliedNote: z.string().nullable(),
    appliedDetail: z.unknown(),
    waiveRequestedBy: z.string().nullable(),
    waiveRequestedAt: z.string().nullable(),
    waiveReason: z.string().nullable(),
    waivedBy: z.string().nullable(),
    waivedAt: z.string().nullable(),
    overdueAt: z.string().nullable(),
    decision: z.enum(['separate', 'retain']).nullable(),
    decisionReason: z.string().nullable(),
    decidedBy: z.string().nullable(),
    decidedAt: z.string().nullable(),
    voidedAt: z.string().nullable(),
    voidReason: z.string().nullable(),
  })
  .meta({ id: 'Outcome' })

const outcomeEvent = z.object({
  seq: z.number(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  before: z.unknown(),
  after: z.unknown(),
})

const idParams = z.object({ id: z.string().min(1).max(200) })
const text = z.string().max(10_000)

/**
 * Follow-through items (outcomes opened by closes): list and read them (a manager their tree, a
 * rep their own), apply, ask to waive, approve or reject a waiver, decide a termination review,
 * and mark overdue items. The use cases check who may act on which item; the routes check roles.
 */
export async function outcomeRoutes(app: ZodApp, deps: ServerDeps): Promise<void> {
  const actors = requireRole('owner', 'admin', 'manager')
  const approvers = requireRole('owner', 'admin')
  const run = (request: FastifyRequest) => {
    const principal = principalOf(request)
    return { principal, db: orgDatabase(deps.db, principal.orgId), actor: actorOf(principal) }
  }
  /** The database and the arguments every action on one item shares: who, when, which item. */
  const onItem = (request: FastifyRequest, id: string) => {
    const { principal, db, actor } = run(request)
    return { db, item: { orgId: principal.orgId, actor, now: deps.now(), id } }
  }

  app.get(
    '/outcomes',
    {
      preHandler: requireRole(...ROLES),
      schema: {
        tags: ['outcomes'],
        summary:
          'Follow-through items by due date (a manager: the tree; a rep: their own), filtered by state, period, rep, owner, overdue',
        querystring: z.object({
          state: z.enum(STATES).optional(),
          period: periodKey.optional(),
          rep: z.string().max(200).optional(),
          owner: z.string().max(200).optional(),
          overdue: z.enum(['true', 'false']).optional(),
          ...pageQuery,
        }),
        response: { 200: pageOf(outcomeSchema), ...errors },
      },
    },
    async (request) =>
      orgTx(request, deps, async (tx, principal) => {
        const q = request.query
        if (q.rep !== undefined) await requireRepVisible(tx, principal, q.rep)
        const visible = await visibleReps(tx, principal)
        const all = (
          await listOutcomes(tx, {
            orgId: principal.orgId,
            actor: actorOf(principal),
            now: deps.now(),
            ...(q.state === undefined ? {} : { state: q.state }),
            ...(q.period === undefined ? {} : { period: q.period }),
            ...(q.rep === undefined ? {} : { rep: q.rep }),
            ...(q.owner === undefined ? {} : { owner: q.owner }),
            ...(q.overdue === 'true' ? { overdue: true } : {}),
          })
        ).filter((o) => visible === null || visible.includes(o.repId))
        const after = decodeCursor(q.cursor, 1)
        let start = 0
        if (after !== null) {
          const at = all.findIndex((o) => o.id === after[0])
          if (at < 0) throw new DomainError('request.bad_cursor', 'The cursor is not one this API gave.')
          start = at + 1
        }
        const rows = all.slice(start, start + q.limit + 1)
        return toPage(
          rows,
          q.limit,
          (o) => [o.id],
          (o) => o,
        )
      }),
  )

  app.get(
    '/outcomes/:id',
    {
      preHandler: requireRole(...ROLES),
      schema: {
        tags: ['outcomes'],
        summary: 'One follow-through item with its history (every event: who, when, before, after)',
        params: idParams,
        response: { 200: z.object({ outcome: outcomeSchema, events: z.array(outcomeEvent) }), ...errors },
      },
    },
    async (request) =>
      orgTx(request, deps, async (tx, principal) => {
        const id = request.params.id
        const [found] = await tx.query<{ rep_id: string }>(
          'select rep_id from outcomes where org_id = $1 and id = $2 and effect is not null',
          [principal.orgId, id],
        )
        if (found === undefined)
          throw new DomainError('outcome.not_found', `No outcome ${id}.`, { outcome: id })
        await requireRepVisible(tx, principal, found.rep_id)
        const items = await listOutcomes(tx, {
          orgId: principal.orgId,
          actor: actorOf(principal),
          now: deps.now(),
          rep: found.rep_id,
        })
        const outcome = items.find((o) => o.id === id)
        if (outcome === undefined)
          throw new DomainError('outcome.not_found', `No outcome ${id}.`, { outcome: id })
        return { outcome, events: await listOutcomeEvents(tx, { orgId: principal.orgId, id }) }
      }),
  )

  app.post(
    '/outcomes/:id/apply',
    {
      preHandler: actors,
      schema: {
        tags: ['outcomes'],
        summary:
          'Record that the item was carried out, with a note and what was done (pto_days: days, exported; warning: delivered_on and acknowledged_on or refused; raise: effective_on, raise; coaching: items scheduled first)',
        params: idParams,
        body: z.object({ note: text, detail: z.record(z.string(), z.unknown()).optional() }),
        response: { 200: outcomeSchema, ...errors },
      },
    },
    async (request) => {
      const { db, item } = onItem(request, request.params.id)
      return applyOutcome(db, {
        ...item,
        note: request.body.note,
        ...(request.body.detail === undefined ? {} : { detail: request.body.detail }),
      })
    },
  )

  app.post(
    '/outcomes/:id/waive',
    {
      preHandler: actors,
      schema: {
        tags: ['outcomes'],
        summary:
          'Ask to waive the item, with a written reason; a second person (owner or admin) approves or rejects',
        params: idParams,
        body: z.object({ reason: text }),
        response: { 200: outcomeSchema, ...errors },
      },
    },
    async (request) => {
      const { db, item } = onItem(request, request.params.id)
      return requestWaiver(db, { ...item, reason: request.body.reason })
    },
  )

  app.post(
    '/outcomes/:id/approve',
    {
      preHandler: approvers,
      schema: {
        tags: ['outcomes'],
        summary: 'Approve a requested waiver (never by the person who asked): the item becomes waived',
        params: idParams,
        response: { 200: outcomeSchema, ...errors },
      },
    },
    async (request) => {
      const { db, item } = onItem(request, request.params.id)
      return approveWaiver(db, item)
    },
  )

  app.post(
    '/outcomes/:id/reject',
    {
      preHandler: approvers,
      schema: {
        tags: ['outcomes'],
        summary: 'Reject a requested waiver with a written reason: the item stays due or overdue',
        params: idParams,
        body: z.object({ reason: text }),
        response: { 200: outcomeSchema, ...errors },
      },
    },
    async (request) => {
      const { db, item } = onItem(request, request.params.id)
      return rejectWaiver(db, { ...item, reason: request.body.reason })
    },
  )

  app.post(
    '/outcomes/:id/decide',
    {
      preHandler: approvers,
      schema: {
        tags: ['outcomes'],
        summary: 'Decide a termination review: separate, or retain with a written reason',
        params: idParams,
        body: z.object({ decision: z.enum(['separate', 'retain']), reason: text.optional() }),
        response: { 200: outcomeSchema, ...errors },
      },
    },
    async (request) => {
      const { db, item } = onItem(request, request.params.id)
      return decideTerminationReview(db, {
        ...item,
        decision: request.body.decision,
        ...(request.body.reason === undefined ? {} : { reason: request.body.reason }),
      })
    },
  )

  app.post(
    '/outcomes/check-overdue',
    {
      preHandler: approvers,
      schema: {
        tags: ['outcomes'],
        summary: "Mark overdue every due item past its due date (the organization's local date)",
        response: { 200: z.object({ today: z.string(), overdue: z.array(outcomeSchema) }), ...errors },
      },
    },
    async (request) => {
      const { principal, db } = run(request)
      return markOverdue(db, { orgId: principal.orgId, now: deps.now(), actor: principal.personId })
    },
  )
}
