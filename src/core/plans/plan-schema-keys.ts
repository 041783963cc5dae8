import type { EffectKey } from './plan.ts'

/** The keys each map of a plan allows, in the order the spec writes them; `required` ones must be present. */
export interface MapSchema {
  readonly allowed: readonly string[]
  readonly required: readonly string[]
}

export const PLAN_KEYS: MapSchema = {
  allowed: [
    'version',
    'id',
    'name',
    'currency',
    'period',
    'timezone',
    'effective',
    'metrics',
    'quotas',
    'ramp',
    'prorate',
    'commissions',
    'spiffs',
    'draw',
    'rules',
  ],
  required: ['version', 'id', 'currency', 'period', 'metrics'],
}

export const EFFECTIVE_KEYS: MapSchema = { allowed: ['from', 'to'], required: [] }

export const METRIC_KEYS: MapSchema = { allowed: ['sum', 'count', 'where', 'of'], required: [] }

export const COMMISSION_KEYS: MapSchema = {
  allowed: ['id', 'on', 'rate', 'tiers', 'tiered', 'gate', 'cap', 'clawback'],
  required: ['id', 'on'],
}

export const TIER_KEYS: MapSchema = { allowed: ['to', 'rate'], required: ['rate'] }

export const SPIFF_KEYS: MapSchema = {
  allowed: ['id', 'where', 'amount', 'from', 'to'],
  required: ['id', 'amount'],
}

export const DRAW_KEYS: MapSchema = { allowed: ['amount', 'recoverable'], required: ['amount'] }

export const RULE_KEYS: MapSchema = { allowed: ['id', 'when', 'then'], required: ['id', 'when', 'then'] }

export const EFFECT_KEYS: readonly EffectKey[] = [
  'bonus',
  'forfeit',
  'boost',
  'pto_days',
  'raise',
  'warning',
  'coaching',
  'termination_review',
]

export const THEN_KEYS: MapSchema = { allowed: EFFECT_KEYS, required: [] }

export const BOOST_KEYS: MapSchema = { allowed: ['rule', 'by', 'periods'], required: ['rule', 'by'] }

export const COACHING_KEYS: MapSchema = { allowed: ['periods', 'pass', 'program'], required: ['pass'] }

/** What a `when` or `pass` may read by key, besides metric ids: the fields of `coaching`. */
export const COACHING_FIELDS: readonly string[] = ['active', 'passed', 'failed']

/** The CEL maps of a `when` keyed by metric id. */
export const METRIC_MAPS: readonly string[] = [
  'value',
  'quota',
  'attainment',
  'hits',
  'misses',
  'rank',
  'ranked',
]

/** Every name a `when` may read. */
export const WHEN_VARIABLES: readonly string[] = [...METRIC_MAPS, 'tenure', 'coaching', 'rep']

/** Deal columns that hold text or dates, never a number to `sum:`. */
export const NON_NUMERIC_DEAL_FIELDS: readonly string[] = [
  'id',
  'rep',
  'closed_on',
  'cancelled_on',
  'type',
  'customer',
]
