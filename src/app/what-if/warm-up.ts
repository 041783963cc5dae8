import { performance } from 'node:perf_hooks'
import type { PeriodKind } from '../../core/calendar/period.ts'
import { plansOfRecord } from '../close/plans-of-record.ts'
import type { JobHandlers } from '../jobs/job-handler.ts'
import { withOrgScope } from '../ports/org-scope.ts'
import type { Database, Queryable } from '../ports/sql.ts'
import { whatIfRecordsCacheOf, type WhatIfRecordsCache } from './records-cache.ts'
import { prepareWhatIf } from './what-if.ts'

/** How long the warm-up waits before each organization (and again while the server is busy). */
const DELAY_MS = 3_000
/** Waits on a busy server before an organization is left for its first what-if to read. */
const MAX_WAITS = 20
/** Organizations warmed when the server starts: those closed most recently. */
const AT_START = 8

export interface WarmUpOptions {
  /** Called with each failed warm-up (it is logged, never thrown). */
  readonly onError: (error: unknown, orgId: string) => void
  readonly delayMs?: number
  /** Above this share of a wait spent running, the server is busy (default 0.5; 1: never busy). */
  readonly busyShare?: number
}

/**
 * Reads the what-if's window of organizations into the server's records cache in the background,
 * one organization at a time, at the lowest priority: after a delay, and only when the event loop
 * was mostly idle during it (else it waits again; on a server busy for long, it gives up and the
 * page's own preparation or the first run reads). The window is the one of the period kind most
 * of the organization's published plans use, over 12 periods (the page's default). Never blocks
 * a request; errors go to `onError`.
 */
export class WhatIfWarmUp {
  private readonly queue: string[] = []
  private running: Promise<void> | null = null
  /** The list of organizations to warm at start, while it is read. */
  private listing: Promise<void> | null = null
  private timer: ReturnType<typeof setTimeout> | undefined
  /** Ends the current wait (a stop). */
  private wake: (() => void) | undefined
  private stopped = false

  constructor(
    private readonly db: Database,
    private readonly cache: WhatIfRecordsCache,
    private readonly opts: WarmUpOptions,
  ) {}

  /** Warms an organization soon (once, however often it is asked before its turn). */
  schedule(orgId: string): void {
    if (this.stopped || this.queue.includes(orgId)) return
    this.queue.push(orgId)
    if (this.running === null) this.running = this.drain()
  }

  /** Warms the organizations closed most recently (the server's start); resolves once they are queued. */
  scheduleRecent(limit = AT_START): Promise<void> {
    this.listing = this.db
      .query<{ org_id: string }>(
        `select org_id from periods where status = 'closed'
          group by org_id order by max(closed_at) desc nulls last, org_id limit $1`,
        [limit],
      )
      .then(
        (rows) => rows.forEach((r) => this.schedule(r.org_id)),
        (error: unknown) => this.opts.onError(error, ''),
      )
    return this.listing
  }

  /** Resolves when nothing is queued or running (tests; a shutdown after `stop`). */
  async idle(): Promise<void> {
    await this.listing
    while (this.running !== null) await this.running
  }

  /** Takes no more organizations and waits for the one being read. */
  async stop(): Promise<void> {
    this.stopped = true
    this.queue.length = 0
    clearTimeout(this.timer)
    this.wake?.()
    await this.idle()
  }

  private async drain(): Promise<void> {
    try {
      for (let orgId = this.queue[0]; orgId !== undefined && !this.stopped; orgId = this.queue[0]) {
        if (await this.quiet()) {
          await withOrgScope(this.db, orgId, (tx) => warmWindow(tx, orgId, this.cache)).catch(
            (error: unknown) => this.opts.onError(error, orgId),
          )
        }
        this.queue.shift()
      }
    } finally {
      this.running = null
    }
  }

  /** Waits until a delay passed with the event loop mostly idle; false when stopped or busy too long. */
  private async quiet(): Promise<boolean> {
    for (let wait = 0; wait < MAX_WAITS; wait++) {
      const before = performance.eventLoopUtilization()
      await new Promise<void>((resolve) => {
        this.wake = resolve
        this.timer = setTimeout(resolve, this.opts.delayMs ?? DELAY_MS)
        this.timer.unref?.()
      })
      this.wake = undefined
      if (this.stopped) return false
      // Then after whatever else the loop had ready.
      await new Promise<void>((resolve) => setImmediate(resolve))
      if (performance.eventLoopUtilization(before).utilization <= (this.opts.busyShare ?? 0.5)) return true
    }
    return false
  }
}

/** Reads the window of the organization's most used period kind into the cache (nothing closed: nothing). */
export async function warmWindow(tx: Queryable, orgId: string, cache: WhatIfRecordsCache): Promise<void> {
  const published = await plansOfRecord(tx, orgId)
  const kinds = new Map<PeriodKind, number>()
  for (const p of published) kinds.set(p.plan.period, (kinds.get(p.plan.period) ?? 0) + 1)
  const [kind] = [...kinds].sort((a, b) => b[1] - a[1])[0] ?? []
  const plan = published.find((p) => p.plan.period === kind)
  if (plan === undefined) return
  await prepareWhatIf(tx, { orgId, planId: plan.plan.id, cache })
}

const warmUps = new WeakMap<object, WhatIfWarmUp>()

/**
 * Starts warming the what-if windows of a server's database (`followthrough serve`): the
 * organizations closed most recently now, and any organization after a close in this process
 * (`warmAfterClose`). Servers without it (tests) warm nothing.
 */
export function startWhatIfWarmUp(db: Database, opts: WarmUpOptions): WhatIfWarmUp {
  const warmUp = new WhatIfWarmUp(db, whatIfRecordsCacheOf(db), opts)
  warmUps.set(db, warmUp)
  void warmUp.scheduleRecent()
  return warmUp
}

/** After a close of an organization: its new window is warmed, when the server warms windows. */
export function warmAfterClose(db: Database, orgId: string): void {
  warmUps.get(db)?.schedule(orgId)
}

/** The job handlers with the `close` handler warming the organization's window after a real close. */
export function warmingAfterClose(handlers: JobHandlers, db: Database): JobHandlers {
  const close = handlers.close
  if (close === undefined) return handlers
  return {
    ...handlers,
    close: async (ctx) => {
      const result = await close(ctx)
      if (ctx.payload.dryRun !== true) warmAfterClose(db, ctx.orgId)
      return result
    },
  }
}
