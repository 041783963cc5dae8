import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Agent, DEMO_EMAIL, demoServer, signIn, type DemoServer } from './support.ts'

interface Grid {
  year: number
  metric: string | null
  metrics: string[]
  periods: Record<string, string[]>
  closed: string[]
  rows: {
    repId: string
    planId: string
    kind: string
    money: boolean
    planDefault: string | null
    cells: Record<string, string>
  }[]
}

describe('quota routes', () => {
  let demo: DemoServer
  let admin: Agent
  let manager: Agent
  beforeAll(async () => {
    demo = await demoServer()
    admin = await signIn(demo.app, DEMO_EMAIL.admin)
    manager = await signIn(demo.app, DEMO_EMAIL.manager)
  })
  afterAll(async () => demo.close())

  it('sets a cell, shows it in the grid and the list, then removes it', async () => {
    const put = await admin.request('PUT', '/api/quotas/r01/2026-04/new_mrr', { amount: '4250.00' })
    expect(put.statusCode).toBe(200)
    expect(put.json()).toMatchObject({ before: null, after: '4250', planDefault: '4000', planId: 'msp-ae' })

    const grid = (await manager.request('GET', '/api/quotas/grid?year=2026&metric=new_mrr')).json() as Grid
    expect(grid.metrics).toContain('new_mrr')
    expect(grid.periods.month).toHaveLength(12)
    expect(grid.closed).toEqual(['2026-01', '2026-02'])
    const r01 = grid.rows.find((r) => r.repId === 'r01')
    expect(r01).toMatchObject({ planId: 'msp-ae', kind: 'month', money: true, planDefault: '4000' })
    expect(r01?.cells['2026-04']).toBe('4250')
    // The manager (m1) sees their tree only: reps of m2 are not in the grid.
    const everyone = (await admin.request('GET', '/api/quotas/grid?year=2026&metric=new_mrr')).json() as Grid
    expect(grid.rows.length).toBeGreaterThan(0)
    expect(grid.rows.length).toBeLessThan(everyone.rows.length)

    const list = await manager.request('GET', '/api/quotas?repId=r01&period=2026-04')
    expect(list.json()).toMatchObject({
      items: [{ repId: 'r01', period: '2026-04', metric: 'new_mrr', amount: '4250' }],
    })

    const del = await admin.request('DELETE', '/api/quotas/r01/2026-04/new_mrr')
    expect(del.statusCode).toBe(200)
    expect(del.json()).toMatchObject({ before: '4250', after: null })
    const gone = await admin.request('DELETE', '/api/quotas/r01/2026-04/new_mrr')
    expect(gone.statusCode).toBe(404)
  })

  it('refuses a closed period (409), a bad amount (400), a manager (403)', async () => {
    const closed = await admin.request('PUT', '/api/quotas/r01/2026-02/new_mrr', { amount: '1' })
    expect(closed.statusCode).toBe(409)
    expect(closed.json()).toMatchObject({ error: { code: 'quota.period_closed' } })
    const precise = await admin.request('PUT', '/api/quotas/r01/2026-04/new_mrr', { amount: '1.001' })
    expect(precise.statusCode).toBe(400)
    expect(precise.json()).toMatchObject({ error: { code: 'quota.bad_amount' } })
    const badKey = await admin.request('PUT', '/api/quotas/r01/2026-4/new_mrr', { amount: '1' })
    expect(badKey.statusCode).toBe(400)
    const forbidden = await manager.request('PUT', '/api/quotas/r01/2026-04/new_mrr', { amount: '1' })
    expect(forbidden.statusCode).toBe(403)
  })
})
