import { randomUUID } from 'node:crypto'
import { Temporal } from 'temporal-polyfill'
import type { ImportKind, Mapping } from '../../core/imports/mapping.ts'
import { IssueCollector } from '../../core/records/issues.ts'
import type { InputIssue } from '../../core/records/records.ts'
import type { Database, Queryable } from '../ports/sql.ts'
import { assignPlans } from './assign-plans.ts'
import type { ImportSource } from './import-source.ts'
import { loadImportContext, type ImportContext } from './load-import-context.ts'
import { checkingReader, sinkInto, type PreviewRows } from './pipelines.ts'
import { rowsOf, storedRowReader, type StoredBatch } from './stored-rows.ts'
import { prepareBatch, runBatch, TABLES, type PreparedBatch, type UpsertContext } from './upsert-rows.ts'

export type { PreviewRows } from './pipelines.ts'

export interface ImportProgress {
  /** Always 'store' since the file is read once, checked and stored together (ADR 0010). */
  readonly phase: 'check' | 'store'
  /** Records read so far, the header excluded. */
  readonly rows: number
  readonly bytes: number
  /** The file's size, when known. */
  readonly totalBytes: number | null
}

export interface ImportOptions {
  readonly orgId: string
  readonly kind: ImportKind
  readonly file: ImportSource
  /** How to read an export; without one the file is the canonical file of `kind`. */
  readonly mapping?: Mapping
  /** Who imports, for the history and the audit log. */
  readonly actor: string
  /** Check and count everything, return the first rows, store nothing. */
  readonly preview?: boolean
  readonly now?: Date
  readonly onProgress?: (progress: ImportProgress) => void
  /** Problems kept (the rest only counted); 100 by default. */
  readonly issueLimit?: number
  /** Rows per statement; 10,000 by default. */
  readonly batchSize?: number
  /** When given, rows of any other rep are refused (a manager imports only for the reps under them). */
  readonly onlyReps?: readonly string[]
}

export interface ImportCounts {
  /** Canonical rows in the file (after filters and split grouping). */
  readonly rows: number
  readonly added: number
  readonly changed: number
  readonly unchanged: number
  /** Export rows a mapping's filter left out. */
  readonly skipped: number
  /** Reps put on the plan of their `plan` column. */
  readonly assigned: number
}

export type ImportResult =
  | {
      readonly ok: false
      readonly issues: InputIssue[]
      readonly more: number
      readonly preview: PreviewRows
    }
  | {
      readonly ok: true
      /** False for a preview: what the counts say would have happened. */
      readonly stored: boolean
      readonly importId: string
      readonly counts: ImportCounts
      readonly preview: PreviewRows
      /** Plans named in a reps file that are not published: their reps are not assigned yet. */
      readonly unpublishedPlans: readonly string[]
    }

/** Rows stored per statement (see ADR 0006). */
const BATCH_ROWS = 10_000

/** Thrown inside the transaction of a preview or of a file with problems to roll it back with its outcome. */
class Rollback {
  constructor(readonly outcome: ImportResult) {}
}

/**
 * Imports one file of reps, deals, activities or quotas (an export through a mapping, or the
 * canonical file), read once, in one transaction: each row is checked exactly as `calc` checks
 * it (deals and quotas against the stored reps and the latest published plans) and upserted in
 * batches as the file is read: new rows added, changed rows updated with a history row (who,
 * when, before, after), unchanged rows left alone; reps are put on the plan of their `plan`
 * column; the import is recorded with an audit log entry. On any problem storing stops, the rest
 * of the file is still checked, every problem is returned and the transaction is rolled back:
 * nothing is stored. Importing the same file again changes no record. A preview does all of it
 * and rolls it back.
 */
export async function importFile(db: Database, opts: ImportOptions): Promise<ImportResult> {
  const now = opts.now ?? new Date()
  const today = await localDate(db, opts.orgId, now)
  const context = await loadImportContext(db, opts.orgId, today, opts.kind !== 'reps')
  const progress = async (records: number, bytes: number) => {
    opts.onProgress?.({
      phase: 'store',
      rows: Math.max(0, records - 1),
      bytes,
      totalBytes: opts.file.size ?? null,
    })
  }
  const begin = { ...opts, now, today, context }
  try {
    return await db.transaction(async (tx) => {
      if (db.kind === 'postgres')
        await tx.query(`select pg_advisory_xact_lock(hashtext(current_schema() || ':' || $1))`, [
          `import:${opts.orgId}`,
        ])
      const outcome = await checkAndStore(tx, begin, progress)
      if (!outcome.ok) throw new Rollback(outcome)
      if (opts.preview === true) throw new Rollback({ ...outcome, stored: false })
      return outcome
    })
  } catch (error) {
    if (error instanceof Rollback) return error.outcome
    throw error
  }
}

interface Begin extends ImportOptions {
  readonly now: Date
  readonly today: string
  readonly context: ImportContext
}

/**
 * The one reading of the file: every row checked, and stored batch by batch while no problem has
 * been found. PostgreSQL stores a batch while JavaScript reads and checks the next ones
 * (ADR 0010). The caller rolls back when the outcome is not ok.
 */
