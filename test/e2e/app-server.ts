import { existsSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { fileURLToPath } from 'node:url'
import type { FastifyInstance } from 'fastify'
import { build } from 'vite'
import { exampleDemoFiles } from '../../src/adapters/demo/demo-files.ts'
import { buildServer } from '../../src/adapters/http/build-server.ts'
import { WEB_DIST } from '../../src/adapters/http/web-app.ts'
import type { DemoLogin } from '../../src/app/auth/demo-people.ts'
import { createDemo } from '../../src/app/demo/create-demo.ts'
import { resolveOrg } from '../../src/app/org/default-org.ts'
import type { Database } from '../../src/app/ports/sql.ts'
import { openMemoryDatabase } from '../../src/adapters/db/open-database.ts'

/** The demo's fixed clock: mid-November 2026, January to October closed, November open. */
export const DEMO_NOW = new Date('2026-11-16T15:00:00Z')

export interface AppServer {
  readonly url: string
  readonly db: Database
  readonly logins: readonly DemoLogin[]
  readonly login: (role: DemoLogin['role']) => DemoLogin
  close(): Promise<void>
}

/** Builds the web app when web/dist is missing (`npm test` builds it first: the pretest script). */
export async function buildWebApp(): Promise<void> {
  if (existsSync(`${WEB_DIST}/index.html`)) return
  await build({
    configFile: fileURLToPath(new URL('../../web/vite.config.ts', import.meta.url)),
    logLevel: 'warn',
  })
}

/** The real server on a free loopback port, over a fresh database holding the demo company. */
export async function startAppServer(now: () => Date = () => DEMO_NOW): Promise<AppServer> {
  await buildWebApp()
  // The browser tests run against the embedded database, as `npm start` does.
  const db = await openMemoryDatabase()
  let app: FastifyInstance | null = null
  try {
    const orgId = await resolveOrg(db)
    const demo = await createDemo(db, {
      orgId,
      files: await exampleDemoFiles(),
      now: DEMO_NOW,
      history: true,
    })
    app = await buildServer({ db, now })
    await app.listen({ port: 0, host: '127.0.0.1' })
    const { port } = app.server.address() as AddressInfo
    const server = app
    return {
      url: `http://127.0.0.1:${port}`,
      db,
      logins: demo.logins,
      login: (role) => {
        const found = demo.logins.find((l) => l.role === role)
        if (found === undefined) throw new Error(`The demo has no ${role} sign-in.`)
        return found
      },
      close: async () => {
        await server.close()
        await db.close()
      },
    }
  } catch (error) {
    await app?.close()
    await db.close()
    throw error
  }
}
