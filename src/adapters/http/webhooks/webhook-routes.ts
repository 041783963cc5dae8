import { createHash } from 'node:crypto'
import type { FastifyReply } from 'fastify'
import { z } from 'zod'
import { withOrgScope } from '../../../app/ports/org-scope.ts'
import { receiveDelivery, type DeliveryKind } from '../../../app/webhooks/receive-delivery.ts'
import { activeWebhookSecrets } from '../../../app/webhooks/webhook-secret.ts'
import { verifySignature } from '../../../app/webhooks/verify-signature.ts'
import type { Mapping } from '../../../core/imports/mapping.ts'
import { DomainError } from '../../../core/domain-error.ts'
import { builtInMappings, loadMapping } from '../../import/load-mapping.ts'
import type { ServerDeps, ZodApp } from '../context.ts'
import { errorBody } from '../errors.ts'
import { jobRoutes } from './job-routes.ts'

/** The status of each webhook refusal; every other error goes to the server's one error table. */
const STATUS: Readonly<Record<string, number>> = {
  'webhook.unsigned': 401,
  'webhook.bad_signature': 401,
  'webhook.stale': 401,
  'webhook.bad_delivery': 400,
  'webhook.unknown_mapping': 400,
  'webhook.invalid': 422,
  'webhook.conflict': 409,
}

/** The largest delivery: about 50,000 deals; send more in several deliveries. */
const WEBHOOK_BODY_LIMIT_BYTES = 16 * 1024 * 1024

const delivered = z
  .object({
    delivery: z.string(),
    duplicate: z.boolean(),
    importId: z.string().nullable(),
    counts: z.object({
      rows: z.number(),
      added: z.number(),
      changed: z.number(),
      unchanged: z.number(),
      skipped: z.number(),
    }),
  })
  .meta({ id: 'WebhookDelivery' })

const DESCRIPTION = `Signed with the organization's webhook secret (followthrough webhooks secret):
x-followthrough-timestamp is Unix seconds (within 5 minutes of the server's clock) and
x-followthrough-signature is \`sha256=\` + hex HMAC-SHA256 of \`timestamp + "." + raw body\`.
x-followthrough-delivery names the delivery (the same id twice is stored once). The body is a JSON
array of records: canonical fields (docs/webhooks.md), or a CRM's fields read through ?mapping=NAME
(a built-in mapping). Checked whole: any problem and nothing is stored (422, every problem listed).`

const one = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value[0] : value

function sendRefusal(reply: FastifyReply, error: unknown): boolean {
  if (!(error instanceof DomainError)) return false
  const status = STATUS[error.code]
  if (status === undefined) return false
  void reply
    .code(status)
    .send({ error: { code: error.code, message: error.message, details: { ...error.details } } })
  return true
}

function mappingOf(name: string | undefined): Mapping | undefined {
  if (name === undefined) return undefined
  const loaded = builtInMappings().includes(name) ? loadMapping(name) : null
  if (loaded === null || !loaded.ok) {
    throw new DomainError('webhook.unknown_mapping', `There is no built-in mapping "${name}".`, {
      mappings: builtInMappings(),
    })
  }
  return loaded.mapping
}

/**
 * POST /webhooks/:org/deals and /webhooks/:org/activities (signed deliveries from a CRM or PSA),
 * and the job routes. The webhook routes keep the raw body: the signature is over its bytes.
 */
export async function webhookRoutes(app: ZodApp, deps: ServerDeps): Promise<void> {
  await jobRoutes(app, deps)
  await app.register(async (scope: ZodApp) => {
    scope.removeAllContentTypeParsers()
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body))
    for (const kind of ['deals', 'activities'] as const satisfies readonly DeliveryKind[]) {
      scope.post(
        `/webhooks/:org/${kind}`,
        {
          config: { csrf: false },
          bodyLimit: WEBHOOK_BODY_LIMIT_BYTES,
          schema: {
            tags: ['webhooks'],
            summary: `Receive ${kind} from a CRM or PSA`,
            description: DESCRIPTION,
            security: [],
            params: z.object({ org: z.string() }),
            querystring: z.object({ mapping: z.string().optional() }),
            response: { 200: delivered, '4xx': errorBody, '5xx': errorBody },
          },
        },
        async (request, reply) => {
          const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0)
          const headers = request.headers
          try {
            const mapping = mappingOf(request.query.mapping)
            const timestamp = one(headers['x-followthrough-timestamp'])
            const given = one(headers['x-followthrough-delivery'])
            if (given !== undefined && !/^[\w.:-]{1,200}$/.test(given)) {
              throw new DomainError(
                'webhook.bad_delivery',
                'x-followthrough-delivery: 1 to 200 of A-Z a-z 0-9 _ . : -',
              )
            }
            // Without an id of the sender's, the signed content names the delivery: a replay is the same one.
            const deliveryId =
              given ??
              createHash('sha256')
                .update(`${kind}.${timestamp ?? ''}.`)
                .update(rawBody)
                .digest('hex')
                .slice(0, 40)
            const now = deps.now()
            const outcome = await withOrgScope(deps.db, request.params.org, async (tx) => {
              const secrets = await activeWebhookSecrets(tx, request.params.org, now)
              verifySignature(
                { timestamp, signature: one(headers['x-followthrough-signature']), rawBody },
                secrets,
                now,
              )
              return receiveDelivery(tx, deps.db.kind, {
                orgId: request.params.org,
                kind,
                deliveryId,
                rawBody,
                ...(mapping === undefined ? {} : { mapping }),
                now,
              })
            })
            return {
              delivery: outcome.deliveryId,
              duplicate: outcome.duplicate,
              importId: outcome.importId,
              counts: outcome.counts,
            }
          } catch (error) {
            if (sendRefusal(reply, error)) return reply
            throw error
          }
        },
      )
    }
  })
}
