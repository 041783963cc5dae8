const listeners = new Set<() => void>()

/** Tells the runners of this process that a job was enqueued (they also poll, so this only saves time). */
export function notifyJobs(): void {
  for (const listener of listeners) listener()
}

/** Calls `listener` on every notifyJobs(); returns what stops it. */
export function onJobsNotified(listener: () => void): () => void {
  listeners.add(listener)
  return () => void listeners.delete(listener)
}
