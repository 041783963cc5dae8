import { describe, expect, it } from 'vitest'
import { calc, type CalcInput } from '../support/calc.ts'

const plan = `version: 1
id: ae
currency: USD
period: month
metrics:
  new_mrr: { sum: mrr }
  seats: { sum: seats }
quotas: { new_mrr: 1000 }
commissions:
  - { id: mrr, on: new_mrr, rate: 10% }
`
const good: CalcInput = {
  plans: { 'plan.yaml': plan },
  reps: 'id,manager,plan\nr1,,ae\nr2,r1,ae\n',
  deals: 'id,rep,closed_on,mrr,seats\nd1,r1,2026-01-05,100.00,3\n',
  activities: 'id,rep,kind,occurred_on\na1,r1,call,2026-01-05\n',
  quotas: 'rep,period,metric,amount\nr1,2026-01,new_mrr,2000\n',
  from: '2026-01',
  to: '2026-01',
}

describe('followthrough calc: bad input', () => {
  it('computes the good input', async () => {
    const out = await calc(good)
    expect(out.stderr).toBe('')
    expect(out.status).toBe(0)
  })

  it.each([
    {
      problem: 'a duplicate deal id',
      file: 'deals.csv',
      line: 3,
      change: { deals: good.deals + 'd1,r1,2026-01-06,5,1\n' },
    },
    { problem: 'a duplicate rep id', file: 'reps.csv', line: 4, change: { reps: good.reps + 'r1,,ae\n' } },
    {
      problem: 'an unknown rep',
      file: 'deals.csv',
      line: 2,
      change: { deals: 'id,rep,closed_on,mrr,seats\nd1,r9,2026-01-05,1,1\n' },
    },
    {
      problem: 'shares that do not add to 100',
      file: 'deals.csv',
      line: 2,
      change: { deals: 'id,rep,closed_on,mrr,seats\nd1,r1:60;r2:39.99,2026-01-05,1,1\n' },
    },
    {
      problem: 'a bad date',
      file: 'deals.csv',
      line: 2,
      change: { deals: 'id,rep,closed_on,mrr,seats\nd1,r1,2026-02-30,1,1\n' },
    },
    {
      problem: 'a date-time without an offset',
      file: 'deals.csv',
      line: 2,
      change: { deals: 'id,rep,closed_on,mrr,seats\nd1,r1,2026-01-05T10:00:00,1,1\n' },
    },
    {
      problem: 'negative money',
      file: 'deals.csv',
      line: 2,
      change: { deals: 'id,rep,closed_on,mrr,seats\nd1,r1,2026-01-05,-1,1\n' },
    },
    {
      problem: 'malformed money',
      file: 'deals.csv',
      line: 2,
      change: { deals: 'id,rep,closed_on,mrr,seats\nd1,r1,2026-01-05,"1,000",1\n' },
    },
    {
      problem: 'too many decimals',
      file: 'deals.csv',
      line: 2,
      change: { deals: 'id,rep,closed_on,mrr,seats\nd1,r1,2026-01-05,1.005,1\n' },
    },
    {
      problem: 'a manager cycle',
      file: 'reps.csv',
      line: 2,
      change: { reps: 'id,manager,plan\nr1,r2,ae\nr2,r1,ae\n' },
    },
    {
      problem: 'a quota for an unknown metric',
      file: 'quotas.csv',
      line: 2,
      change: { quotas: 'rep,period,metric,amount\nr1,2026-01,calls,5\n' },
    },
    {
      problem: 'a quota period of another kind',
      file: 'quotas.csv',
      line: 2,
      change: { quotas: 'rep,period,metric,amount\nr1,2026-Q1,new_mrr,5\n' },
    },
    {
      problem: 'a sum of a missing column',
      file: 'deals.csv',
      line: 1,
      change: { deals: 'id,rep,closed_on,mrr\nd1,r1,2026-01-05,1\n' },
    },
    {
      problem: 'a sum of a non-number',
      file: 'deals.csv',
      line: 3,
      change: { deals: good.deals + 'd2,r1,2026-01-05,1,many\n' },
    },
    {
      problem: 'cancelled before closed',
      file: 'deals.csv',
      line: 2,
      change: { deals: 'id,rep,closed_on,mrr,seats,cancelled_on\nd1,r1,2026-01-05,1,1,2026-01-04\n' },
    },
    {
      problem: 'an activity of an unknown rep',
      file: 'activities.csv',
      line: 2,
      change: { activities: 'id,rep,kind,occurred_on\na1,r7,call,2026-01-05\n' },
    },
    {
      problem: 'a missing required column',
      file: 'deals.csv',
      line: 1,
      change: { deals: 'id,closed_on,mrr,seats\nd1,2026-01-05,1,1\n' },
    },
  ])(
    'exits 1 with $file:$line on stderr and nothing on stdout for $problem',
    async ({ file, line, change }) => {
      const out = await calc({ ...good, ...change })
      expect(out.status).toBe(1)
      expect(out.stdout).toBe('')
      expect(out.stderr).toMatch(new RegExp(`(^|/)${file.replace('.', '\\.')}:${line}: \\S`, 'm'))
    },
  )

  it('lists every problem at once', async () => {
    const out = await calc({
      ...good,
      deals: 'id,rep,closed_on,mrr,seats\nd1,r9,2026-01-05,1,1\nd2,r1,bad,1,1\nd2,r1,2026-01-05,x,1\n',
    })
    expect(out.status).toBe(1)
    expect(out.stderr.trim().split('\n').length).toBeGreaterThanOrEqual(4)
  })

  it('reports a plan problem as FILE:LINE:COL', async () => {
    const out = await calc({
      ...good,
      plans: { 'plan.yaml': plan.replace('rate: 10%', 'rate: 10%, tier: 3') },
    })
    expect(out.status).toBe(1)
    expect(out.stdout).toBe('')
    expect(out.stderr).toMatch(
      /plan\.yaml:10:40: unknown key "tier" in commission "mrr"; did you mean "tiers"\?/,
    )
  })
})
