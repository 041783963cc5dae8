import { timingSafeEqual } from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { resolveSession } from '../../app/auth/sessions.ts'
import { noteApiTokenUse, resolveApiToken } from '../../app/auth/tokens.ts'
import { DomainError } from '../../core/domain-error.ts'
import { markSessionExpired, ROLES, type Role, type ServerDeps } from './context.ts'
import { clearSessionCookies, CSRF_HEADER, csrfTokenFor, SESSION_COOKIE } from './cookies.ts'

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])
const SESSION_SCOPES = ['read', 'write', 'webhooks'] as const

const asRole = (role: string): Role => {
  if ((ROLES as readonly string[]).includes(role)) return role as Role
  throw new Error(`Unknown role "${role}" in the database.`)
}

const sameText = (a: string, b: string): boolean => {
  const [x, y] = [Buffer.from(a), Buffer.from(b)]
  return x.length === y.length && timingSafeEqual(x, y)
}

/** Route config: `{ csrf: false }` for the sign-in routes that do not act through a session. */
declare module 'fastify' {
  interface FastifyContextConfig {
    csrf?: boolean
  }
}

/**
 * The sign-in hook: an `Authorization: Bearer` API token, else the session cookie, becomes
 * `request.principal`. A bad token is refused (401); an unknown or expired cookie is cleared. Unsafe
 * methods through a cookie need the session's CSRF token in the x-csrf-token header.
 */
export function authenticate(deps: ServerDeps) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    // The web app's files and the docs' assets need nobody: no session look-up for them.
    if (!request.url.startsWith('/api/') || request.url.startsWith('/api/docs/static/')) return
    const auth = request.headers.authorization
    if (auth !== undefined) {
      const match = /^Bearer\s+(\S+)$/i.exec(auth)
      const token = match?.[1] === undefined ? null : await resolveApiToken(deps.db, match[1])
      if (token === null)
        throw new DomainError('auth.bad_token', 'The API token is not valid (or was revoked).')
      await noteApiTokenUse(deps.db, token.orgId, token.tokenId, deps.now())
      request.principal = {
        personId: token.personId,
        orgId: token.orgId,
        role: asRole(token.role),
        repId: token.repId,
        via: 'token',
        scopes: token.scopes,
      }
      return
    }
    const cookie = request.cookies[SESSION_COOKIE]
    if (cookie === undefined || cookie === '') return
    const session = await resolveSession(deps.db, cookie, deps.now())
    if (!session.ok) {
      if (session.reason === 'expired') markSessionExpired(request)
      clearSessionCookies(reply, deps)
      return
    }
    if (!SAFE_METHODS.has(request.method) && request.routeOptions.config.csrf !== false) {
      const header = request.headers[CSRF_HEADER]
      if (typeof header !== 'string' || !sameText(header, csrfTokenFor(cookie))) {
        throw new DomainError(
          'auth.csrf',
          `A signed-in change needs the ${CSRF_HEADER} header (the ft_csrf cookie).`,
        )
      }
    }
    const person = session.person
    request.principal = {
      personId: person.personId,
      orgId: person.orgId,
      role: asRole(person.role),
      repId: person.repId,
      via: 'session',
      scopes: SESSION_SCOPES,
    }
  }
}
