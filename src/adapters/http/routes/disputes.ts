import { z } from 'zod'
import type { Actor } from '../../../app/acknowledgements/actor.ts'
import type { Dispute } from '../../../app/disputes/dispute.ts'
import { listDisputes } from '../../../app/disputes/list-disputes.ts'
import { openDispute } from '../../../app/disputes/open-dispute.ts'
import { resolveDispute } from '../../../app/disputes/resolve-dispute.ts'
import { statementNotes } from '../../../app/disputes/statement-notes.ts'
import { DomainError } from '../../../core/domain-error.ts'
import { orgTx, requireRole, ROLES, type Principal, type ServerDeps, type ZodApp } from '../context.ts'
import { errors, periodKey } from '../schemas.ts'
import { minorToJson, requireRepVisible } from '../scope.ts'

/** The actor of the acknowledgement and dispute use cases: the person, their role and their rep. */
export const repActorOf = (principal: Principal): Actor => ({
  id: principal.personId,
  role: principal.role,
  repId: principal.repId,
})

const seq = (value: bigint): number => minorToJson(value)

const disputeSchema = z
  .object({
    id: z.number(),
    repId: z.string(),
    period: z.string(),
    ledgerSeq: z.number(),
    line: z.object({
      kind: z.string(),
      rule: z.string().nullable(),
      deal: z.string().nullable(),
      amountMinor: z.number(),
    }),
    message: z.string(),
    openedAt: z.string(),
    openedBy: z.string(),
    state: z.enum(['open', 'accepted', 'rejected']),
    resolvedAt: z.string().nullable(),
    resolvedBy: z.string().nullable(),
    reason: z.string().nullable(),
    adjustment: z.object({ amountMinor: z.number(), period: z.string(), ledgerSeq: z.number() }).nullable(),
    history: z.array(
      z.object({
        seq: z.number(),
        at: z.string(),
        actor: z.string(),
        action: z.enum(['open', 'accept', 'reject']),
        detail: z.record(z.string(), z.unknown()),
      }),
    ),
  })
  .meta({ id: 'Dispute' })

export function disputeToJson(d: Dispute): z.infer<typeof disputeSchema> {
  return {
    ...d,
    ledgerSeq: seq(d.ledgerSeq),
    line: { ...d.line, amountMinor: minorToJson(d.line.amountMinor) },
    adjustment:
      d.adjustment === null
        ? null
        : {
            amountMinor: minorToJson(d.adjustment.amountMinor),
            period: d.adjustment.period,
            ledgerSeq: seq(d.adjustment.ledgerSeq),
          },
    history: d.history.map((h) => ({ ...h })),
  }
}

const idParams = z.object({ id: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER) })

/**
 * Disputes of statement lines: a rep (or a manager, for their own lines) opens one on a line of a
 * closed period's statement, named by its ledger seq; the manager over the rep (or an owner or
 * admin) accepts it, booking an adjustment through the ledger, or rejects it with a reason.
 */
