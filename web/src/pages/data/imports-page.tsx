import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { api, ApiError } from '../../api.ts'

interface Issue {
  readonly file: string
  readonly line: number
  readonly message: string
}

interface ImportResult {
  readonly ok: boolean
  readonly stored: boolean
  readonly counts: { rows: number; added: number; changed: number; unchanged: number; skipped: number; assigned: number } | null
  readonly issues: readonly Issue[]
  readonly moreIssues: number
  readonly preview: { header: string[]; rows: string[][] }
  readonly unpublishedPlans: readonly string[]
}

interface ImportRow {
  readonly id: string
  readonly kind: string
  readonly fileName: string
  readonly mapping: string | null
  readonly status: string
  readonly rows: number
  readonly added: number
  readonly changed: number
  readonly unchanged: number
  readonly startedAt: string
  readonly createdBy: string
}

const KINDS = ['deals', 'activities', 'reps', 'quotas'] as const
const MAPPINGS = [
  { value: '', label: 'Followthrough CSV (canonical)' },
  { value: 'hubspot-deals', label: 'HubSpot deals export' },
  { value: 'salesforce-opportunities', label: 'Salesforce opportunities report' },
  { value: 'connectwise-opportunities', label: 'ConnectWise Manage opportunities' },
  { value: 'connectwise-agreements', label: 'ConnectWise Manage agreements' },
  { value: 'autotask-opportunities', label: 'Autotask opportunities' },
]

/** Imports: choose a file and how to read it, preview with every problem at its row, then commit. */
export function ImportsPage() {
  const queries = useQueryClient()
  const [kind, setKind] = useState<(typeof KINDS)[number]>('deals')
  const [mapping, setMapping] = useState('')
  const [file, setFile] = useState<File | null>(null)
  const [result, setResult] = useState<ImportResult | null>(null)
  const [busy, setBusy] = useState<'preview' | 'commit' | null>(null)
  const [error, setError] = useState<string | null>(null)
  const history = useQuery({ queryKey: ['imports'], queryFn: () => api.get<{ items: ImportRow[] }>('/imports') })

  const run = async (preview: boolean) => {
    if (file === null) return
    setBusy(preview ? 'preview' : 'commit')
    setError(null)
    try {
      const text = await file.text()
      const query = new URLSearchParams({ preview: String(preview), fileName: file.name })
      if (mapping !== '') query.set('mapping', mapping)
      const out = await api.post<ImportResult>(`/imports/${kind}?${query}`, text).catch((e: unknown) => {
        if (e instanceof ApiError && e.status === 422) return e.details as ImportResult
        throw e
      })
      setResult(out)
      if (!preview) await queries.invalidateQueries()
    } catch (e) {
      setError((e as Error).message)
    } finally {
      setBusy(null)
    }
  }

  return (
    <>
      <h1>Imports</h1>
      <form className="card form" onSubmit={(e) => e.preventDefault()}>
        <label htmlFor="import-kind">What the file holds</label>
        <select id="import-kind" value={kind} onChange={(e) => setKind(e.target.value as (typeof KINDS)[number])}>
          {KINDS.map((k) => (
            <option key={k} value={k}>
              {k}
            </option>
          ))}
        </select>
        <label htmlFor="import-mapping">How to read it</label>
        <select id="import-mapping" value={mapping} onChange={(e) => setMapping(e.target.value)}>
          {MAPPINGS.map((m) => (
            <option key={m.value} value={m.value}>
              {m.label}
            </option>
          ))}
        </select>
        <label htmlFor="import-file">CSV file</label>
        <input
          id="import-file"
          type="file"
          accept=".csv,text/csv"
          onChange={(e) => {
            setFile(e.target.files?.[0] ?? null)
            setResult(null)
          }}
        />
        <p className="row">
          <button type="button" disabled={file === null || busy !== null} onClick={() => void run(true)}>
            Preview
          </button>
          <button
            type="button"
            disabled={file === null || busy !== null || result === null || !result.ok || result.stored}
            onClick={() => void run(false)}
          >
            Import
          </button>
          {busy !== null && <span role="status">{busy === 'preview' ? 'Checking the whole file…' : 'Importing…'}</span>}
        </p>
      </form>
      {error !== null && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {result !== null && <ImportOutcome result={result} />}
      <section className="card" aria-labelledby="history-title">
        <h2 id="history-title">Past imports</h2>
        <table>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Kind</th>
              <th scope="col">File</th>
              <th scope="col">Mapping</th>
              <th scope="col" className="num">
                Added
              </th>
              <th scope="col" className="num">
                Changed
              </th>
              <th scope="col" className="num">
                Unchanged
              </th>
              <th scope="col">By</th>
            </tr>
          </thead>
          <tbody>
            {(history.data?.items ?? []).map((r) => (
              <tr key={r.id}>
                <td>{new Date(r.startedAt).toLocaleString()}</td>
                <td>{r.kind}</td>
                <td>{r.fileName}</td>
                <td>{r.mapping ?? 'canonical'}</td>
                <td className="num">{r.added}</td>
                <td className="num">{r.changed}</td>
                <td className="num">{r.unchanged}</td>
                <td>{r.createdBy}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  )
}

function ImportOutcome({ result }: { result: ImportResult }) {
  return (
    <section className="card" aria-labelledby="outcome-title">
      <h2 id="outcome-title">
        {!result.ok
          ? 'The file has problems: nothing was stored'
          : result.stored
            ? 'Imported'
            : 'Preview: nothing stored yet'}
      </h2>
      {result.issues.length > 0 && (
        <ul className="issues" aria-label="Problems">
          {result.issues.map((issue, i) => (
            <li key={i} className="bad">
              {issue.file}:{issue.line}: {issue.message}
            </li>
          ))}
          {result.moreIssues > 0 && <li>… and {result.moreIssues} more</li>}
        </ul>
      )}
      {result.counts !== null && (
        <p>
          {result.counts.rows + result.counts.skipped} rows: {result.counts.added} new, {result.counts.changed} changed, {result.counts.unchanged}{' '}
          unchanged{result.counts.skipped > 0 ? `, ${result.counts.skipped} left out by the mapping` : ''}
          {result.stored ? '.' : ' (if imported).'}
        </p>
      )}
      {result.unpublishedPlans.length > 0 && (
        <p className="warn">Plans named but not published yet: {result.unpublishedPlans.join(', ')}.</p>
      )}
      {result.preview.rows.length > 0 && (
        <div style={{ overflowX: 'auto' }}>
          <table>
            <caption className="muted" style={{ textAlign: 'left' }}>
              The first rows as they will be stored
            </caption>
            <thead>
              <tr>
                {result.preview.header.map((h) => (
                  <th key={h} scope="col">
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {result.preview.rows.map((row, i) => (
                <tr key={i}>
                  {row.map((cell, j) => (
                    <td key={j}>{cell}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  )
}
