import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { renderPlanDocumentPdf } from '../../src/adapters/pdf/plan-document-pdf.ts'
import { renderPlanDocumentHtml } from '../../src/core/plans/plan-document-html.ts'
import { buildPlanDocument, formatPlanDocumentText } from '../../src/core/plans/plan-document.ts'
import { planFrom } from '../support/records.ts'

const HASH = 'a1'.repeat(32)
const version = {
  version: 3,
  hash: HASH,
  publishedAt: '2026-01-02T09:00:00.000Z',
  examplesFrom: '2025-12-20',
}
const example = planFrom(readFileSync(new URL('../../examples/plan.yaml', import.meta.url), 'utf8'))

const usd = (text: string): bigint => BigInt(text.replace(/[.,]/g, ''))

describe('buildPlanDocument', () => {
  const doc = buildPlanDocument(example, version)

  it('computes the mrr examples around the gate, the goal, each tier bound and the cap', () => {
    // Given msp-ae: goal 4,000.00 of new_mrr; 100% to 100%, 150% to 150%, 200% above (marginal);
    // gate 50%; cap 12,000.00. The examples run in 2026-01, the plan's first month.
    const mrr = doc.examples.find((e) => e.commission === 'mrr')
    expect(doc.examplePeriod).toBe('2026-01')
    expect(mrr?.unavailable).toBeNull()
    expect(mrr?.assumption).toBe('the other goals met exactly (calls)')
    const rows = mrr?.examples.map((x) => [x.valueText, x.earnedMinor, x.forfeitedMinor, x.cappedMinor]) ?? []
    expect(rows).toEqual([
      ['1,600.00 USD', 0n, usd('1600.00'), 0n], // 40%: below the gate, all forfeited
      ['2,000.00 USD', usd('2000.00'), 0n, 0n], // 50%: at the gate, paid at 100%
      ['3,000.00 USD', usd('3000.00'), 0n, 0n], // 75%
      ['4,000.00 USD', usd('4000.00'), 0n, 0n], // 100%
      ['5,000.00 USD', usd('5500.00'), 0n, 0n], // 4,000 + 1,000 × 150%
      ['6,000.00 USD', usd('7000.00'), 0n, 0n], // 4,000 + 2,000 × 150%
      ['8,000.00 USD', usd('11000.00'), 0n, 0n], // 7,000 + 2,000 × 200%
      ['16,000.00 USD', usd('12000.00'), 0n, usd('15000.00')], // 7,000 + 10,000 × 200% = 27,000, capped at 12,000
    ])
    // 5,000: 5,500 + the 500.00 bonus of pto-at-120 = 6,000.00; 1,600: the 1,500.00 draw
    expect(mrr?.examples[4]?.payoutMinor).toBe(usd('6000.00'))
    expect(mrr?.examples[0]?.payoutMinor).toBe(usd('1500.00'))
    expect(mrr?.examples[2]?.sentence).toMatch(
      /^With new_mrr of 3,000\.00 USD \(75% of the goal\), you would earn 3,000\.00 USD from the mrr commission\./,
    )
    expect(mrr?.examples[0]?.sentence).toContain('1,600.00 USD is forfeited (below the 50% gate)')
    expect(mrr?.examples[4]?.rules).toEqual(['pto-at-120: 1 day of paid time off and a 500.00 USD bonus'])
  })

  it('shows a commission without a goal at fixed values', () => {
    // projects: 5% of the value, no goal; new_mrr (4,000.00) and calls (250) met exactly
    const projects = doc.examples.find((e) => e.commission === 'projects')
    expect(projects?.examples.map((x) => [x.valueText, x.earnedMinor, x.payoutMinor])).toEqual([
      ['1,000.00 USD', usd('50.00'), usd('4050.00')],
      ['10,000.00 USD', usd('500.00'), usd('4500.00')],
    ])
  })

  it('lays out the rates as tables with their values', () => {
    const mrr = doc.tiers.find((t) => t.commission === 'mrr')
    expect(mrr?.rows).toEqual([
      { band: 'up to 100% of goal', values: '0.00 USD to 4,000.00 USD', rate: '100% of the value' },
      { band: '100% to 150% of goal', values: '4,000.00 USD to 6,000.00 USD', rate: '150% of the value' },
      { band: '150% of goal and above', values: '6,000.00 USD and above', rate: '200% of the value' },
    ])
    expect(mrr?.gate).toBe('Below 50% of goal (2,000.00 USD) the commission is forfeited.')
    expect(mrr?.cap).toBe('Pays at most 12,000.00 USD a month.')
  })

  it('pays retroactive tiers on a count with a gate, as the engine does', () => {
    // Given 10 won deals a quarter; 50.00 USD each below 100%, 80.00 each from 100% (retroactive); gate 40%
    const plan = planFrom(`version: 1
id: wins
name: Wins
currency: USD
period: quarter
metrics:
  won: { count: deals, where: 'deal.type == "new"' }
quotas: { won: 10 }
commissions:
  - id: per-win
    on: won
    tiered: retroactive
    tiers:
      - { to: 100%, rate: 50 }
      - { rate: 80 }
    gate: 40%
`)
    const doc = buildPlanDocument(plan, { ...version, examplesFrom: '2026-02-10' })
    expect(doc.examplePeriod).toBe('2026-Q2')
    const rows = doc.examples[0]?.examples.map((x) => [x.valueText, x.earnedMinor, x.forfeitedMinor])
    expect(rows).toEqual([
      ['3', 0n, usd('150.00')], // 40% × 80% of 10 = 3.2 → 3 deals, below the gate: 3 × 50 forfeited
      ['4', usd('200.00'), 0n], // 4 × 50
      ['7', usd('350.00'), 0n], // midway 70%: 7 × 50
      ['10', usd('800.00'), 0n], // at 100% the upper tier: 10 × 80
      ['15', usd('1200.00'), 0n], // 15 × 80
    ])
  })

  it('says why a commission has no example when its filter is not simple', () => {
    const plan = planFrom(`version: 1
id: odd
name: Odd
currency: USD
period: month
metrics:
  big: { sum: amount, where: 'deal.type == "a" || deal.type == "b"' }
commissions:
  - { id: c, on: big, rate: 10% }
`)
    const doc = buildPlanDocument(plan, version)
    expect(doc.examples[0]?.examples).toEqual([])
    expect(doc.examples[0]?.unavailable).toMatch(/filter of big/)
  })
})

