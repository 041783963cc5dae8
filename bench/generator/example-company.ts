import { parseLocalDate } from '../../src/core/calendar/civil.ts'
import { AE_PLAN, type Company, MANAGER_PLAN, type Person, type QuotaRow, type Role } from './company.ts'
import { emailLocalPart } from './names.ts'
import type { Prng } from './prng.ts'

/**
 * One person of the example company. `form` is the attainment of new MRR each AE is aimed at,
 * January to December, against the quota the plan gives them (ramped and prorated, or the
 * override): the deals are sized to land on it, so the year tells the story written here.
 */
interface Persona {
  readonly id: string
  readonly name: string
  readonly role: Role
  readonly manager: string
  readonly team: string
  readonly hiredOn: string
  readonly leftOn?: string
  readonly form?: readonly number[]
  /** Calls, meetings and leads relative to the others, by month; 1 when left out. */
  readonly activity?: Readonly<Record<number, number>>
}

// prettier-ignore
const PERSONAS = (y: number): readonly Persona[] => [
  { id: 'd1', name: 'Dana Whitfield', role: 'director', manager: '', team: 'Sales', hiredOn: `${y - 9}-03-01` },
  { id: 'm1', name: 'Marcus Bell', role: 'manager', manager: 'd1', team: 'North', hiredOn: `${y - 6}-08-15` },
  { id: 'm2', name: 'Priya Raman', role: 'manager', manager: 'd1', team: 'South', hiredOn: `${y - 4}-01-10` },
  // The star: above 120% every month, above 150% often (a boost the month after).
  { id: 'r01', name: 'Ana Castillo', role: 'ae', manager: 'm1', team: 'North', hiredOn: `${y - 5}-04-06`,
    form: [1.32, 1.55, 1.28, 1.42, 1.6, 1.3, 1.25, 1.56, 1.35, 1.45, 1.3, 1.7] },
  // Steady, around the goal.
  { id: 'r02', name: 'Ben Okafor', role: 'ae', manager: 'm1', team: 'North', hiredOn: `${y - 3}-09-14`,
    form: [1.06, 1.12, 0.95, 1.08, 1.24, 1.04, 1.1, 1.05, 1.15, 1.06, 1.22, 1.1], activity: { 8: 0.6 } },
  // Misses February and March: coaching in April and May, passed in May.
  { id: 'r03', name: 'Carla Nguyen', role: 'ae', manager: 'm1', team: 'North', hiredOn: `${y - 2}-02-01`,
    form: [1.05, 0.86, 0.72, 0.86, 1.08, 1.12, 1.05, 1.1, 1.04, 1.15, 1.06, 1.24] },
  // Misses May and June: coaching in July and August, failed in August (termination review), a
  // second coaching plan in September and October, passed.
  { id: 'r04', name: 'Darius Walsh', role: 'ae', manager: 'm1', team: 'North', hiredOn: `${y - 4}-06-20`,
    form: [1.1, 1.05, 0.94, 1.08, 0.82, 0.7, 0.76, 0.62, 0.85, 1.06, 1.04, 1.1] },
  // Up and down: below the 50% gate in February and June.
  { id: 'r05', name: 'Elena Rossi', role: 'ae', manager: 'm1', team: 'North', hiredOn: `${y - 3}-01-05`,
    form: [1.15, 0.42, 1.3, 1.05, 1.24, 0.44, 1.18, 1.1, 0.92, 1.25, 1.06, 1.3] },
  // Hired on May 18: ramp 25%, 50%, 75% and a prorated first month.
  { id: 'r06', name: 'Farid Haddad', role: 'ae', manager: 'm1', team: 'North', hiredOn: `${y}-05-18`,
    form: [0, 0, 0, 0, 0.8, 1.35, 1.1, 0.95, 1.12, 1.25, 1.05, 1.3] },
  // Leaves on August 14; a July deal is cancelled in September (a clawback after leaving).
  { id: 'r07', name: 'Grace Kim', role: 'ae', manager: 'm2', team: 'South', hiredOn: `${y - 2}-10-03`, leftOn: `${y}-08-14`,
    form: [0.9, 1.04, 0.93, 1.06, 0.95, 1.08, 0.92, 0.7, 0, 0, 0, 0] },
  // Sells well, but makes too few calls in March, April, September and October (projects forfeited).
  { id: 'r08', name: 'Hiro Tanaka', role: 'ae', manager: 'm2', team: 'South', hiredOn: `${y - 6}-05-11`,
    form: [1.08, 1.15, 1.06, 1.12, 0.95, 1.1, 1.26, 1.05, 1.1, 1.04, 1.16, 1.08],
    activity: { 3: 0.6, 4: 0.62, 9: 0.58, 10: 0.64 } },
  // A rising star: boosts after March, June and October; a deal signed late on March 31.
  { id: 'r09', name: 'Imani Mensah', role: 'ae', manager: 'm2', team: 'South', hiredOn: `${y - 1}-02-16`,
    form: [0.96, 1.25, 1.62, 1.3, 1.08, 1.55, 1.34, 1.12, 1.28, 1.6, 1.24, 1.45] },
  // A larger territory from October (quota override); a huge November hits the cap.
  { id: 'r10', name: 'Jonas Eriksen', role: 'ae', manager: 'm2', team: 'South', hiredOn: `${y - 7}-11-02`,
    form: [1.02, 1.1, 0.96, 1.06, 1.12, 1.04, 1.08, 1.14, 1.03, 1.1, 2.7, 1.2] },
  { id: 'r11', name: 'Keisha Brennan', role: 'ae', manager: 'm2', team: 'South', hiredOn: `${y - 3}-07-27`,
    form: [1.06, 0.96, 1.08, 1.14, 0.94, 1.1, 1.05, 1.22, 0.9, 1.12, 1.04, 1.18] },
  // Joined in November last year: still ramping (75%) in January.
  { id: 'r12', name: 'Luis Garcia', role: 'ae', manager: 'm2', team: 'South', hiredOn: `${y - 1}-11-03`,
    form: [0.94, 1.06, 1.12, 0.9, 1.15, 1.08, 1.04, 0.93, 1.1, 1.3, 1.22, 1.35] },
]

