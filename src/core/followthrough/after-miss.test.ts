import { describe, expect, it } from 'vitest'
import { periodKey } from '../calendar/period.ts'
import { analyseAfterMiss, type RepAttainment } from './after-miss.ts'
import type { OutcomeItem } from './outcome-item.ts'

/** A seeded generator (mulberry32) so the synthetic data is the same on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function normal(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand())
}

function miss(
  id: string,
  team: string,
  period: string,
  rep: string,
  state: 'applied' | 'waived',
): OutcomeItem {
  return {
    id,
    period,
    periodEnd: `${period}-28`,
    rep,
    manager: null,
    team,
    rule: 'warn-on-miss',
    effects: ['warning'],
    state,
    dueOn: `${period}-28`,
    appliedOn: state === 'applied' ? `${period}-20` : null,
    waivedOn: state === 'waived' ? `${period}-20` : null,
    moneyStatedMinor: 0n,
    moneyAppliedMinor: 0n,
  }
}

/**
 * Teams of 6 reps over `periods` months; each month one rep misses, and the miss is waived with
 * probability one half. The other reps' attainment the next month is 1.0 + 0.15 × noise, plus
 * `effect` after a waived miss. The rep who missed scores 0.5 next month (left out of the comparison).
 */
function synthetic(effect: number, periods: number, seed: number) {
  const rand = random(seed)
  const outcomes: OutcomeItem[] = []
  const attainments: RepAttainment[] = []
  for (const team of ['North', 'South', 'West']) {
    let waivedBefore = false
    let missedBefore = ''
    for (let p = 0; p < periods; p++) {
      const period = periodKey('month', 2020 * 12 + p)
      for (let r = 0; r < 6; r++) {
        const rep = `${team}-${r}`
        const base = rep === missedBefore ? 0.5 : 1 + 0.15 * normal(rand) + (waivedBefore ? effect : 0)
        attainments.push({ rep, team, period, attainment: base })
      }
      const missed = `${team}-${Math.floor(rand() * 6)}`
      const waived = rand() < 0.5
      outcomes.push(miss(`${team}${p}`, team, period, missed, waived ? 'waived' : 'applied'))
      waivedBefore = waived
      missedBefore = missed
    }
  }
  return { outcomes, attainments }
}

describe('analyseAfterMiss', () => {
  it('finds a known drop of 0.1 after unenforced misses', () => {
    const { outcomes, attainments } = synthetic(-0.1, 48, 7)
    const results = analyseAfterMiss(outcomes, attainments, '2030-01-01')
    const all = results.find((r) => r.team === 'all teams')
    const i = all?.interval
    expect(i).toBeDefined()
    if (i === null || i === undefined) return
    // about 3 teams × 47 months × 5 other reps, split in two
    expect(i.nA + i.nB).toBe(3 * 47 * 5)
    expect(i.low).toBeLessThan(-0.1)
    expect(i.high).toBeGreaterThan(-0.1)
    expect(i.high).toBeLessThan(0)
    expect(all?.sentence).toMatch(/less of their goal the next period/)
  })

  it('finds no difference where there is none', () => {
    const { outcomes, attainments } = synthetic(0, 48, 11)
    const all = analyseAfterMiss(outcomes, attainments, '2030-01-01').find((r) => r.team === 'all teams')
    const i = all?.interval
    if (i === null || i === undefined) throw new Error('no interval')
    expect(i.low).toBeLessThan(0)
    expect(i.high).toBeGreaterThan(0)
    expect(all?.sentence).toMatch(/^No clear difference yet/)
  })

  it('covers the true effect in about 95% of repeated experiments', () => {
    let covered = 0
    for (let seed = 1; seed <= 200; seed++) {
      const { outcomes, attainments } = synthetic(-0.05, 8, seed)
      const i = analyseAfterMiss(outcomes, attainments, '2030-01-01', 2).find(
        (r) => r.team === 'all teams',
      )?.interval
      if (i !== null && i !== undefined && i.low <= -0.05 && i.high >= -0.05) covered++
    }
    // binomial(200, 0.95): mean 190, sd 3.1
    expect(covered).toBeGreaterThanOrEqual(181)
    expect(covered).toBeLessThanOrEqual(199)
  })

  it('says there is not enough data yet below the minimum', () => {
    const { outcomes, attainments } = synthetic(-0.1, 2, 3)
    const [north] = analyseAfterMiss(outcomes, attainments, '2030-01-01')
    expect(north?.interval).toBeNull()
    expect(north?.sentence).toMatch(
      /^Not enough data yet for North: \d+ rep-periods? after unenforced misses/,
    )
  })

  it('leaves out the reps who missed and periods whose misses are still pending', () => {
    const outcomes = [
      { ...miss('a', 'T', '2026-01', 'r1', 'waived') },
      {
        ...miss('b', 'T', '2026-02', 'r2', 'applied'),
        state: 'due' as const,
        appliedOn: null,
        dueOn: '2026-12-01',
      },
    ]
    const attainments: RepAttainment[] = ['r1', 'r2', 'r3'].flatMap((rep, i) =>
      ['2026-02', '2026-03'].map((period) => ({ rep, team: 'T', period, attainment: 0.5 + i * 0.25 })),
    )
    const [t] = analyseAfterMiss(outcomes, attainments, '2026-06-01')
    // after the waived January miss: r2 (0.75) and r3 (1.0) in February; r1 left out
    expect(t?.unenforced).toEqual({ periods: ['2026-01'], attainments: [0.75, 1] })
    expect(t?.enforced).toEqual({ periods: [], attainments: [] })
  })
})
