import { useMemo, useRef, useState } from 'react'
import { parsePlan, type PlanIssue } from '../../../src/core/plans/parse-plan.ts'
import { summarizePlan } from '../../../src/core/plans/summarize-plan.ts'

export interface PlanEditorProps {
  readonly initialText: string
  readonly fileName: string
  /** Publishes the text as a new version; absent for people who may not publish. */
  readonly onPublish?: (text: string) => Promise<void>
  /** Told the text after every edit (the what-if runs what is in the editor). */
  readonly onChange?: (text: string) => void
}

/** Checks a plan as it is typed, with the one checker the server uses, and shows it in plain words. */
export function PlanEditor({ initialText, fileName, onPublish, onChange }: PlanEditorProps) {
  const [text, setText] = useState(initialText)
  const [publishing, setPublishing] = useState(false)
  const [message, setMessage] = useState<string | null>(null)
  const area = useRef<HTMLTextAreaElement>(null)
  const checked = useMemo(() => {
    try {
      return parsePlan(text, fileName)
    } catch (error) {
      return { plan: null, issues: [{ file: fileName, line: 1, column: 1, message: String(error) }] }
    }
  }, [text, fileName])
  const summary = useMemo(() => (checked.plan === null ? [] : summarizePlan(checked.plan)), [checked])

  const goTo = (issue: PlanIssue) => {
    const el = area.current
    if (el === null) return
    const lines = text.split('\n')
    const offset = lines.slice(0, issue.line - 1).reduce((n, l) => n + l.length + 1, 0) + issue.column - 1
    el.focus()
    el.setSelectionRange(offset, offset)
    const lineHeight = el.scrollHeight / Math.max(lines.length, 1)
    el.scrollTop = Math.max(0, (issue.line - 5) * lineHeight)
  }

  return (
    <div className="editor">
      <div>
        <label htmlFor="plan-text">Plan ({fileName})</label>
        <textarea
          id="plan-text"
          ref={area}
          value={text}
          spellCheck={false}
          aria-describedby="plan-status"
          onChange={(event) => {
            setText(event.target.value)
            onChange?.(event.target.value)
          }}
        />
        <p id="plan-status" role="status" className={checked.issues.length === 0 ? 'good' : 'bad'}>
          {checked.issues.length === 0
            ? 'The plan checks.'
            : `${checked.issues.length} problem${checked.issues.length === 1 ? '' : 's'}`}
        </p>
        {checked.issues.length > 0 && (
          <ul className="issues" aria-label="Problems">
            {checked.issues.map((issue, i) => (
              <li key={i} data-line={issue.line}>
                <button type="button" onClick={() => goTo(issue)}>
                  line {issue.line}, column {issue.column}
                </button>
                : {issue.message}
              </li>
            ))}
          </ul>
        )}
        {onPublish !== undefined && (
          <div className="row">
            <button
              type="button"
              disabled={checked.issues.length > 0 || publishing}
              onClick={async () => {
                setPublishing(true)
                setMessage(null)
                try {
                  await onPublish(text)
                  setMessage('Published as a new version.')
                } catch (error) {
                  setMessage((error as Error).message)
                } finally {
                  setPublishing(false)
                }
              }}
            >
              Publish a new version
            </button>
            {message !== null && <span role="status">{message}</span>}
          </div>
        )}
      </div>
      <section className="card" aria-labelledby="summary-title">
        <h2 id="summary-title">In plain words</h2>
        {summary.length === 0 ? (
          <p className="muted">The summary appears when the plan checks.</p>
        ) : (
          summary.map((sentence, i) => <p key={i}>{sentence}</p>)
        )}
      </section>
    </div>
  )
}
