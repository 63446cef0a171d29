// One lock for everything that deletes and re-inserts a day of aggregates (erasure,
// rollup, company-visit recompute) and for the writer's inserts: a rebuild must not
// see half of a flush, and two rebuilds of one day must not interleave. Within one
// process only. On a ClickHouse server the processes that rebuild are the jobs process
// (erasures are deferred to it) and the dashboard's candidate naming, and collectors in
// other processes keep writing: an erasure leaves the days they still write to be
// rebuilt once over (aggregates/rebuild.ts).
export class Lock {
  private tail: Promise<unknown> = Promise.resolve()

  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn, fn)
    this.tail = result.catch(() => undefined)
    return result
  }
}

export const dayLock = new Lock()
