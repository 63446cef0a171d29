// One lock for everything that deletes and re-inserts a day of aggregates (erasure,
// rollup, company-visit recompute) and for the writer's inserts: a rebuild must not
// see half of a flush, and two rebuilds of one day must not interleave. Within one
// process only: with the roles split on a server, an erasure runs in whichever process
// takes the request, and another collector's flush can land between a rebuild's delete
// and its insert and be counted twice (issue 18, defect 4: not fixed yet).
export class Lock {
  private tail: Promise<unknown> = Promise.resolve()

  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn, fn)
    this.tail = result.catch(() => undefined)
    return result
  }
}

export const dayLock = new Lock()
