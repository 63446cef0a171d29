// Keys seen recently: event ids, so that a retried beacon is stored once, and
// (visit, address) pairs, so that a visit writes its IP row once.
// Two generations of up to `generation` ids each: memory stays bounded (about
// 100 bytes per id, so 2 x 100k ids is about 20 MB) and an id is remembered for
// at least `generation` further events. Seeded at start from the last hour of events.
import { BoundedMap } from '../lib/bounded.ts'

export class RecentIds {
  private readonly ids: BoundedMap<string, true>
  // Apart from the event ids, so that a visit's first page does not halve how long
  // event ids are remembered.
  private readonly visitIps: BoundedMap<string, true>
  constructor(generation = 100_000) {
    this.ids = new BoundedMap(generation)
    this.visitIps = new BoundedMap(generation)
  }

  has(id: string): boolean {
    return this.ids.has(id)
  }

  add(id: string): void {
    this.ids.set(id, true)
  }

  forget(id: string): void {
    this.ids.delete(id)
  }

  /** True the first time a (site, visit, address) is seen: only then is its IP row written. */
  firstForVisit(site: string, sid: string, ip: string): boolean {
    const key = `${site}/${sid}/${ip}`
    if (this.visitIps.has(key)) return false
    this.visitIps.set(key, true)
    return true
  }

  get size(): number {
    return this.ids.size
  }
}