async function checkAndStore(
  tx: Queryable,
  b: Begin,
  progress: (records: number, bytes: number) => Promise<void>,
): Promise<ImportResult> {
  const spec = TABLES[b.kind]
  const at = b.now.toISOString()
  const importId = randomUUID()
  // A batch's statement is planned with its arrays; its estimated cost can pass jit_above_cost,
  // and compiling it (seconds) costs far more than running it (ADR 0006).
  await tx.exec('set local jit = off')
  const empty = await tx.query(`select 1 from ${spec.table} where org_id = $1 limit 1`, [b.orgId])
  const ctx: UpsertContext = { orgId: b.orgId, actor: b.actor, at, importId, assumeNew: empty.length === 0 }
  const assign = { ...ctx, today: b.today, published: b.context.published }
  const counts = { rows: 0, added: 0, changed: 0, unchanged: 0, skipped: 0, assigned: 0 }
  const unpublished = new Set<string>()
  const issues = new IssueCollector(b.issueLimit ?? 100)

  const write = async (batch: StoredBatch, prepared: PreparedBatch): Promise<void> => {
    const done = await runBatch(tx, prepared)
    counts.added += done.added
    counts.changed += done.changed
    counts.unchanged += done.unchanged
    counts.rows += batch.length
    if (b.kind !== 'reps') return
    const rows = rowsOf(batch)
    counts.assigned += await assignPlans(tx, assign, rows)
    for (const r of rows)
      if (r.values.plan != null && !b.context.published.has(r.values.plan)) unpublished.add(r.values.plan)
  }

  // Writes run one after the other, each queued with its parameters written as soon as its batch
  // is full; reading waits only while more than one batch is ahead of the server. A failed write
  // is kept, the writes after it skipped, and it is thrown once reading stops.
  let failure: { error: unknown } | null = null
  let tail: Promise<void> = Promise.resolve()
  let behind: Promise<void> = tail
  const send = (batch: StoredBatch): void => {
    if (failure !== null || issues.count > 0) return
    const prepared = prepareBatch(spec, ctx, batch)
    behind = tail
    tail = tail.then(async () => {
      if (failure !== null || issues.count > 0) return
      await write(batch, prepared).catch((error: unknown) => void (failure = { error }))
    })
  }
  const rows = storedRowReader(b.kind, b.context.digits, b.batchSize ?? BATCH_ROWS, send)
  const check = checkingReader(
    b.kind,
    b.file.name,
    issues,
    b.context,
    b.mapping,
    10,
    b.onlyReps === undefined ? undefined : new Set(b.onlyReps),
    rows,
  )
  let hash: string
  try {
    hash = await b.file.read(
      sinkInto(check.reader, b.file.name, issues, async (records, bytes) => {
        await behind
        // A write that failed on a file without problems ends the reading: nothing will be stored.
        if (failure !== null && issues.count === 0) throw (failure as { error: unknown }).error
        await progress(records, bytes)
      }),
    )
    check.reader.finish()
  } finally {
    await tail
  }
  if (issues.count > 0)
    return { ok: false, issues: issues.list(), more: issues.more, preview: check.preview() }
  if (failure !== null) throw (failure as { error: unknown }).error
  counts.skipped = check.reader.skipped
  // Fresh statistics after a large import, or the next import's lookups by key (and the next
  // close) may be planned for the table as it was: a scan of every row instead of the key's index.
  if (counts.added >= 10_000) await tx.exec(`analyze ${spec.table}${spec.credits ? ', deal_credits' : ''}`)

  await tx.query(
    `insert into imports (org_id, id, kind, file_name, file_hash, rows, started_at, finished_at, status, created_by,
                          mapping, added, changed, unchanged, skipped)
     values ($1, $2, $3, $4, $5, $6, $7, clock_timestamp(), 'done', $8, $9, $10, $11, $12, $13)`,
    [
      b.orgId,
      importId,
      b.kind,
      b.file.name,
      hash,
      counts.rows,
      at,
      b.actor,
      b.mapping?.name ?? null,
      counts.added,
      counts.changed,
      counts.unchanged,
      counts.skipped,
    ],
  )
  await tx.query(
    `insert into audit_log (org_id, at, actor, action, subject, after) values ($1, $2, $3, 'import', $4, $5)`,
    [
      b.orgId,
      at,
      b.actor,
      `${b.kind} ${b.file.name}`,
      JSON.stringify({
        import_id: importId,
        kind: b.kind,
        file: b.file.name,
        file_hash: hash,
        mapping: b.mapping?.name ?? null,
        ...counts,
      }),
    ],
  )
  return {
    ok: true,
    stored: true,
    importId,
    counts,
    preview: check.preview(),
    unpublishedPlans: [...unpublished].sort(),
  }
}

/** The date of an instant in the organization's time zone. */
async function localDate(db: Queryable, orgId: string, now: Date): Promise<string> {
  const [org] = await db.query<{ timezone: string }>('select timezone from organizations where id = $1', [
    orgId,
  ])
  return Temporal.Instant.fromEpochMilliseconds(now.getTime())
    .toZonedDateTimeISO(org?.timezone ?? 'UTC')
    .toPlainDate()
    .toString()
}
