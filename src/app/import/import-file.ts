import { randomUUID } from 'node:crypto'
import { Temporal } from 'temporal-polyfill'
import type { ImportKind, Mapping } from '../../core/imports/mapping.ts'
import { IssueCollector } from '../../core/records/issues.ts'
import type { InputIssue } from '../../core/records/records.ts'
import type { Database, Queryable } from '../ports/sql.ts'
import { assignPlans } from './assign-plans.ts'
import type { ImportSource } from './import-source.ts'
import { loadImportContext, type ImportContext } from './load-import-context.ts'
import { checkingReader, sinkInto, throughMapping, type PreviewRows } from './pipelines.ts'
import { rowsOf, storedRowReader, type StoredBatch } from './stored-rows.ts'
import { TABLES, upsertBatch, type UpsertContext } from './upsert-rows.ts'

export type { PreviewRows } from './pipelines.ts'

export interface ImportProgress {
  readonly phase: 'check' | 'store'
  /** Records read so far in this phase, the header excluded. */
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

/** A refusal that is not about the file's content. */
export class ImportError extends Error {
  constructor(
    readonly code: 'import.changed',
    message: string,
  ) {
    super(message)
  }
}

/** Thrown inside a preview's transaction to roll it back with its outcome. */
class Rollback {
  constructor(readonly outcome: ImportResult) {}
}

/**
 * Imports one file of reps, deals, activities or quotas (an export through a mapping, or the
 * canonical file): checked whole exactly as `calc` checks it (deals and quotas against the stored
 * reps and the latest published plans); any problem and nothing is stored, every problem returned.
 * Otherwise, in one transaction, rows are upserted in batches: new rows added, changed rows
 * updated with a history row (who, when, before, after), unchanged rows left alone; reps are put
 * on the plan of their `plan` column; the import is recorded with an audit log entry. Importing
 * the same file again changes no record. A preview does all of it and rolls it back.
 */
export async function importFile(db: Database, opts: ImportOptions): Promise<ImportResult> {
  const now = opts.now ?? new Date()
  const today = await localDate(db, opts.orgId, now)
  const context = await loadImportContext(db, opts.orgId, today, opts.kind !== 'reps')
  const progress = (phase: ImportProgress['phase']) => async (records: number, bytes: number) => {
    opts.onProgress?.({ phase, rows: Math.max(0, records - 1), bytes, totalBytes: opts.file.size ?? null })
  }

  const checked = await checkFile(opts, context, progress('check'))
  if (!checked.ok) return checked
  const begin = { ...opts, now, today, context, ...checked }
  try {
    return await db.transaction(async (tx) => {
      if (db.kind === 'postgres')
        await tx.query(`select pg_advisory_xact_lock(hashtext(current_schema() || ':' || $1))`, [
          `import:${opts.orgId}`,
        ])
      const outcome = await store(tx, begin, progress('store'))
      if (opts.preview === true) throw new Rollback({ ...outcome, stored: false })
      return outcome
    })
  } catch (error) {
    if (error instanceof Rollback) return error.outcome
    throw error
  }
}

/**
 * The first reading of the file, checked whole; in its own function so that what the check holds
 * (a whole file's columns) is garbage once it returns, before the rows are stored.
 */
async function checkFile(
  opts: ImportOptions,
  context: ImportContext,
  progress: (records: number, bytes: number) => Promise<void>,
): Promise<
  (ImportResult & { ok: false }) | { ok: true; hash: string; skipped: number; previewRows: PreviewRows }
> {
  const name = opts.file.name
  const issues = new IssueCollector(opts.issueLimit ?? 100)
  const check = checkingReader(
    opts.kind,
    name,
    issues,
    context,
    opts.mapping,
    10,
    opts.onlyReps === undefined ? undefined : new Set(opts.onlyReps),
  )
  const hash = await opts.file.read(sinkInto(check.reader, name, issues, progress))
  check.reader.finish()
  if (issues.count > 0)
    return { ok: false, issues: issues.list(), more: issues.more, preview: check.preview() }
  return { ok: true, hash, skipped: check.reader.skipped, previewRows: check.preview() }
}

interface Begin extends ImportOptions {
  readonly now: Date
  readonly today: string
  readonly context: ImportContext
  readonly hash: string
  readonly skipped: number
  readonly previewRows: PreviewRows
}

/** The second reading of the file: rows stored batch by batch as the file is read. */
async function store(
  tx: Queryable,
  b: Begin,
  progress: (records: number, bytes: number) => Promise<void>,
): Promise<ImportResult & { ok: true }> {
  const spec = TABLES[b.kind]
  const at = b.now.toISOString()
  const importId = randomUUID()
  // A batch's statement is planned with its arrays; its estimated cost can pass jit_above_cost,
  // and compiling it (seconds) costs far more than running it (ADR 0006).
  await tx.exec('set local jit = off')
  const empty = await tx.query(`select 1 from ${spec.table} where org_id = $1 limit 1`, [b.orgId])
  const ctx: UpsertContext = { orgId: b.orgId, actor: b.actor, at, importId, assumeNew: empty.length === 0 }
  const assign = { ...ctx, today: b.today, published: b.context.published }
  const counts = { rows: 0, added: 0, changed: 0, unchanged: 0, skipped: b.skipped, assigned: 0 }
  const unpublished = new Set<string>()
  let pending: StoredBatch[] = []

  const write = async (): Promise<void> => {
    const batches = pending
    pending = []
    for (const batch of batches) {
      const done = await upsertBatch(tx, spec, ctx, batch)
      counts.added += done.added
      counts.changed += done.changed
      counts.unchanged += done.unchanged
      counts.rows += batch.length
      if (b.kind !== 'reps') continue
      const rows = rowsOf(batch)
      counts.assigned += await assignPlans(tx, assign, rows)
      for (const r of rows)
        if (r.values.plan != null && !b.context.published.has(r.values.plan)) unpublished.add(r.values.plan)
    }
  }

  // One write in flight while the next chunk is read and converted: PostgreSQL works while
  // JavaScript parses. A failed write is kept and thrown at the next turn.
  let inflight: Promise<void> = Promise.resolve()
  let failure: { error: unknown } | null = null
  const turn = async (): Promise<void> => {
    await inflight
    if (failure !== null) throw failure.error
    inflight = write().catch((error: unknown) => void (failure = { error }))
  }
  const rows = storedRowReader(b.kind, b.context.digits, b.batchSize ?? BATCH_ROWS, (batch) =>
    pending.push(batch),
  )
  const ignored = new IssueCollector(1)
  const reader = throughMapping(b.mapping, rows, b.file.name, ignored, b.context.directory)
  let hash: string
  try {
    hash = await b.file.read(
      sinkInto(reader, b.file.name, ignored, async (records, bytes) => {
        await turn()
        await progress(records, bytes)
      }),
    )
    reader.finish()
    await turn()
  } finally {
    await inflight
  }
  if (failure !== null) throw (failure as { error: unknown }).error
  // Fresh statistics after a large import, or the next import's lookups by key (and the next
  // close) may be planned for the table as it was: a scan of every row instead of the key's index.
  if (counts.added >= 10_000) await tx.exec(`analyze ${spec.table}${spec.credits ? ', deal_credits' : ''}`)
  if (hash !== b.hash || ignored.count > 0) {
    throw new ImportError(
      'import.changed',
      `${b.file.name} changed while it was being imported: nothing was stored. Import it again.`,
    )
  }

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
    preview: b.previewRows,
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