describe('plan document renderers', () => {
  const hostile = planFrom(
    readFileSync(new URL('../../examples/plan.yaml', import.meta.url), 'utf8').replace(
      'name: Account Executive, Managed Services',
      `name: "<script>alert('x')</script> & \\"Co\\""`,
    ),
  )
  const doc = buildPlanDocument(hostile, version)

  it('escapes every text in the HTML page and shows the version and hash', () => {
    const html = renderPlanDocumentHtml(doc)
    expect(html).not.toContain('<script>')
    expect(html).toContain('&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;Co&quot;')
    expect(html).toContain(`version 3`)
    expect(html.match(new RegExp(HASH, 'g'))?.length).toBe(2) // header and footer
    expect(html).toContain('<td class="num">5,500.00 USD</td>')
    expect(html).toContain('“Below the monthly MRR goal”')
  })

  it('prints the version and hash in the text form', () => {
    const text = formatPlanDocumentText(doc)
    expect(text).toContain(`Version 3, sha256 ${HASH}`)
    expect(text).toContain('With new_mrr of 5,000.00 USD (125% of the goal), you would earn 5,500.00 USD')
  })

  it('renders a PDF carrying the version hash', async () => {
    const pdf = await renderPlanDocumentPdf(doc, { compress: false })
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-')
    const raw = pdf.toString('latin1')
    expect(raw).toContain(`sha256 ${HASH}`) // the document's Subject
    // page text is written as hex glyph codes (WinAnsi: ASCII as is)
    const hex = Buffer.from(HASH, 'latin1').toString('hex')
    expect(raw.toLowerCase()).toContain(hex)
    expect(raw).toContain('/Title')
  })

  it('gives the same PDF for the same version', async () => {
    const [a, b] = [await renderPlanDocumentPdf(doc), await renderPlanDocumentPdf(doc)]
    expect(a.length).toBeGreaterThan(1000)
    expect(a.equals(b)).toBe(true) // the creation date is the publication, not the clock
  })
})
