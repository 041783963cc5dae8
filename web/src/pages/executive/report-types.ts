/** Shapes of the report routes (GET /api/reports/*), as /api/openapi.json describes them. */

export interface Figures {
  readonly due: number
  readonly appliedOnTime: number
  readonly appliedLate: number
  readonly waived: number
  readonly overdue: number
  readonly pending: number
  readonly rate: { numerator: number; denominator: number } | null
  readonly moneyStatedMinor: number
  readonly moneyAppliedMinor: number
}

export interface FollowThrough {
  readonly asOf: string
  readonly by: 'manager' | 'team' | 'company' | 'period'
  readonly scope: string
  readonly groups: readonly { group: string; figures: Figures }[]
}

export interface Unenforced {
  readonly asOf: string
  readonly misses: readonly {
    period: string
    rep: string
    repName: string
    team: string
    manager: string | null
    rule: string
    effects: readonly string[]
    status: 'waived' | 'overdue'
    dueOn: string | null
    waivedOn: string | null
    waivedBy: string | null
    waiveReason: string | null
  }[]
}

export interface AfterMiss {
  readonly asOf: string
  readonly minimum: number
  readonly teams: readonly {
    team: string
    unenforced: { periods: readonly string[]; attainments: readonly number[] }
    enforced: { periods: readonly string[]; attainments: readonly number[] }
    interval: {
      difference: number | null
      low: number | null
      high: number | null
      df: number | null
      meanA: number | null
      meanB: number | null
      nA: number
      nB: number
    } | null
    sentence: string
  }[]
}

export interface UnderPerformers {
  readonly options: { k: number; n: number; sd: number; inRow: number }
  readonly reps: readonly {
    plan: string
    rep: string
    repName: string
    team: string
    manager: string | null
    reasons: readonly ('bottom_quartile' | 'far_below_peers')[]
    evidence: readonly {
      period: string
      attainment: number
      reps: number
      below: number
      bottomQuartile: boolean
      peerMean: number | null
      peerSd: number | null
      z: number | null
      farBelow: boolean
    }[]
    planSays: readonly { rule: string; when: string; then: string }[]
  }[]
}
