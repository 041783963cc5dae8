import { describe, expect, it } from 'vitest'
import { decideCoaching, reportCoachingDecision } from '../../src/app/followthrough/coaching-decisions.ts'
import type { Queryable } from '../../src/app/ports/sql.ts'
import type { RepJson } from '../../src/core/engine/result-json.ts'

const rep = (id: string): RepJson => ({
  rep: id,
  metrics: {},
  lines: [],
  outcomes: [],
  payout: 0,
  balance: 0,
  warnings: [],
})
/** A transaction that must not be used: the decisions come from the close's own run. */
const noQueries = {
  query: () => Promise.reject(new Error('no second engine run expected')),
} as unknown as Queryable

describe('decideCoaching with the decisions the close reported', () => {
  it('takes them as reported, without running the engine again', async () => {
    const r1 = rep('r1')
    const r2 = rep('r2')
    reportCoachingDecision(r1, 'coach', 'passed')
    reportCoachingDecision(r2, 'coach', 'failed')
    const out = await decideCoaching(noQueries, {
      orgId: 'o',
      period: '2026-05',
      ending: [
        { id: 'c1', repId: 'r1', planId: 'ae', rule: 'coach' },
        { id: 'c2', repId: 'r2', planId: 'ae', rule: 'coach' },
      ],
      repResults: [
        { planId: 'ae', rep: r1 },
        { planId: 'ae', rep: r2 },
      ],
    })
    expect(out).toEqual(
      new Map([
        ['c1', 'passed'],
        ['c2', 'failed'],
      ]),
    )
  })

  it('runs the engine again for a result without a report', async () => {
    const r3 = rep('r3')
    reportCoachingDecision(r3, 'other-rule', 'passed')
    await expect(
      decideCoaching(noQueries, {
        orgId: 'o',
        period: '2026-05',
        ending: [{ id: 'c3', repId: 'r3', planId: 'ae', rule: 'coach' }],
        repResults: [{ planId: 'ae', rep: r3 }],
      }),
    ).rejects.toThrow(/no second engine run/)
  })
})
