import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Agent, DEMO_EMAIL, demoServer, signIn, type DemoServer } from '../http/support.ts'
import { example } from '../support/seed.ts'

const plan = example('plan.yaml')

interface Answer {
  issues: { line: number; column: number; message: string }[]
  result: {
    periods: string[]
    reps: { repId: string; periods: { period: string; actualMinor: number; whatIfMinor: number }[] }[]
    totals: { actualMinor: number; whatIfMinor: number; differenceMinor: number }
  } | null
}

describe('POST /api/what-if', () => {
  let server: DemoServer
  let owner: Agent
  let manager: Agent
  beforeAll(async () => {
    server = await demoServer()
    owner = await signIn(server.app, DEMO_EMAIL.owner)
    manager = await signIn(server.app, DEMO_EMAIL.manager)
  }, 120_000)
  afterAll(async () => server?.close())

  it('answers per rep and in total, amounts as exact minor units', async () => {
    // Given the demo (January and February 2026 closed) and msp-ae with projects at 10% instead of 5%
    const res = await owner.request('POST', '/api/what-if', {
      source: plan.replace('rate: 5%', 'rate: 10%'),
      file: 'msp-ae.yaml',
    })
    expect(res.statusCode, res.body).toBe(200)
    const { issues, result } = res.json() as Answer
    expect(issues).toEqual([])
    expect(result?.periods).toEqual(['2026-01', '2026-02'])
    // r05 in January: projects 22,050.00 × 5% = 1,102.50 paid; at 10% 2,205.00: 5,965.00 → 7,067.50.
    const r05 = result?.reps.find((r) => r.repId === 'r05')
    expect(r05?.periods[0]).toMatchObject({ period: '2026-01', actualMinor: 596_500, whatIfMinor: 706_750 })
    expect(result?.totals.differenceMinor).toBe(
      (result?.totals.whatIfMinor ?? 0) - (result?.totals.actualMinor ?? 0),
    )
    // Nothing was stored: no close, result or outcome more than before.
    const [runs] = await server.db.query<{ n: number }>('select count(*)::int as n from close_runs')
    expect(runs?.n).toBe(2)
  })

  it('names the window a what-if of a plan runs over, and how many reps it covers', async () => {
    // Given the demo: January and February 2026 closed; on msp-ae at the end of February, 11 reps (r06 joins in May)
    const res = await owner.request('GET', '/api/what-if/window?plan=msp-ae&months=12')
    expect(res.statusCode, res.body).toBe(200)
    expect(res.json()).toEqual({ planId: 'msp-ae', periods: ['2026-01', '2026-02'], reps: 11 })
    const unknown = await owner.request('GET', '/api/what-if/window?plan=nope')
    expect(unknown.statusCode).toBe(404)
    expect((await manager.request('GET', '/api/what-if/window?plan=msp-ae')).statusCode).toBe(403)
  })

  it('returns the problems of a draft that does not check, with their line', async () => {
    const res = await owner.request('POST', '/api/what-if', {
      source: plan.replace('rate: 5%', 'rate: lots'),
    })
    expect(res.statusCode).toBe(200)
    const answer = res.json() as Answer
    expect(answer.result).toBeNull()
    expect(answer.issues[0]?.line).toBe(plan.split('\n').findIndex((l) => l.includes('rate: 5%')) + 1)
  })

  it('refuses a new plan id without the plan it replaces, and managers', async () => {
    const res = await owner.request('POST', '/api/what-if', {
      source: plan.replace('id: msp-ae', 'id: brand-new'),
    })
    expect((res.json() as { error: { code: string } }).error.code).toBe('plan.unknown_plan')
    expect(res.statusCode).toBe(404)
    const refused = await manager.request('POST', '/api/what-if', { source: plan })
    expect(refused.statusCode).toBe(403)
  })
})
