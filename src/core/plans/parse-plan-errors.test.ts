import { describe, expect, it } from 'vitest'
import { formatPlanIssue, parsePlan } from './parse-plan.ts'

// Lines 1–6; every case below appends from line 7 on.
const MINIMAL = `version: 1
id: p
currency: USD
period: month
metrics:
  new_mrr: { sum: mrr }
`

/** The issues of a plan as `LINE:COL: message`, and checks that no plan comes back with them. */
function issuesOf(text: string, file = 'p.yaml'): string[] {
  const { plan, issues } = parsePlan(text, file)
  expect(plan).toBeNull()
  return issues.map((issue) => formatPlanIssue(issue).slice(file.length + 1))
}

const commission = (body: string): string => `${MINIMAL}commissions:\n  - id: mrr\n    on: new_mrr\n${body}`
const rule = (when: string, then = '{ pto_days: 1 }'): string =>
  `${MINIMAL}rules:\n  - id: r\n    when: ${when}\n    then: ${then}\n`

describe('parsePlan', () => {
  it('reports an unknown key with a suggestion and the allowed keys when a key is misspelt', () => {
    // Given `tier` instead of `tiers` (line 10)
    const issues = issuesOf(commission('    tier:\n      - { rate: 5% }\n'))
    // Then both the commission without rate or tiers and the unknown key are reported
    expect(issues).toEqual([
      '8:5: commission "mrr" needs "rate" (such as 5%) or "tiers" (a list of { to, rate })',
      '10:5: unknown key "tier" in commission "mrr"; did you mean "tiers"? (allowed: id, on, rate, tiers, tiered, gate, cap, clawback)',
    ])
  })

  it('reports each missing required key at the map when keys are left out', () => {
    // Given a plan with neither currency nor metrics
    const issues = issuesOf('version: 1\nid: p\nperiod: month\n')
    // Then
    expect(issues).toEqual([
      '1:1: missing key "currency" in the plan: an ISO 4217 code such as USD',
      '1:1: missing key "metrics" in the plan: a map of metric ids to { sum: FIELD } or { count: deals | activities }',
    ])
  })

  it('reports the metric at its position when a commission pays on one that is not defined', () => {
    // Given `on: new_mrrr` on line 9, column 9
    const issues = issuesOf(`${MINIMAL}commissions:\n  - id: mrr\n    on: new_mrrr\n    rate: 5%\n`)
    // Then
    expect(issues).toEqual([
      '9:9: commission "mrr" pays on metric "new_mrrr", which the plan does not define; did you mean "new_mrr"? (metrics: new_mrr)',
    ])
  })

  it.each([
    // `    when: ` is 10 characters; the key starts after `attainment.` (11)
    { when: 'attainment.new_mrrr >= 1.2', column: 22, read: 'attainment.new_mrrr' },
    // after the opening quote (12) and `misses.new_mrr >= 2 && value.` (29)
    { when: "'misses.new_mrr >= 2 && value.new_mrrr > 2.0'", column: 41, read: 'value.new_mrrr' },
    // `''` inside single quotes is one character of the expression: `rep.team == 'a' && hits["` is 25 long,
    // but its source is 27 long after the quote at column 11
    { when: `'rep.team == ''a'' && hits["new_mrrr"] >= 1'`, column: 39, read: 'hits.new_mrrr' },
    // `\\"` inside double quotes is one character of the expression: three escapes before the key
    { when: '"rep.team == \\"a\\" && rank[\\"new_mrrr\\"] == 1"', column: 40, read: 'rank.new_mrrr' },
  ])('reports the column inside the expression when a `when` reads $read', ({ when, column, read }) => {
    // Given a rule on line 9 reading a metric the plan does not define
    const issues = issuesOf(rule(when))
    // Then the issue points at the metric id inside the expression
    expect(issues).toEqual([
      `9:${column}: "when" of rule "r" reads ${read}, but the plan defines no metric "new_mrrr"; did you mean "new_mrr"? (metrics: new_mrr)`,
    ])
  })

  it('reports invalid CEL at the position inside the expression when `when` does not parse', () => {
    // Given a third `&` at index 26 of the expression, which starts at column 11
    const issues = issuesOf(rule('attainment.new_mrr >= 1 &&& 2'))
    // Then
    expect(issues).toEqual(['9:37: invalid CEL in "when" of rule "r": Unexpected character: &'])
  })

  it('reports the type when a `when` is not a bool', () => {
    const issues = issuesOf(rule('value.new_mrr'))
    expect(issues).toEqual(['9:11: "when" of rule "r" must be a bool, but is of type double'])
  })

  it('reports an unknown name with a suggestion when `when` reads a variable that does not exist', () => {
    const issues = issuesOf(rule('atainment.new_mrr >= 1.0'))
    expect(issues).toEqual([
      '9:11: invalid CEL in "when" of rule "r": unknown name "atainment"; did you mean "attainment"? ' +
        '(it can read: value, quota, attainment, hits, misses, rank, ranked, tenure, coaching, rep)',
    ])
  })

  it('reports the second use of an id when a rule reuses the id of a commission', () => {
    // Given commission "mrr" on line 8 and rule "mrr" on line 11
    const issues = issuesOf(
      `${MINIMAL}commissions:\n  - id: mrr\n    on: new_mrr\n    rate: 1%\nrules:\n  - id: mrr\n    when: coaching.failed\n    then: { warning: w }\n`,
    )
    // Then
    expect(issues).toEqual([
      '12:9: id "mrr" of this rule is already used by the commission on line 8; commissions, spiffs and rules share one set of ids',
    ])
  })

  it('reports a metric id written twice when the metrics map repeats a key', () => {
    const issues = issuesOf(`${MINIMAL}  new_mrr: { sum: amount }\n`)
    expect(issues).toEqual([
      '7:3: key "new_mrr" is written twice in the same map; each key (and each metric id) may appear once',
    ])
  })

  it('reports tier bounds that do not increase at the offending bound', () => {
    // Given bounds 150% then 100%
    const issues = issuesOf(
      commission(
        '    tiers:\n      - { to: 150%, rate: 1 }\n      - { to: 100%, rate: 1.5 }\n      - { rate: 2 }\n',
      ),
    )
    // Then
    expect(issues).toEqual([
      '12:15: tiers of commission "mrr" are out of order: "to" of tier 2 (100%) must be above "to" of tier 1 (150%)',
    ])
  })

  it('reports a bounded last tier and an open tier before it when `to` is misplaced', () => {
    const issues = issuesOf(commission('    tiers:\n      - { rate: 1 }\n      - { to: 2, rate: 1 }\n'))
    expect(issues).toEqual([
      '11:9: tier 1 of commission "mrr" needs "to": only the last tier is open-ended',
      '12:11: the last tier of commission "mrr" must not have "to": it pays everything above the bound before it',
    ])
  })

  it.each([
    {
      body: '    rate: 5%\n    tiers: [{ rate: 1 }]\n',
      message: '11:5: commission "mrr" has both "rate" and "tiers"; keep one',
    },
    {
      body: '    rate: 5%\n    tiered: retroactive\n',
      message: '11:5: "tiered" in commission "mrr" needs "tiers"',
    },
  ])('reports the key that does not belong when a commission reads $message', ({ body, message }) => {
    expect(issuesOf(commission(body))).toEqual([message])
  })

  it.each([
    {
      cap: '1234.500',
      message: 'is 1234.500, which has more decimal places than USD allows (2); write 1234.50',
    },
    {
      cap: '1234.505',
      message: 'is 1234.505, which has more decimal places than USD allows (2); round it to 2 decimal places',
    },
    { cap: '"12k"', message: 'must be an amount in USD such as 1234.50, not "12k"' },
    { cap: '-5', message: 'must not be negative, not -5' },
  ])('reports the amount as written when a money literal is $cap', ({ cap, message }) => {
    const issues = issuesOf(commission(`    rate: 5%\n    cap: ${cap}\n`))
    expect(issues).toEqual([`11:10: "cap" of commission "mrr" ${message}`])
  })

  it('reports an unknown currency with a suggestion when the code is not ISO 4217', () => {
    const issues = issuesOf(MINIMAL.replace('USD', 'USX'))
    expect(issues).toEqual([
      '3:11: unknown currency "USX": write an ISO 4217 code such as USD, EUR or GBP; did you mean "USD"?',
    ])
  })

  it('reports an unknown time zone with a suggestion when the IANA name is misspelt', () => {
    const issues = issuesOf(`${MINIMAL}timezone: America/Chicagoo\n`)
    expect(issues).toEqual([
      '7:11: unknown time zone "America/Chicagoo": write an IANA name such as America/Chicago or UTC; did you mean "America/Chicago"?',
    ])
  })

  it('reports effective dates with the nearest boundary when they are not on period boundaries', () => {
    // Given a quarterly plan effective from mid-February to a day short of the year's end
    const issues = issuesOf(
      `${MINIMAL.replace('month', 'quarter')}effective: { from: 2026-02-15, to: 2026-12-30 }\n`,
    )
    // Then
    expect(issues).toEqual([
      '7:20: "from" of "effective" (2026-02-15) must be the first day of a quarter; did you mean 2026-01-01?',
      '7:36: "to" of "effective" (2026-12-30) must be the last day of a quarter; did you mean 2026-12-31?',
    ])
  })

  it('reports the period and the version when they are not ones the language has', () => {
    const issues = issuesOf(MINIMAL.replace('version: 1', 'version: 2').replace('month', 'mnth'))
    expect(issues).toEqual([
      '1:10: "version" of the plan must be 1 (the plan language version this engine reads), not 2',
      '4:9: "period" of the plan must be month, quarter or year, not "mnth"; did you mean "month"?',
    ])
  })

  it('reports references and values inside effects when they name nothing or are malformed', () => {
    // Given a forfeit naming an unknown id, a boost of a rule, a quarter day off and a bare forfeit word
    const issues = issuesOf(`${MINIMAL}commissions:
  - { id: mrr, on: new_mrr, rate: 1%, clawback: 1.5 }
rules:
  - id: r
    when: coaching.failed
    then: { forfeit: [mrr, mmr], boost: { rule: r, by: 25% }, pto_days: 0.25 }
  - id: s
    when: coaching.passed
    then: { forfeit: mrr }
`)
    // Then
    expect(issues).toEqual([
      '8:49: "clawback" of commission "mrr" (days) must be a whole number, 0 or more, not "1.5"',
      '12:28: "forfeit" of rule "r" names "mmr", but no commission, spiff or rule has that id; did you mean "mrr"? ' +
        '(commissions, spiffs and rules: mrr, r, s)',
      '12:49: "rule" of "boost" of rule "r" names "r", but "r" is a rule (commissions: mrr)',
      '12:73: "pto_days" of rule "r" must be whole or half days (such as 1 or 1.5)',
      '15:22: "forfeit" of rule "s" must be a list of commission, spiff or rule ids such as [projects], or the word all (write [mrr] for one id)',
    ])
  })

  it('reports every problem at once, in file order, when a plan has several', () => {
    // Given five problems in different parts of the plan
    const issues = issuesOf(`version: 1
id: p
currency: USD
period: month
timezone: Mars/Olympus
metrics:
  new_mrr: { sum: mrr, were: 'deal.type == "x"' }
quotas: { new_mrr: 10.001 }
rules:
  - id: r
    when: attainment.mrr >= 1
    then: { bonus: 1.5, warnings: x }
`)
    // Then all are listed, sorted by line and column
    expect(issues.map((issue) => issue.split(': ')[0])).toEqual(['5:11', '7:24', '8:20', '11:22', '12:25'])
  })

  it('reports a YAML syntax error at its position when the file is not YAML', () => {
    const issues = issuesOf('version: 1\nid: [p\nperiod: month\n')
    expect(issues).toHaveLength(1)
    expect(issues[0]).toMatch(/^3:1: invalid YAML: /)
  })

  it('reports positions in the JSON text when the plan is JSON', () => {
    // Given a JSON plan with an unknown key on line 3
    const issues = issuesOf(
      '{\n  "version": 1, "id": "p", "currency": "USD", "period": "month",\n  "metrics": { "m": { "sum": "mrr", "of": "self", "wher": "x" } }\n}\n',
      'p.json',
    )
    // Then
    expect(issues).toEqual([
      '3:51: unknown key "wher" in metric "m"; did you mean "where"? (allowed: sum, count, where, of)',
    ])
  })

  it('reports an empty plan when the file holds nothing', () => {
    expect(issuesOf('# nothing yet\n')).toEqual([
      '1:1: the plan is empty: it needs at least version, id, currency, period and metrics',
    ])
  })
})
