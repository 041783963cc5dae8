import { formatLocalDate } from '../calendar/civil.ts'
import type { ZoneCalendar } from '../calendar/instant.ts'
import type { CelProgram } from '../plans/cel.ts'
import type { ActivityTable, DealTable, ExtraColumn, Rep } from '../records/records.ts'
import { type Accessor, WhereFilter } from './where-filter.ts'

/** What CEL sees of deals, activities and reps: `deal.*`, `activity.*`, `rep.*`. */
export class RecordFields {
  private readonly divisor: number

  constructor(
    private readonly deals: DealTable,
    private readonly activities: ActivityTable,
    private readonly reps: readonly Rep[],
    digits: number,
    private readonly zone: ZoneCalendar,
  ) {
    this.divisor = 10 ** digits
  }

  deal(d: number, field: string): unknown {
    const t = this.deals
    switch (field) {
      case 'id':
        return t.id[d]
      case 'amount':
        return (t.amountMinor[d] as number) / this.divisor
      case 'mrr':
        return (t.mrrMinor[d] as number) / this.divisor
      case 'type':
        return t.type[d]
      case 'customer':
        return t.customer[d]
      case 'term_months': {
        const v = t.termMonths[d] as number
        return Number.isNaN(v) ? undefined : BigInt(v)
      }
      case 'closed_on':
        return this.date(t.closedDay[d] as number, t.closedMs[d] as number)
      case 'cancelled_on':
        return Number.isNaN(t.cancelledMs[d] as number) && (t.cancelledDay[d] as number) === -2147483648
          ? ''
          : this.date(t.cancelledDay[d] as number, t.cancelledMs[d] as number)
      case 'rep': {
        const parts: string[] = []
        for (let k = t.shareStart[d] as number; k < (t.shareStart[d + 1] as number); k++) {
          parts.push(`${this.reps[t.shareRep[k] as number]?.id}:${(t.shareMicro[k] as number) / 10_000}`)
        }
        return parts.join(';')
      }
      default:
        return extraValue(t.extras.get(field), d)
    }
  }

  activity(a: number, field: string): unknown {
    const t = this.activities
    switch (field) {
      case 'id':
        return t.id[a]
      case 'rep':
        return this.reps[t.rep[a] as number]?.id
      case 'kind':
        return t.kind[a]
      case 'occurred_on':
        return this.date(t.occurredDay[a] as number, t.occurredMs[a] as number)
      default:
        return extraValue(t.extras.get(field), a)
    }
  }

  rep(r: number, field: string): unknown {
    return this.reps[r]?.fields[field]
  }

  /** A fast reader of one field of `deal` (or of the credited `rep`) for WhereFilter. */
  dealAccessor(variable: string, field: string): Accessor {
    if (variable === 'rep') return (_d, r) => this.rep(r, field)
    if (variable !== 'deal') return () => undefined
    const t = this.deals
    if (field === 'type') return (d) => t.type[d]
    if (field === 'customer') return (d) => t.customer[d]
    if (field === 'id') return (d) => t.id[d]
    return (d) => this.deal(d, field)
  }

  /** A fast reader of one field of `activity` (or of its `rep`) for WhereFilter. */
  activityAccessor(variable: string, field: string): Accessor {
    if (variable === 'rep') return (_a, r) => this.rep(r, field)
    if (variable !== 'activity') return () => undefined
    const t = this.activities
    if (field === 'kind') return (a) => t.kind[a]
    return (a) => this.activity(a, field)
  }

  /** A WhereFilter over deals with this plan's view of them. */
  dealFilter(program: CelProgram | null): WhereFilter | null {
    return program === null
      ? null
      : new WhereFilter(
          program,
          (v, f) => this.dealAccessor(v, f),
          (d, r) => this.dealContext(d, r),
        )
  }

  /** A WhereFilter over activities. */
  activityFilter(program: CelProgram | null): WhereFilter | null {
    return program === null
      ? null
      : new WhereFilter(
          program,
          (v, f) => this.activityAccessor(v, f),
          (a, r) => this.activityContext(a, r),
        )
  }

  dealContext(d: number, r: number): Record<string, unknown> {
    return {
      deal: this.record(d, DEAL_FIELDS, this.deals.extras, (f) => this.deal(d, f)),
      rep: this.reps[r]?.fields,
    }
  }

  activityContext(a: number, r: number): Record<string, unknown> {
    return {
      activity: this.record(a, ACTIVITY_FIELDS, this.activities.extras, (f) => this.activity(a, f)),
      rep: this.reps[r]?.fields,
    }
  }

  private record(
    _i: number,
    fields: readonly string[],
    extras: ReadonlyMap<string, ExtraColumn>,
    get: (f: string) => unknown,
  ): Record<string, unknown> {
    const out: Record<string, unknown> = {}
    for (const f of [...fields, ...extras.keys()]) {
      const v = get(f)
      if (v !== undefined) out[f] = v
    }
    return out
  }

  private date(day: number, ms: number): string {
    return formatLocalDate(Number.isNaN(ms) ? day : this.zone.localDay(ms))
  }
}

const DEAL_FIELDS = [
  'id',
  'rep',
  'closed_on',
  'amount',
  'mrr',
  'type',
  'customer',
  'term_months',
  'cancelled_on',
]
const ACTIVITY_FIELDS = ['id', 'rep', 'kind', 'occurred_on']

function extraValue(column: ExtraColumn | undefined, i: number): unknown {
  if (column === undefined) return undefined
  const text = column.values[i] ?? ''
  if (!column.numeric) return text
  return text === '' ? undefined : Number(text)
}

/** A numeric cell as an integer scaled by 10^scale ("12.5", 2 → 1250), exactly; 0 when empty. */
export function scaledInteger(text: string, scale: number): number {
  if (text === '') return 0
  const neg = text.startsWith('-')
  const body = neg || text.startsWith('+') ? text.slice(1) : text
  const [whole = '0', frac = ''] = body.split('.')
  const value = Number(whole + frac.padEnd(scale, '0'))
  if (!Number.isSafeInteger(value)) throw new RangeError(`The number ${text} is too large to add up exactly`)
  return neg ? -value : value
}
