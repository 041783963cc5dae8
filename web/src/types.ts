/** Shapes the API answers with (see /api/openapi.json). */

export interface Stake {
  readonly kind: 'gate' | 'tier' | 'rule'
  readonly source: string
  readonly at: string
  readonly now: boolean
  readonly gap: string | null
  readonly amountMinor: number | null
  readonly words: string
}

export interface MetricProgress {
  readonly metric: string
  readonly money: boolean
  readonly value: string
  readonly quota: string | null
  readonly attainment: string | null
  readonly projectedValue: string | null
  readonly projectedAttainment: string | null
  readonly stakes: readonly Stake[]
  readonly sentence: string
}

export interface RepProgress {
  readonly rep: string
  readonly repName: string
  readonly plan: string
  readonly period: string
  readonly currency: string
  readonly closed: boolean
  readonly asOf: string
  readonly periodEnd: string
  readonly elapsedBusinessDays: number
  readonly totalBusinessDays: number
  readonly metrics: readonly MetricProgress[]
  readonly earnedSoFarMinor: number
  readonly earnedSoFarText: string
}

export interface Period {
  readonly key: string
  readonly kind: 'month' | 'quarter' | 'year'
  readonly status: 'open' | 'closed'
  readonly closedAt: string | null
}

export interface ResultLine {
  readonly kind: string
  readonly rule?: string
  readonly deal?: string
  readonly amount: number
  readonly forfeited: number
  readonly capped: number
}

export interface RepResultJson {
  readonly rep: string
  readonly metrics: Record<string, { value: number; quota: number | null; attainment: string | null }>
  readonly lines: readonly ResultLine[]
  readonly outcomes: readonly { rule: string; effects: Record<string, unknown> }[]
  readonly payout: number
  readonly balance: number
  readonly warnings: readonly string[]
}

export interface Statement {
  readonly repId: string
  readonly period: string
  readonly result: RepResultJson | null
  readonly moneyMetrics: readonly string[]
  readonly yearToDateMinor: number
  readonly closedAt: string
  readonly head: { seq: number; hash: string }
  readonly adjustments: readonly Record<string, unknown>[]
}
