import type {
  FastifyBaseLogger,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify'
import type { ZodTypeProvider } from 'fastify-type-provider-zod'
import { withOrgScope } from '../../app/ports/org-scope.ts'
import type { Database, Queryable } from '../../app/ports/sql.ts'
import { DomainError } from '../../core/domain-error.ts'

/** The roles of people who sign in; what each may do is the matrix in docs/api.md. */
export type Role = 'owner' | 'admin' | 'finance' | 'manager' | 'rep'
export const ROLES: readonly Role[] = ['owner', 'admin', 'finance', 'manager', 'rep']

/** Who a request acts as: a signed-in person (session cookie) or an API token of that person. */
export interface Principal {
  personId: string
  orgId: string
  role: Role
  /** The rep a manager or rep login is bound to (a manager sees the reps under it). */
  repId: string | null
  via: 'session' | 'token'
  /** A token's scopes (`read`, `write`, `webhooks`); a session has every scope. */
  scopes: readonly string[]
}

/** An email to send (a password reset or an invitation link). */
export interface MailMessage {
  to: string
  subject: string
  text: string
}

/** What the server needs from the outside: the database, the clock, and optional logging and mail. */
export interface ServerDeps {
  db: Database
  now: () => Date
  /** A pino logger (JSON logs with request ids); none when absent (tests). */
  log?: FastifyBaseLogger
  /** Sends reset and invitation links; when absent they go to the `outbox` table if it exists. */
  sendMail?: (message: MailMessage) => Promise<void>
  /** The address people open links at, e.g. https://pay.example.com (default http://localhost:PORT). */
  publicUrl?: string
  /** Secure cookies; default: when publicUrl starts with https or the request came over https. */
  secureCookies?: boolean
  /** Behind a reverse proxy: the client address and protocol come from X-Forwarded-* (default false). */
  trustProxy?: boolean
}

/** A Fastify instance whose route schemas are zod schemas. */
export type ZodApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>

/** A route module: `export async function xRoutes(app: ZodApp, deps: ServerDeps)`, registered under /api. */
export type RouteModule = (app: ZodApp, deps: ServerDeps) => Promise<void>

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the sign-in hook: null when the request carries no valid session or token. */
    principal: Principal | null
  }
}

/** Requests whose session cookie had expired: they are told so rather than "sign in first". */
const expiredSessions = new WeakSet<FastifyRequest>()

/** Notes that the request's session cookie has expired (the sign-in hook does this). */
export function markSessionExpired(request: FastifyRequest): void {
  expiredSessions.add(request)
}

/** The principal of a request, or a 401 refusal. */
export function principalOf(request: FastifyRequest): Principal {
  const principal = request.principal
  if (principal === null) {
    if (expiredSessions.has(request))
      throw new DomainError('auth.session_expired', 'Your session has expired: sign in again.')
    throw new DomainError('auth.required', 'Sign in first.')
  }
  return principal
}

/**
 * A preHandler letting only the given roles through (401 when not signed in, 403 otherwise).
 * Tokens also need the scope of the method: `read` for GET/HEAD, `write` for the others.
 */
export function requireRole(...roles: Role[]) {
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const principal = principalOf(request)
    if (!roles.includes(principal.role)) {
      throw new DomainError('auth.forbidden', `This needs the role ${roles.join(', ')}.`, {
        role: principal.role,
      })
    }
    requireScope(principal, request.method === 'GET' || request.method === 'HEAD' ? 'read' : 'write')
  }
}

/** Refuses a token without the scope (sessions have every scope). */
export function requireScope(principal: Principal, scope: string): void {
  if (principal.via === 'token' && !principal.scopes.includes(scope)) {
    throw new DomainError('auth.scope', `This token lacks the scope "${scope}".`, { scope })
  }
}

/** Runs fn in one transaction scoped to the principal's organization (row-level security). */
export async function orgTx<T>(
  request: FastifyRequest,
  deps: ServerDeps,
  fn: (tx: Queryable, principal: Principal) => Promise<T>,
): Promise<T> {
  const principal = principalOf(request)
  return withOrgScope(deps.db, principal.orgId, (tx) => fn(tx, principal))
}
