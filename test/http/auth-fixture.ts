import type { FastifyInstance } from 'fastify'
import { expect } from 'vitest'
import { buildServer } from '../../src/adapters/http/build-server.ts'
import type { MailMessage } from '../../src/adapters/http/context.ts'
import type { Database } from '../../src/app/ports/sql.ts'
import { testDatabase } from '../support/db.ts'
import { Agent, sessionCookieOf, TestClock } from './support.ts'

export const HOUR = 60 * 60 * 1000

/** The link's secret in a sign-in message. */
export const tokenIn = (message: MailMessage | undefined): string => {
  const match = /[#?&]token=([\w%-]+)/.exec(message?.text ?? '')
  if (match?.[1] === undefined) throw new Error('no link in the message')
  return decodeURIComponent(match[1])
}

/** A server on an empty database (no organization yet), with a hand-moved clock and captured mail. */
export class AuthFixture {
  readonly owner = { email: 'olivia@acme.example', password: 'correct horse battery' }

  private constructor(
    readonly db: Database,
    readonly app: FastifyInstance,
    readonly clock: TestClock,
    readonly mail: MailMessage[],
  ) {}

  static async start(): Promise<AuthFixture> {
    const db = await testDatabase()
    const clock = new TestClock(new Date('2026-05-04T09:00:00Z'))
    const mail: MailMessage[] = []
    const app = await buildServer({
      db,
      now: clock.now,
      sendMail: async (m) => void mail.push(m),
      publicUrl: 'https://pay.acme.example',
    })
    return new AuthFixture(db, app, clock, mail)
  }

  /** First-run setup of the organization acme and its owner, and two reps (r1, m1). */
  async setUp(): Promise<void> {
    const res = await this.app.inject({
      method: 'POST',
      url: '/api/setup',
      payload: { organization: { id: 'acme', name: 'Acme MSP' }, owner: { ...this.owner, name: 'Olivia' } },
    })
    expect(res.statusCode, res.body).toBe(201)
    await this.db.query(
      `insert into reps (org_id, id, name) values ('acme', 'r1', 'Rae'), ('acme', 'm1', 'Max')`,
    )
  }

  login(email: string, password: string, ip = '10.1.1.1') {
    return this.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email, password },
      remoteAddress: ip,
    })
  }

  async signIn(email: string, password: string): Promise<Agent> {
    const res = await this.login(email, password)
    expect(res.statusCode, res.body).toBe(200)
    return new Agent(this.app, sessionCookieOf(res), (res.json() as { csrfToken: string }).csrfToken)
  }

  async close(): Promise<void> {
    await this.app.close()
    await this.db.close()
  }
}