/** The example company: a director, two team leads and twelve AEs, with the year written above. */
export function buildExampleCompany(prng: Prng, year: number): Company {
  const personas = PERSONAS(year)
  const indexOf = new Map(personas.map((p, i) => [p.id, i]))
  const teamNames = ['North', 'South']
  const day = (text: string): number => {
    const d = parseLocalDate(text)
    if (d === null) throw new Error(`bad date in the example personas: ${text}`)
    return d
  }
  const people: Person[] = personas.map((p, index) => ({
    index,
    id: p.id,
    name: p.name,
    email: `${emailLocalPart(p.name)}@northwind-msp.example`,
    role: p.role,
    manager: p.manager === '' ? -1 : (indexOf.get(p.manager) ?? -1),
    team: p.team,
    teamIndex: teamNames.indexOf(p.team),
    plan: p.role === 'ae' ? AE_PLAN : p.role === 'manager' ? MANAGER_PLAN : '',
    hiredOn: day(p.hiredOn),
    leftOn: p.leftOn === undefined ? null : day(p.leftOn),
  }))
  const form = new Float64Array(people.length * 12)
  const activity = new Float64Array(people.length * 12)
  personas.forEach((p, i) => {
    for (let m = 0; m < 12; m++) {
      form[i * 12 + m] = p.form?.[m] ?? 0
      activity[i * 12 + m] = (p.activity?.[m + 1] ?? 1) * Math.exp(0.03 * prng.normal())
    }
  })
  const key = (m: number): string => `${year}-${String(m).padStart(2, '0')}`
  const quotas: QuotaRow[] = [
    ...[1, 2, 3, 4].map((m) => ({ rep: 'm1', period: key(m), metric: 'team_new_mrr', amount: '20000.00' })),
    { rep: 'r02', period: key(8), metric: 'calls', amount: '150' },
    ...[9, 10, 11, 12].map((m) => ({
      rep: 'm2',
      period: key(m),
      metric: 'team_new_mrr',
      amount: '20000.00',
    })),
    ...[10, 11, 12].map((m) => ({ rep: 'r10', period: key(m), metric: 'new_mrr', amount: '5000.00' })),
  ]
  return {
    year,
    zone: 'America/Chicago',
    people,
    teams: teamNames.map((t) => people.filter((p) => p.role === 'ae' && p.team === t).map((p) => p.index)),
    form,
    activity,
    quotas,
    cancellations: [{ rep: 'r07', month: 7, cancelledOn: `${year}-09-10` }],
    // Signed at 21:40 in Chicago on March 31: April 1 in UTC, March in the plan's zone.
    lateCloses: [{ rep: 'r09', month: 3 }],
  }
}
