import { z } from 'zod'
import { acknowledgePlan, type Acknowledgement } from '../../../app/acknowledgements/acknowledge-plan.ts'
import { acknowledgementStatus } from '../../../app/acknowledgements/acknowledgement-status.ts'
import { listUnacknowledged } from '../../../app/acknowledgements/list-unacknowledged.ts'
import { planDocument } from '../../../app/plans/plan-document.ts'
import type { Queryable } from '../../../app/ports/sql.ts'
import { toPlainJson } from '../../../app/reports/plain-json.ts'
import { DomainError } from '../../../core/domain-error.ts'
import { formatPlanDocumentText } from '../../../core/plans/plan-document.ts'
import { renderPlanDocumentHtml } from '../../../core/plans/plan-document-html.ts'
import { renderPlanDocumentPdf } from '../../pdf/plan-document-pdf.ts'
import { orgTx, requireRole, ROLES, type Principal, type ServerDeps, type ZodApp } from '../context.ts'
import { errors, periodKey } from '../schemas.ts'
import { requireRepVisible, visibleReps } from '../scope.ts'
import { repActorOf } from './disputes.ts'

const acknowledgementSchema = z
  .object({
    repId: z.string(),
    planId: z.string(),
    version: z.number(),
    hash: z.string(),
    typedName: z.string(),
    acknowledgedAt: z.string(),
    recordedBy: z.string(),
  })
  .meta({ id: 'Acknowledgement' })

const plain = (a: Acknowledgement): z.infer<typeof acknowledgementSchema> => ({ ...a })

/** Refuses (403) a plan none of the reps the principal sees is assigned to. */
async function requirePlanVisible(tx: Queryable, principal: Principal, planId: string): Promise<void> {
  const reps = await visibleReps(tx, principal)
  if (reps === null) return
  const rows = await tx.query(
    'select 1 from plan_assignments where org_id = $1 and plan_id = $2 and rep_id = any($3) limit 1',
    [principal.orgId, planId, reps],
  )
  if (rows.length === 0) throw new DomainError('auth.forbidden', `You may not see the plan "${planId}".`)
}

/**
 * Acknowledged plans: the plan document (summary, rate tables, worked examples from the one
 * engine) as JSON, text, HTML or PDF; a rep's acknowledgement of a version (their name typed);
 * the assignments not yet acknowledged; and whether a rep acknowledged the version of a period.
 */
export async function acknowledgementRoutes(app: ZodApp, deps: ServerDeps): Promise<void> {
  app.get(
    '/plans/:id/document',
    {
      preHandler: requireRole(...ROLES),
      schema: {
        tags: ['plans'],
        summary:
          'The document a rep reads and acknowledges, from the very version the engine runs: json (default), text, html or pdf',
        params: z.object({ id: z.string().min(1).max(200) }),
        querystring: z.object({
          version: z.coerce.number().int().min(1).optional(),
          format: z.enum(['json', 'text', 'html', 'pdf']).default('json'),
        }),
        produces: ['application/json', 'text/plain', 'text/html', 'application/pdf'],
        response: {
          200: z
            .unknown()
            .describe(
              'The document as JSON (money in minor units, exact values as decimal text); text, HTML or PDF with ?format=',
            ),
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const doc = await orgTx(request, deps, async (tx, principal) => {
        await requirePlanVisible(tx, principal, request.params.id)
        return planDocument(tx, {
          orgId: principal.orgId,
          planId: request.params.id,
          ...(request.query.version === undefined ? {} : { version: request.query.version }),
        })
      })
      const name = `${doc.planId}-v${doc.version}`
      switch (request.query.format) {
        case 'pdf':
          return reply
            .type('application/pdf')
            .header('content-disposition', `inline; filename="${name}.pdf"`)
            .send(await renderPlanDocumentPdf(doc))
        case 'html':
          return reply.type('text/html; charset=utf-8').send(renderPlanDocumentHtml(doc))
        case 'text':
          return reply.type('text/plain; charset=utf-8').send(formatPlanDocumentText(doc))
        default:
          return toPlainJson(doc)
      }
    },
  )

  app.post(
    '/plans/:id/acknowledge',
    {
      preHandler: requireRole('manager', 'rep'),
      schema: {
        tags: ['plans'],
        summary:
          'Acknowledge a version of your plan (the latest by default) by typing your name as it is on record',
        params: z.object({ id: z.string().min(1).max(200) }),
        body: z.object({ name: z.string().max(500), version: z.number().int().min(1).optional() }),
        response: {
          201: z.object({ acknowledgement: acknowledgementSchema, already: z.boolean() }),
          200: z.object({ acknowledgement: acknowledgementSchema, already: z.boolean() }),
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const out = await orgTx(request, deps, (tx, principal) => {
        if (principal.repId === null)
          throw new DomainError(
            'auth.forbidden',
            'Your sign-in is not bound to a rep: there is no plan to acknowledge.',
          )
        return acknowledgePlan(tx, {
          orgId: principal.orgId,
          actor: repActorOf(principal),
          repId: principal.repId,
          planId: request.params.id,
          typedName: request.body.name,
          now: deps.now(),
          ...(request.body.version === undefined ? {} : { version: request.body.version }),
        })
      })
      return reply
        .code(out.already ? 200 : 201)
        .send({ acknowledgement: plain(out.acknowledgement), already: out.already })
    },
  )

  app.get(
    '/acknowledgements/pending',
    {
      preHandler: requireRole(...ROLES),
      schema: {
        tags: ['plans'],
        summary:
          'Plan versions a rep is (or will be) on and has not acknowledged (a manager: the tree; a rep: their own)',
        response: {
          200: z.object({
            items: z.array(
              z.object({
                repId: z.string(),
                repName: z.string(),
                manager: z.string().nullable(),
                planId: z.string(),
                version: z.number(),
                hash: z.string(),
                appliesFrom: z.string(),
                inForce: z.boolean(),
              }),
            ),
          }),
          ...errors,
        },
      },
    },
    async (request) =>
      orgTx(request, deps, async (tx, principal) => ({
        items: (
          await listUnacknowledged(tx, {
            orgId: principal.orgId,
            actor: repActorOf(principal),
            now: deps.now(),
          })
        ).map((u) => ({ ...u })),
      })),
  )

  app.get(
    '/acknowledgements/status',
    {
      preHandler: requireRole(...ROLES),
      schema: {
        tags: ['plans'],
        summary:
          "The plan version in force for a rep in a period and the rep's acknowledgement of it (null when on no plan)",
        querystring: z.object({ rep: z.string().max(200).optional(), period: periodKey }),
        response: {
          200: z.object({
            status: z
              .object({
                repId: z.string(),
                period: z.string(),
                planId: z.string(),
                version: z.number(),
                hash: z.string(),
                closedAt: z.string().nullable(),
                acknowledgement: acknowledgementSchema.nullable(),
              })
              .nullable(),
          }),
          ...errors,
        },
      },
    },
    async (request) =>
      orgTx(request, deps, async (tx, principal) => {
        const rep = request.query.rep ?? principal.repId
        if (rep === null)
          throw new DomainError('request.invalid', 'Say which rep (?rep=).', {
            problems: [{ in: 'querystring', path: '/rep', message: 'required' }],
          })
        await requireRepVisible(tx, principal, rep)
        const status = await acknowledgementStatus(tx, {
          orgId: principal.orgId,
          repId: rep,
          period: request.query.period,
        })
        return {
          status:
            status === null
              ? null
              : {
                  ...status,
                  acknowledgement: status.acknowledgement === null ? null : plain(status.acknowledgement),
                },
        }
      }),
  )
}
