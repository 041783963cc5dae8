import { readFileSync } from 'node:fs'
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify'
import { textSource } from '../../src/adapters/import/import-sources.ts'
import { buildServer } from '../../src/adapters/http/build-server.ts'
import type { MailMessage, Role, ServerDeps } from '../../src/adapters/http/context.ts'
import { createDemoPeople, DEMO_PASSWORD } from '../../src/app/auth/demo-people.ts'
import { createDemo } from '../../src/app/demo/create-demo.ts'
import type { Database } from '../../src/app/ports/sql.ts'
import { testDatabase } from '../support/db.ts'

const example = (name: string): string =>
  readFileSync(new URL(`../../examples/${name}`, import.meta.url), 'utf8')

/** A clock tests move by hand. */
export class TestClock {
  constructor(public at: Date) {}
  now = (): Date => new Date(this.at.getTime())
  advance(ms: number): void {
    this.at = new Date(this.at.getTime() + ms)
  }
}

/** A signed-in client of the server: its session cookie and CSRF token, sent on every request. */
export class Agent {
  constructor(
    readonly app: FastifyInstance,
    readonly cookie: string | null,
    readonly csrf: string | null,
  ) {}
  request(
    method: InjectOptions['method'],
    url: string,
    payload?: unknown,
    headers: Record<string, string> = {},
  ): Promise<LightMyRequestResponse> {
    return this.app.inject({
      method,
      url,
      headers: {
        ...(this.cookie === null ? {} : { cookie: `ft_session=${this.cookie}` }),
        ...(this.csrf === null ? {} : { 'x-csrf-token': this.csrf }),
        ...headers,
      },
      ...(payload === undefined
        ? {}
        : typeof payload === 'string'
          ? { payload }
          : { payload: payload as Record<string, unknown> }),
    })
  }
}

/** The session cookie a response set. */
export function sessionCookieOf(res: LightMyRequestResponse): string | null {
  return res.cookies.find((c) => c.name === 'ft_session')?.value ?? null
}

/** Signs in through the API and returns the agent. */
export async function signIn(
  app: FastifyInstance,
  email: string,
  password = DEMO_PASSWORD,
  ip = '10.0.0.1',
): Promise<Agent> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { email, password },
    remoteAddress: ip,
  })
  if (res.statusCode !== 200) throw new Error(`sign-in of ${email} failed: ${res.statusCode} ${res.body}`)
  return new Agent(app, sessionCookieOf(res), (res.json() as { csrfToken: string }).csrfToken)
}

export const DEMO_EMAIL: Readonly<Record<Role, string>> = {
  owner: 'owner@northwind-msp.example',
  admin: 'admin@northwind-msp.example',
  finance: 'finance@northwind-msp.example',
  manager: 'manager@northwind-msp.example',
  rep: 'rep@northwind-msp.example',
}

export interface DemoServer {
  app: FastifyInstance
  db: Database
  clock: TestClock
  mail: MailMessage[]
  orgId: string
  close(): Promise<void>
}

/**
 * The demo company (January and February 2026 closed) with a login per role (manager bound to m1,
 * rep to r01), served by buildServer on a fresh database, with a hand-moved clock and captured mail.
 */
export async function demoServer(orgId = 'northwind'): Promise<DemoServer> {
  const db = await testDatabase()
  const clock = new TestClock(new Date('2026-03-02T15:00:00Z'))
  await createDemo(db, {
    orgId,
    now: clock.now(),
    files: {
      plans: ['plan.yaml', 'manager-plan.yaml'].map((file) => ({ file, text: example(file) })),
      csv: {
        reps: textSource('reps.csv', example('reps.csv')),
        deals: textSource('deals.csv', example('deals.csv')),
        activities: textSource('activities.csv', example('activities.csv')),
        quotas: textSource('quotas.csv', example('quotas.csv')),
      },
    },
  })
  // createDemo makes these sign-ins itself once it calls createDemoPeople; until then, here.
  const [people] = await db.query<{ n: number }>('select count(*)::int as n from people where org_id = $1', [
    orgId,
  ])
  if (people?.n === 0)
    await createDemoPeople(db, { orgId, managerRepId: 'm1', repId: 'r01', now: clock.now() })
  const mail: MailMessage[] = []
  const deps: ServerDeps = {
    db,
    now: clock.now,
    sendMail: async (message) => {
      mail.push(message)
    },
    publicUrl: 'https://pay.example.com',
  }
  const app = await buildServer(deps)
  return {
    app,
    db,
    clock,
    mail,
    orgId,
    close: async () => {
      await app.close()
      await db.close()
    },
  }
}
