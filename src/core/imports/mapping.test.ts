import { describe, expect, it } from 'vitest'
import { applyMapping, type Mapping } from './mapping.ts'
import { parseMapping } from './parse-mapping.ts'
import { repDirectory } from './rep-directory.ts'

const reps = repDirectory([
  { id: 'r1', email: 'ana@acme.example', name: 'Ana Castillo' },
  { id: 'r2', email: 'ben@acme.example', name: 'Ben Okafor' },
  { id: 'r3', email: 'sam.lee@acme.example', name: 'Sam Lee' },
  { id: 'r4', email: 'sam.lee2@acme.example', name: 'Sam Lee' },
])

function mapping(yaml: string): Mapping {
  const { mapping, issues } = parseMapping(yaml, 'test.yaml')
  expect(issues).toEqual([])
  return mapping as Mapping
}

const deals = mapping(`
kind: deals
where:
  - { column: Stage, in: [Closed Won] }
columns:
  id: Deal ID
  rep: { from: Owner, rep: [id, email, name] }
  closed_on: { from: Close Date, date: [M/D/YYYY h:mm a, M/D/YYYY], drop_time: true }
  amount: { from: Amount, money: { symbols: ["$", USD], thousands: "," } }
  type:
    from: Pipeline
    values: { Managed Services: managed, Projects: project }
  region: { value: emea }
`)
const header = ['Deal ID', 'Stage', 'Owner', 'Close Date', 'Amount', 'Pipeline']

describe('applyMapping', () => {
  it('writes canonical cells in the order of the mapping when every rule applies', () => {
    // Given a row with a US date-time, a formatted amount, an owner's name and a pipeline
    const row = ['1001', 'Closed Won', ' ana castillo ', '3/5/2026 4:12 PM', '$12,500.00', 'managed services']
    // When it is mapped
    const out = applyMapping(deals, header, row, reps)
    // Then each column is canonical
    expect(out).toEqual({
      ok: true,
      cells: ['1001', 'r1', '2026-03-05', '12500.00', 'managed', 'emea'],
      percent: null,
    })
  })

  it('skips a row when a filter does not hold', () => {
    const row = ['1002', 'Closed Lost', 'r1', '3/5/2026', '1', 'Projects']
    expect(applyMapping(deals, header, row, reps)).toEqual({ ok: false, skipped: true })
  })

  it('keeps an unmapped value as it is and matches reps by id, email or name', () => {
    const row = ['1003', 'closed won', 'BEN@acme.example', '12/31/2026', 'USD 7.5', 'Advisory']
    expect(applyMapping(deals, header, row, reps)).toMatchObject({
      ok: true,
      cells: ['1003', 'r2', '2026-12-31', '7.5', 'Advisory', 'emea'],
    })
  })

  it('reports every bad cell of a row by its export column', () => {
    const row = ['1004', 'Closed Won', 'Sam Lee', '2/30/2026', '1,50', 'Projects']
    const out = applyMapping(deals, header, row, reps)
    expect(out).toEqual({
      ok: false,
      skipped: false,
      issues: [
        'Owner "Sam Lee" is the name of several reps (r3, r4): map it to one under values',
        'Close Date "2/30/2026" is not a date in the format M/D/YYYY h:mm a or M/D/YYYY',
        'Amount "1,50" is not an amount',
      ],
    })
  })

  it('reports an owner no rep matches', () => {
    const row = ['1005', 'Closed Won', 'Zoe Quinn', '1/2/2026', '', 'Projects']
    expect(applyMapping(deals, header, row, reps)).toMatchObject({
      issues: ['Owner "Zoe Quinn" matches no rep by id, email, name'],
    })
  })

  it('reports a missing export column once per header, naming the mapping', () => {
    const out = applyMapping(deals, ['Deal ID', 'Stage', 'Owner', 'Amount', 'Pipeline'], [], reps)
    expect(out).toEqual({
      ok: false,
      skipped: false,
      issues: ['missing column "Close Date" (read into closed_on, mapping test.yaml)'],
    })
  })

  it('leaves money alone unless the mapping says what to strip', () => {
    const plain = mapping('kind: deals\ncolumns: { id: A, rep: B, closed_on: C, amount: D }')
    expect(applyMapping(plain, ['A', 'B', 'C', 'D'], ['1', 'r1', '2026-01-01', '$1,200'])).toMatchObject({
      cells: ['1', 'r1', '2026-01-01', '$1,200'],
    })
  })

  it('uses the default for an empty cell, an alternative column name, a prefix, and an absent optional column', () => {
    const m = mapping(`
kind: deals
columns:
  id: { from: [Deal ID, Record ID], prefix: hs- }
  rep: Owner
  closed_on: Close Date
  type: { from: Pipeline, default: managed }
  mrr: { from: MRR, optional: true }
`)
    const out = applyMapping(
      m,
      ['Record ID', 'Owner', 'Close Date', 'Pipeline'],
      ['7', 'r1', '2026-01-01', ''],
    )
    expect(out).toMatchObject({ ok: true, cells: ['hs-7', 'r1', '2026-01-01', 'managed', ''] })
  })

  it('refuses a value the map does not list when unmapped is error', () => {
    const m = mapping(`
kind: activities
columns:
  id: Id
  rep: Owner
  occurred_on: Date
  kind: { from: Type, values: { Phone Call: call, Meeting: meeting }, unmapped: error }
`)
    expect(
      applyMapping(m, ['Id', 'Owner', 'Date', 'Type'], ['1', 'r1', '2026-01-01', 'Email']),
    ).toMatchObject({
      issues: ['Type "Email" is not among the values the mapping lists'],
    })
  })
})

