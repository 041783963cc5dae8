import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runCli } from '../../src/adapters/cli/main.ts'

interface Captured {
  status: number
  stdout: string
  stderr: string
}

async function cli(argv: string[], isTTY = false): Promise<Captured> {
  let stdout = ''
  let stderr = ''
  const status = await runCli(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s), isTTY })
  return { status, stdout, stderr }
}

const dir = mkdtempSync(join(tmpdir(), 'followthrough-calc-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function file(name: string, text: string): string {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}

const files = {
  plan: file(
    'plan.yaml',
    `version: 1
id: ae
name: Account Executive
currency: USD
period: month
metrics:
  new_mrr: { sum: mrr }
quotas:
  new_mrr: 1000
commissions:
  - id: mrr
    on: new_mrr
    rate: 10%
rules:
  - id: bonus-at-100
    when: attainment.new_mrr >= 1.0
    then: { bonus: 50 }
`,
  ),
  reps: file('reps.csv', 'id,name,plan\nr1,Ann,ae\nr2,Bob,ae\n'),
  deals: file('deals.csv', 'id,rep,closed_on,mrr\nd1,r1,2026-01-10,1200.50\nd2,r1:50;r2:50,2026-01-20,500\n'),
}

const base = ['calc', '--plan', files.plan, '--reps', files.reps, '--deals', files.deals]

describe('followthrough calc: wrong usage', () => {
  it.each([
    {
      case: 'an unreadable --from',
      args: ['--from', '2026-13-01', '--to', '2026-12'],
      message: /--from "2026-13-01"/,
    },
    { case: 'an unreadable --to', args: ['--from', '2026-01', '--to', 'soon'], message: /--to "soon"/ },
    {
      case: '--to before --from',
      args: ['--from', '2026-02', '--to', '2026-01-31'],
      message: /--to 2026-01-31/,
    },
    {
      case: 'an unknown --format',
      args: ['--from', '2026-01', '--to', '2026-01', '--format', 'xml'],
      message: /xml/,
    },
  ])('exits 2 with a message and no output on $case', async ({ args, message }) => {
    const run = await cli([...base, ...args])
    expect(run.status).toBe(2)
    expect(run.stderr).toMatch(message)
    expect(run.stdout).toBe('')
  })

  it('exits 2 when a required option is missing', async () => {
    const run = await cli([
      'calc',
      '--plan',
      files.plan,
      '--deals',
      files.deals,
      '--from',
      '2026-01',
      '--to',
      '2026-01',
    ])
    expect(run.status).toBe(2)
    expect(run.stderr).toMatch(/--reps/)
  })

  it('exits 2 on an unknown command and 0 on --help and --version', async () => {
    expect((await cli(['frobnicate'])).status).toBe(2)
    const help = await cli(['--help'])
    expect(help.status).toBe(0)
    expect(help.stdout).toMatch(/calc/)
    const version = await cli(['--version'])
    expect(version.status).toBe(0)
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+/)
  })
})

describe('followthrough calc: end to end', () => {
  it('prints the JSON result with the hand-computed payouts when the inputs are good', async () => {
    // r1: 1,200.50 + 500 × 50% = 1,450.50 MRR of 1,000 (145.05%): 10% = 145.05, plus the 50.00 bonus = 195.05
    // r2: 500 × 50% = 250.00 MRR (25%): 10% = 25.00, no bonus
    const run = await cli([...base, '--from', '2026-01', '--to', '2026-01-31'])
    expect(run.stderr).toBe('')
    expect(run.status).toBe(0)
    expect(JSON.parse(run.stdout)).toEqual({
      plans: [
        {
          id: 'ae',
          currency: 'USD',
          period: 'month',
          periods: [
            {
              period: '2026-01',
              start: '2026-01-01',
              end: '2026-01-31',
              reps: [
                {
                  rep: 'r1',
                  metrics: { new_mrr: { value: 145050, quota: 100000, attainment: '1.450500' } },
                  lines: [
                    { kind: 'commission', rule: 'mrr', amount: 14505, forfeited: 0, capped: 0 },
                    { kind: 'bonus', rule: 'bonus-at-100', amount: 5000, forfeited: 0, capped: 0 },
                  ],
                  outcomes: [{ rule: 'bonus-at-100', effects: { bonus: 5000 } }],
                  payout: 19505,
                  balance: 0,
                  warnings: [],
                },
                {
                  rep: 'r2',
                  metrics: { new_mrr: { value: 25000, quota: 100000, attainment: '0.250000' } },
                  lines: [{ kind: 'commission', rule: 'mrr', amount: 2500, forfeited: 0, capped: 0 }],
                  outcomes: [],
                  payout: 2500,
                  balance: 0,
                  warnings: [],
                },
              ],
            },
          ],
        },
      ],
    })
  })
})
