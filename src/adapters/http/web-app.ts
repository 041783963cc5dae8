import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import fastifyStatic from '@fastify/static'
import type { FastifyInstance } from 'fastify'

/** Where `npm run build` puts the web app. */
export const WEB_DIST = fileURLToPath(new URL('../../../web/dist/', import.meta.url))

/**
 * Serves the built web app at `/` (hashed assets cached for a year, index.html never), or, before
 * `npm run build`, a page that says how to build it. The app routes with the URL's hash, so every
 * page is index.html.
 */
export async function serveWebApp(app: FastifyInstance, dir: string = WEB_DIST): Promise<void> {
  if (!existsSync(`${dir}/index.html`)) {
    app.get('/', { schema: { hide: true } }, async (_request, reply) =>
      reply
        .type('text/html; charset=utf-8')
        .send(
          '<!doctype html><html lang="en"><title>Followthrough</title><main><h1>Followthrough</h1>' +
            '<p>The web app is not built yet: run <code>npm run build</code>, then reload. The API is at ' +
            '<a href="/api/docs">/api/docs</a>.</p></main></html>',
        ),
    )
    return
  }
  await app.register(fastifyStatic, {
    root: dir,
    prefix: '/',
    index: ['index.html'],
    setHeaders: (res, path) => {
      res.setHeader(
        'cache-control',
        path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
      )
    },
  })
}
