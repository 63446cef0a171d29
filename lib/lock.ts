// One lock for everything that deletes and re-inserts a day of aggregates (erasure,
// rollup, company-visit recompute) and for the writer's inserts: a rebuild must not
// see half of a flush, and two rebuilds of one day must not interleave. Within one
// process; with ROLE split, jobs and erasure run in the jobs process only.
export class Lock {
  private tail: Promise<unknown> = Promise.resolve()

  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn, fn)
    this.tail = result.catch(() => undefined)
    return result
  }
}

export const dayLock = new Lock()