export async function disputeRoutes(app: ZodApp, deps: ServerDeps): Promise<void> {
  const answerers = requireRole('owner', 'admin', 'manager')

  app.get(
    '/disputes',
    {
      preHandler: requireRole(...ROLES),
      schema: {
        tags: ['disputes'],
        summary:
          'Disputes with their answers and history, newest first (a manager: the tree; a rep: their own)',
        querystring: z.object({
          state: z.enum(['open', 'accepted', 'rejected']).optional(),
          rep: z.string().max(200).optional(),
          period: periodKey.optional(),
        }),
        response: { 200: z.object({ items: z.array(disputeSchema) }), ...errors },
      },
    },
    async (request) =>
      orgTx(request, deps, async (tx, principal) => {
        const q = request.query
        if (q.rep !== undefined) await requireRepVisible(tx, principal, q.rep)
        const items = await listDisputes(tx, {
          orgId: principal.orgId,
          actor: repActorOf(principal),
          ...(q.state === undefined ? {} : { state: q.state }),
          ...(q.rep === undefined ? {} : { repId: q.rep }),
          ...(q.period === undefined ? {} : { period: q.period }),
        })
        return { items: items.map(disputeToJson) }
      }),
  )

  app.get(
    '/statements/:repId/:period/lines',
    {
      preHandler: requireRole(...ROLES),
      schema: {
        tags: ['disputes'],
        summary:
          "A statement's disputable lines (with their ledger seq), its disputes and adjustments, and the rep's acknowledgement of the plan version",
        params: z.object({ repId: z.string().min(1).max(200), period: periodKey }),
        response: {
          200: z.object({
            acknowledged: z.boolean().nullable(),
            planId: z.string().nullable(),
            planVersion: z.number().nullable(),
            disputes: z.array(disputeSchema),
            disputeAdjustments: z.array(
              z.object({
                disputeId: z.number(),
                disputedPeriod: z.string(),
                amountMinor: z.number(),
                ledgerSeq: z.number(),
              }),
            ),
            ledgerLines: z.array(
              z.object({
                seq: z.number(),
                kind: z.string(),
                rule: z.string().nullable(),
                deal: z.string().nullable(),
                amountMinor: z.number(),
              }),
            ),
          }),
          ...errors,
        },
      },
    },
    async (request) =>
      orgTx(request, deps, async (tx, principal) => {
        await requireRepVisible(tx, principal, request.params.repId)
        const notes = await statementNotes(tx, {
          orgId: principal.orgId,
          rep: request.params.repId,
          period: request.params.period,
        })
        const ack = notes.acknowledgement
        return {
          acknowledged: ack === null ? null : ack.acknowledgement !== null,
          planId: ack?.planId ?? null,
          planVersion: ack?.version ?? null,
          disputes: notes.disputes.map(disputeToJson),
          disputeAdjustments: notes.disputeAdjustments.map((a) => ({
            ...a,
            amountMinor: minorToJson(a.amountMinor),
            ledgerSeq: seq(a.ledgerSeq),
          })),
          ledgerLines: notes.ledgerLines.map((l) => ({
            ...l,
            seq: seq(l.seq),
            amountMinor: minorToJson(l.amountMinor),
          })),
        }
      }),
  )

  app.post(
    '/disputes',
    {
      preHandler: requireRole('manager', 'rep'),
      schema: {
        tags: ['disputes'],
        summary: 'Dispute a line of your own statement (a closed period), named by its ledger seq',
        body: z.object({
          ledgerSeq: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
          message: z.string().max(10_000),
          repId: z.string().max(200).optional(),
        }),
        response: { 201: disputeSchema, ...errors },
      },
    },
    async (request, reply) => {
      const dispute = await orgTx(request, deps, async (tx, principal) => {
        if (request.body.repId !== undefined && request.body.repId !== principal.repId)
          throw new DomainError('auth.forbidden', 'You may dispute only the lines of your own statement.', {
            repId: request.body.repId,
          })
        return openDispute(tx, {
          orgId: principal.orgId,
          actor: repActorOf(principal),
          now: deps.now(),
          ledgerSeq: BigInt(request.body.ledgerSeq),
          message: request.body.message,
        })
      })
      return reply.code(201).send(disputeToJson(dispute))
    },
  )

  app.post(
    '/disputes/:id/accept',
    {
      preHandler: answerers,
      schema: {
        tags: ['disputes'],
        summary:
          'Accept a dispute: an adjustment (minor units; negative takes back) booked through the ledger in an open period after the disputed one',
        params: idParams,
        body: z.object({
          amountMinor: z.number().int().min(Number.MIN_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER),
          reason: z.string().max(10_000).optional(),
          period: periodKey.optional(),
        }),
        response: { 200: disputeSchema, ...errors },
      },
    },
    async (request) =>
      orgTx(request, deps, async (tx, principal) =>
        disputeToJson(
          await resolveDispute(tx, {
            orgId: principal.orgId,
            actor: repActorOf(principal),
            now: deps.now(),
            id: request.params.id,
            decision: 'accept',
            amountMinor: BigInt(request.body.amountMinor),
            ...(request.body.reason === undefined ? {} : { reason: request.body.reason }),
            ...(request.body.period === undefined ? {} : { period: request.body.period }),
          }),
        ),
      ),
  )

  app.post(
    '/disputes/:id/reject',
    {
      preHandler: answerers,
      schema: {
        tags: ['disputes'],
        summary: 'Reject a dispute with a written reason (shown to the rep)',
        params: idParams,
        body: z.object({ reason: z.string().max(10_000) }),
        response: { 200: disputeSchema, ...errors },
      },
    },
    async (request) =>
      orgTx(request, deps, async (tx, principal) =>
        disputeToJson(
          await resolveDispute(tx, {
            orgId: principal.orgId,
            actor: repActorOf(principal),
            now: deps.now(),
            id: request.params.id,
            decision: 'reject',
            reason: request.body.reason,
          }),
        ),
      ),
  )
}
