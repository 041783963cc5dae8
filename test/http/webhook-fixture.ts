import { readFileSync } from 'node:fs'
import Fastify, { type FastifyInstance, type LightMyRequestResponse } from 'fastify'
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod'
import { textSource } from '../../src/adapters/import/import-sources.ts'
import type { ServerDeps, ZodApp } from '../../src/adapters/http/context.ts'
import { handleError } from '../../src/adapters/http/errors.ts'
import { webhookRoutes } from '../../src/adapters/http/webhooks/webhook-routes.ts'
import { importFile } from '../../src/app/import/import-file.ts'
import { publishPlan } from '../../src/app/plans/publish-plan.ts'
import { withOrgScope } from '../../src/app/ports/org-scope.ts'
import type { Database } from '../../src/app/ports/sql.ts'
import { signWebhook } from '../../src/app/webhooks/verify-signature.ts'
import { setWebhookSecret } from '../../src/app/webhooks/webhook-secret.ts'
import { testDatabase } from '../support/db.ts'

const example = (name: string): string =>
  readFileSync(new URL(`../../examples/${name}`, import.meta.url), 'utf8')

export const NOW = new Date('2026-03-02T15:00:00Z')
export const NOW_SECONDS = String(NOW.getTime() / 1000)

/** The webhook and job routes alone, on the server's error handler and zod compilers. */
export async function webhookApp(deps: ServerDeps): Promise<FastifyInstance> {
  const app = Fastify({ logger: false }).withTypeProvider<ZodTypeProvider>()
  app.setValidatorCompiler(validatorCompiler)
  app.setSerializerCompiler(serializerCompiler)
  app.setErrorHandler(handleError)
  app.decorateRequest('principal', null)
  await app.register(async (api) => webhookRoutes(api as unknown as ZodApp, deps), { prefix: '/api' })
  return app
}

/** Two organizations: acme with the example plans and reps and a webhook secret; other with its own secret. */
export async function webhookDatabase(): Promise<{ db: Database; secret: string; otherSecret: string }> {
  const db = await testDatabase()
  for (const id of ['acme', 'other']) {
    await db.query(
      `insert into organizations (id, name, currency, timezone) values ($1, $1, 'USD', 'America/Chicago')`,
      [id],
    )
  }
  for (const file of ['plan.yaml', 'manager-plan.yaml'])
    await publishPlan(db, { orgId: 'acme', text: example(file), file, actor: 'ann', now: NOW })
  const reps = await importFile(db, {
    orgId: 'acme',
    kind: 'reps',
    file: textSource('reps.csv', example('reps.csv')),
    actor: 'ann',
    now: NOW,
  })
  if (!reps.ok) throw new Error(JSON.stringify(reps.issues))
  const secretOf = async (orgId: string) =>
    (
      await withOrgScope(db, orgId, (tx) =>
        setWebhookSecret(tx, { orgId, now: NOW, rotate: false, actor: 'ann' }),
      )
    ).secret
  return { db, secret: await secretOf('acme'), otherSecret: await secretOf('other') }
}

export interface DeliverOptions {
  secret: string
  org?: string
  timestamp?: string
  delivery?: string
  mapping?: string
  /** A signature of one's own; null sends none. */
  signature?: string | null
}

/** A signed POST of `body` to /api/webhooks/:org/:kind. */
export function deliver(
  app: FastifyInstance,
  kind: 'deals' | 'activities',
  body: string | Buffer,
  o: DeliverOptions,
): Promise<LightMyRequestResponse> {
  const timestamp = o.timestamp ?? NOW_SECONDS
  return app.inject({
    method: 'POST',
    url: `/api/webhooks/${o.org ?? 'acme'}/${kind}${o.mapping === undefined ? '' : `?mapping=${o.mapping}`}`,
    headers: {
      'content-type': 'application/json',
      'x-followthrough-timestamp': timestamp,
      ...(o.signature === null
        ? {}
        : { 'x-followthrough-signature': o.signature ?? signWebhook(o.secret, timestamp, body) }),
      ...(o.delivery === undefined ? {} : { 'x-followthrough-delivery': o.delivery }),
    },
    payload: body,
  })
}

const TABLES = [
  'deals',
  'deal_credits',
  'deal_history',
  'activities',
  'activity_history',
  'imports',
  'audit_log',
  'webhook_deliveries',
]

/** Row counts of every table a delivery writes (as the owner: every organization). */
export async function storedCounts(db: Database): Promise<Record<string, number>> {
  const out: Record<string, number> = {}
  for (const t of TABLES) {
    const [r] = await db.query<{ n: number }>(`select count(*)::int as n from ${t}`)
    out[t] = r?.n ?? -1
  }
  return out
}
