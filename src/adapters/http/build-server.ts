import { randomUUID } from 'node:crypto'
import fastifyCookie from '@fastify/cookie'
import fastifyMultipart from '@fastify/multipart'
import fastifySwagger from '@fastify/swagger'
import fastifySwaggerUi from '@fastify/swagger-ui'
import Fastify, { type FastifyInstance } from 'fastify'
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod'
import { authenticate } from './authenticate.ts'
import type { RouteModule, ServerDeps, ZodApp } from './context.ts'
import { handleError } from './errors.ts'
import { activityRoutes } from './routes/activities.ts'
import { auditRoutes } from './routes/audit.ts'
import { authRoutes } from './routes/auth.ts'
import { dealRoutes } from './routes/deals.ts'
import { healthRoutes } from './routes/health.ts'
import { importRoutes } from './routes/imports.ts'
import { invitationRoutes } from './routes/invitations.ts'
import { payoutRoutes } from './routes/payouts.ts'
import { periodRoutes } from './routes/periods.ts'
import { organizationRoutes } from './routes/organization.ts'
import { planRoutes } from './routes/plans.ts'
import { sessionStateRoutes } from './routes/session-state.ts'
import { progressRoutes } from './routes/progress.ts'
import { quotaRoutes } from './routes/quotas.ts'
import { repRoutes } from './routes/reps.ts'
import { tokenRoutes } from './routes/tokens.ts'
import { userRoutes } from './routes/users.ts'
import { serveWebApp } from './web-app.ts'
import { webhookRoutes } from './webhooks/webhook-routes.ts'
import { whatIfRoutes } from './routes/what-if.ts'
import { acknowledgementRoutes } from './routes/acknowledgements.ts'
import { coachingRoutes } from './routes/coaching.ts'
import { disputeRoutes } from './routes/disputes.ts'
import { notificationRoutes } from './routes/notifications.ts'
import { outcomeRoutes } from './routes/outcomes.ts'
import { reportRoutes } from './routes/reports.ts'
import { settingsRoutes } from './routes/settings.ts'
import { statementPdfRoutes } from './routes/statement-pdf.ts'

/** The largest request body: a CSV import of a large company. */
const BODY_LIMIT_BYTES = 64 * 1024 * 1024

/** Every route module; each is registered under /api. Add a line here for a new resource. */
const routeModules: readonly RouteModule[] = [
  healthRoutes,
  authRoutes,
  invitationRoutes,
  tokenRoutes,
  userRoutes,
  repRoutes,
  planRoutes,
  quotaRoutes,
  dealRoutes,
  activityRoutes,
  importRoutes,
  periodRoutes,
  payoutRoutes,
  progressRoutes,
  organizationRoutes,
  sessionStateRoutes,
  auditRoutes,
  webhookRoutes,
  whatIfRoutes,
  outcomeRoutes,
  coachingRoutes,
  disputeRoutes,
  acknowledgementRoutes,
  reportRoutes,
  notificationRoutes,
  settingsRoutes,
  statementPdfRoutes,
]

/**
 * The HTTP server (not listening yet): zod schemas on every route, OpenAPI 3.1 at
 * /api/openapi.json, docs at /api/docs, sign-in on every request, one error body.
 */
export async function buildServer(deps: ServerDeps): Promise<FastifyInstance> {
  const app = Fastify({
    ...(deps.log === undefined ? { logger: false } : { loggerInstance: deps.log }),
    bodyLimit: BODY_LIMIT_BYTES,
    genReqId: (req) => {
      const given = req.headers['x-request-id']
      return typeof given === 'string' && /^[\w.-]{1,100}$/.test(given) ? given : randomUUID()
    },
    trustProxy: deps.trustProxy ?? false,
  }).withTypeProvider<ZodTypeProvider>()
  app.setValidatorCompiler(validatorCompiler)
  app.setSerializerCompiler(serializerCompiler)
  app.setErrorHandler(handleError)
  app.setNotFoundHandler((request, reply) => {
    void reply.code(404).send({
      error: {
        code: 'request.not_found',
        message: `No route ${request.method} ${request.url}.`,
        details: {},
      },
    })
  })
  app.addHook('onSend', async (request, reply) => {
    void reply.header('x-request-id', request.id)
  })
  app.addContentTypeParser(['text/csv', 'text/plain'], { parseAs: 'string' }, (_req, body, done) => {
    done(null, body)
  })

  await app.register(fastifyCookie)
  await app.register(fastifyMultipart, { limits: { fileSize: BODY_LIMIT_BYTES, files: 1 } })
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Followthrough API',
        version: '0.1.0',
        description:
          'Sign in with a session cookie (POST /api/auth/login; unsafe methods then need the x-csrf-token header) or an API token (Authorization: Bearer …).',
      },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'ft_session' },
          token: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ session: [] }, { token: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  })
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs' })

  app.decorateRequest('principal', null)
  // Only the API signs requests in: the web app's files are public and cost no session lookup.
  const signIn = authenticate(deps)
  app.addHook('onRequest', async (request, reply) => {
    if (request.url.startsWith('/api/')) await signIn(request, reply)
  })

  await app.register(
    async (api) => {
      api.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger())
      for (const routes of routeModules) await routes(api as unknown as ZodApp, deps)
    },
    { prefix: '/api' },
  )
  await serveWebApp(app)
  return app
}
