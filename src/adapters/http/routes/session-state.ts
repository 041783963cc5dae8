import { z } from 'zod'
import { type ServerDeps, type ZodApp } from '../context.ts'
import { errors, roleSchema } from '../schemas.ts'

/**
 * Whether the request is signed in, without a 401: what the web app asks first, so that opening
 * it signed out is not an error. /auth/me gives the details once signed in.
 */
export async function sessionStateRoutes(app: ZodApp, _deps: ServerDeps): Promise<void> {
  app.get(
    '/auth/state',
    {
      schema: {
        tags: ['auth'],
        summary: 'Whether this request is signed in (never 401)',
        security: [],
        response: {
          200: z.object({ signedIn: z.boolean(), role: roleSchema.nullable() }),
          ...errors,
        },
      },
    },
    async (request) => ({
      signedIn: request.principal !== null,
      role: request.principal?.role ?? null,
    }),
  )
}