describe('applyMapping dates', () => {
  const rule = (date: string, extra = ''): Mapping =>
    mapping(
      `kind: activities\ncolumns: { id: A, rep: B, kind: C, occurred_on: { from: D, date: "${date}"${extra} } }`,
    )
  const run = (m: Mapping, text: string): unknown => {
    const out = applyMapping(m, ['A', 'B', 'C', 'D'], ['1', 'r1', 'call', text])
    return out.ok ? out.cells[3] : out
  }

  it.each([
    { format: 'MM/DD/YYYY', extra: '', text: '03/05/2026', want: '2026-03-05' },
    { format: 'DD.MM.YYYY', extra: '', text: '5.3.2026', want: '2026-03-05' },
    { format: 'D MMM YYYY', extra: '', text: '5 Mar 2026', want: '2026-03-05' },
    // a stated offset is written as is
    {
      format: 'YYYY-MM-DD HH:mm:ss',
      extra: ', offset: "+02:00"',
      text: '2026-03-05 14:30:00',
      want: '2026-03-05T14:30:00+02:00',
    },
    // Chicago is at -06:00 in winter and -05:00 from 8 March 2026
    {
      format: 'M/D/YYYY h:mm a',
      extra: ', timezone: America/Chicago',
      text: '1/15/2026 2:05 PM',
      want: '2026-01-15T14:05:00-06:00',
    },
    {
      format: 'M/D/YYYY h:mm a',
      extra: ', timezone: America/Chicago',
      text: '7/4/2026 12:00 AM',
      want: '2026-07-04T00:00:00-05:00',
    },
    // 2:30 AM does not exist on 8 March 2026 in Chicago: the clocks jumped to 3:00
    {
      format: 'M/D/YYYY h:mm a',
      extra: ', timezone: America/Chicago',
      text: '3/8/2026 2:30 AM',
      want: '2026-03-08T03:30:00-05:00',
    },
    {
      format: 'YYYY-MM-DDTHH:mm:ssZ',
      extra: '',
      text: '2026-03-05T14:30:00-0500',
      want: '2026-03-05T14:30:00-05:00',
    },
  ])('reads $text with $format as $want', ({ format, extra, text, want }) => {
    expect(run(rule(format, extra), text)).toBe(want)
  })

  it.each(['13/1/2026', '2/29/2026', '1/1/26', '1/1/2026 13:00 PM'])('refuses %s', (text) => {
    expect(run(rule('M/D/YYYY'), text)).toMatchObject({ ok: false })
  })
})
