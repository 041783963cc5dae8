import { describe, expect, it } from 'vitest'
import { findUnderPerformers, type PlanAttainment, UNDER_PERFORMER_DEFAULTS } from './under-performers.ts'

/** Rows of one plan: attainment by rep, one column per period. */
function table(byRep: Record<string, readonly number[] | undefined>, periods: string[]): PlanAttainment[] {
  return Object.entries(byRep).flatMap(([rep, values]) =>
    (values ?? []).map((attainment, p) => ({ plan: 'ae', period: periods[p] as string, rep, attainment })),
  )
}

const P4 = ['2026-01', '2026-02', '2026-03', '2026-04']
const plans = (keys = P4) => new Map([['ae', keys]])
// Eight evenly spaced attainments: mean 1, sample sd √(0.42/7) = 0.2449; the lowest is at z = −1.43
const v = [0.65, 0.75, 0.85, 0.95, 1.05, 1.15, 1.25, 1.35] as const

describe('findUnderPerformers', () => {
  it.each([
    {
      name: 'lists the lowest two of 8 in 3 and 4 of 4 periods',
      reps: {
        a: [v[0], v[0], v[5], v[0]],
        h: [v[1], v[1], v[1], v[1]],
        b: [v[2], v[2], v[2], v[2]],
        c: [v[3], v[3], v[3], v[3]],
        d: [v[4], v[4], v[4], v[4]],
        e: [v[5], v[5], v[0], v[5]],
        f: [v[6], v[6], v[6], v[6]],
        g: [v[7], v[7], v[7], v[7]],
      },
      // 8 reps: places 1 and 2 are the bottom quartile; a: 01 02 04; h: all four; e: 03 only
      expected: [
        ['a', ['bottom_quartile']],
        ['h', ['bottom_quartile']],
      ],
    },
    {
      name: 'lists nobody at the bottom in only 2 of 4',
      reps: { a: [0.5, 0.5, 1, 1], b: [1, 1, 0.9, 0.95], c: [1, 1.1, 1, 1], d: [1.2, 1.2, 1.2, 1.2] },
      // 4 reps: place 1 only; a in 01 02, b in 03 04 (and with 4 reps z cannot pass −1.5)
      expected: [],
    },
    {
      name: 'lists a rep far below the peers two periods in a row',
      reps: {
        a: [1, 1, 0.2, 0.3],
        b: [1, 1.05, 1, 1.05],
        c: [1.05, 1, 1.05, 1],
        d: [0.95, 1, 1, 1],
        e: [1, 0.95, 0.95, 0.95],
      },
      // 03: mean 0.84, sd √(0.517/4) = 0.3595, z(a) = −0.64 / 0.3595 = −1.78
      // 04: mean 0.86, sd √(0.397/4) = 0.3150, z(a) = −0.56 / 0.3150 = −1.78
      // bottom (place 1 of 5): d 01, e 02, a 03 04 → nobody in 3 of 4
      expected: [['a', ['far_below_peers']]],
    },
    {
      name: 'lists nobody far below in two periods that are not consecutive',
      reps: {
        a: [0.2, 1, 0.2, 1],
        b: [1, 1.05, 1, 1.05],
        c: [1.05, 1, 1.05, 1],
        d: [0.95, 1, 0.95, 1],
        e: [1, 0.95, 1, 0.95],
      },
      expected: [],
    },
  ])('$name', ({ reps, expected }) => {
    const found = findUnderPerformers(table(reps, P4), plans())
    expect(found.map((u) => [u.rep, u.reasons])).toEqual(expected)
  })

  it('looks at the last N periods only, with K and N configurable', () => {
    const reps = {
      a: [0.1, 0.1, 1.15, 1.25],
      b: [1, 1, 1.1, 1.1],
      c: [1.1, 1.1, 1.2, 1.2],
      d: [1.2, 1.2, 1.3, 1.3],
    }
    // place 1 of 4: a in 01 02, b in 03 04
    expect(findUnderPerformers(table(reps, P4), plans())).toEqual([])
    const two = findUnderPerformers(table(reps, P4), plans(), { ...UNDER_PERFORMER_DEFAULTS, k: 2, n: 4 })
    expect(two.map((u) => u.rep)).toEqual(['a', 'b'])
    expect(two[0]?.evidence.map((e) => [e.period, e.bottomQuartile, e.below, e.reps])).toEqual([
      ['2026-01', true, 0, 4],
      ['2026-02', true, 0, 4],
      ['2026-03', false, 1, 4],
      ['2026-04', false, 2, 4],
    ])
    const last2 = findUnderPerformers(table(reps, P4), plans(), { ...UNDER_PERFORMER_DEFAULTS, k: 2, n: 2 })
    expect(last2.map((u) => [u.rep, u.evidence.map((e) => e.period)])).toEqual([
      ['b', ['2026-03', '2026-04']],
    ])
  })

  it('gives the peer mean, standard deviation and z as evidence', () => {
    const reps = { a: [0.4], b: [1], c: [1.2], d: [0.8] }
    const found = findUnderPerformers(table(reps, ['2026-01']), plans(['2026-01']), {
      ...UNDER_PERFORMER_DEFAULTS,
      k: 1,
      n: 1,
    })
    // mean 0.85; sd √((0.2025 + 0.0225 + 0.1225 + 0.0025) / 3) = 0.341565; z = −0.45 / 0.341565 = −1.3175
    const e = found[0]?.evidence[0]
    expect(e?.peerMean).toBeCloseTo(0.85, 12)
    expect(e?.peerSd).toBeCloseTo(0.341565, 6)
    expect(e?.z).toBeCloseTo(-1.3175, 4)
    expect(e?.farBelow).toBe(false)
    expect(found.map((u) => [u.rep, u.reasons])).toEqual([['a', ['bottom_quartile']]])
  })

  it('counts no period with fewer than 4 reps', () => {
    const reps = { a: [0.1, 0.1, 0.1], b: [1, 1, 1], c: [1, 1, 1] }
    expect(findUnderPerformers(table(reps, P4.slice(0, 3)), plans(P4.slice(0, 3)))).toEqual([])
  })
})
