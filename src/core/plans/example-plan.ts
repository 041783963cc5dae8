/** The complete example plan of the plan-language spec, as written there: a template and a test fixture. */
export const EXAMPLE_PLAN_YAML = `version: 1
id: msp-ae
name: Account Executive, Managed Services
currency: USD                 # ISO 4217; amounts round to its minor unit (USD: cents)
period: month                 # month | quarter | year
timezone: America/Chicago     # IANA name; default UTC
effective: { from: 2026-01-01 }   # optional; \`to\` optional; periods outside are not computed

metrics:
  new_mrr:  { sum: mrr,    where: 'deal.type == "managed"' }
  projects: { sum: amount, where: 'deal.type == "project"' }
  calls:    { count: activities, where: 'activity.kind == "call"' }

quotas:                       # default goal per period, per metric
  new_mrr: 4000
  calls: 250
ramp: [25%, 50%, 75%]         # quota factor in a rep's 1st, 2nd, 3rd period
prorate: true                 # scale quota by the share of the period the rep was employed

commissions:
  - id: mrr
    on: new_mrr
    tiered: marginal          # marginal (default) | retroactive
    tiers:
      - { to: 100%, rate: 100% }
      - { to: 150%, rate: 150% }
      - { rate: 200% }
    gate: 50%                 # below 50% attainment the whole commission is forfeited
    cap: 12000                # the most this rule pays in one period
    clawback: 90              # days: a deal cancelled within 90 days of closing takes back its share
  - id: projects
    on: projects
    rate: 5%

spiffs:
  - id: three-year-agreements
    where: 'deal.type == "managed" && deal.term_months >= 36'
    amount: 250               # per credited deal, times the rep's share
    from: 2026-10-01
    to: 2026-12-31

draw: { amount: 1500, recoverable: true }

rules:                        # the stated incentives and consequences
  - id: pto-at-120
    when: attainment.new_mrr >= 1.2
    then: { pto_days: 1, bonus: 500 }
  - id: call-minimum
    when: attainment.calls < 0.8
    then: { forfeit: [projects] }
  - id: warn-on-miss
    when: attainment.new_mrr < 1.0
    then: { warning: "Below the monthly MRR goal" }
  - id: coach-after-two-misses
    when: misses.new_mrr >= 2 && !coaching.active
    then:
      coaching: { periods: 2, pass: attainment.new_mrr >= 0.9, program: Managed services selling }
  - id: review-after-failed-coaching
    when: coaching.failed
    then: { termination_review: "Still below goal after coaching" }
  - id: boost-after-150
    when: attainment.new_mrr >= 1.5
    then: { boost: { rule: mrr, by: 25%, periods: 1 } }
`
