import type { PlanDocument } from './plan-document.ts'

/** Text safe inside HTML elements and double-quoted attributes. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;')
}

const STYLE = `
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1a1a1a; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; }
h2 { font-size: 1.15rem; margin-top: 2rem; border-bottom: 1px solid #ccc; padding-bottom: .2rem; }
h3 { font-size: 1rem; margin-bottom: .3rem; }
.meta { color: #444; margin: 0; }
.hash { font-family: ui-monospace, monospace; font-size: .85rem; word-break: break-all; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0; }
th, td { border: 1px solid #bbb; padding: .3rem .5rem; text-align: left; vertical-align: top; }
th { background: #f0f0f0; }
td.num { text-align: right; white-space: nowrap; }
.note { color: #444; font-size: .9rem; }
footer { margin-top: 2rem; border-top: 1px solid #ccc; padding-top: .5rem; font-size: .85rem; color: #444; }
@media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; } table { break-inside: avoid; } }
`

/**
 * The document as one self-contained HTML page (inline style, no scripts, no external files),
 * readable on screen and printable; every piece of text is escaped.
 */
export function renderPlanDocumentHtml(doc: PlanDocument): string {
  const e = escapeHtml
  const parts: string[] = [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${e(doc.planName)} — version ${doc.version}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    '<header>',
    `<h1>${e(doc.planName)}</h1>`,
    `<p class="meta">Plan ${e(doc.planId)}, version ${doc.version}, published ${e(doc.publishedAt)}</p>`,
    `<p class="meta">${e(doc.currency)}, by ${e(doc.period)}, in ${e(doc.timezone)}</p>`,
    `<p class="meta">sha256 <span class="hash">${e(doc.hash)}</span></p>`,
    '</header>',
    '<h2>What the plan says</h2>',
    '<ul>',
    ...doc.summary.map((s) => `<li>${e(s)}</li>`),
    '</ul>',
    '<h2>Rates</h2>',
  ]
  for (const t of doc.tiers) {
    parts.push(
      `<h3>${e(t.commission)} commission on ${e(t.metric)}</h3>`,
      `<p class="note">${e(t.how)}${t.goal === null ? '' : `; goal ${e(t.goal)}`}</p>`,
      '<table>',
      '<thead><tr><th scope="col">Level</th><th scope="col">Values</th><th scope="col">Rate</th></tr></thead>',
      '<tbody>',
      ...t.rows.map((r) => `<tr><td>${e(r.band)}</td><td>${e(r.values)}</td><td>${e(r.rate)}</td></tr>`),
      '</tbody>',
      '</table>',
      ...[t.gate, t.cap].flatMap((line) => (line === null ? [] : [`<p>${e(line)}</p>`])),
    )
  }
  parts.push('<h2>Worked examples</h2>', `<p class="note">Computed for ${e(doc.examplePeriod)}.</p>`)
  for (const x of doc.examples) {
    parts.push(`<h3>${e(x.commission)} commission on ${e(x.metric)}</h3>`)
    if (x.unavailable !== null) {
      parts.push(`<p>No worked example: ${e(x.unavailable)}.</p>`)
      continue
    }
    parts.push(
      `<p class="note">With ${e(x.assumption)}.</p>`,
      '<table>',
      `<thead><tr><th scope="col">${e(x.metric)}</th><th scope="col">You earn</th><th scope="col">What happens</th></tr></thead>`,
      '<tbody>',
      ...x.examples.map(
        (w) =>
          `<tr><td class="num">${e(w.valueText)}</td><td class="num">${e(w.earnedText)}</td><td>${e(w.sentence)}</td></tr>`,
      ),
      '</tbody>',
      '</table>',
    )
  }
  parts.push(
    ...doc.notes.map((n) => `<p class="note">${e(n)}</p>`),
    `<footer>Generated from plan ${e(doc.planId)} version ${doc.version}, sha256 <span class="hash">${e(doc.hash)}</span>. ` +
      'Acknowledging this plan records this version and its hash.</footer>',
    '</body>',
    '</html>',
  )
  return parts.join('\n') + '\n'
}
