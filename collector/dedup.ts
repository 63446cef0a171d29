// Keys seen recently: event ids, so that a retried beacon is stored once, and
// (visit, address) pairs, so that a visit writes its IP row once.
// Two generations of up to `generation` keys each, kept as 64-bit hashes in typed
// arrays (lib/bounded.ts): 2 x 100k ids take 4 MB allocated once, and a key is
// remembered for at least `generation` further events. Seeded at start from the last
// hour of events.
import { BoundedKeys, hashKey } from '../lib/bounded.ts'

export class RecentIds {
  private readonly ids: BoundedKeys
  // Apart from the event ids, so that a visit's first page does not halve how long
  // event ids are remembered.
  private readonly visitIps: BoundedKeys
  private readonly h = new Uint32Array(2)
  constructor(generation = 100_000) {
    this.ids = new BoundedKeys(generation)
    this.visitIps = new BoundedKeys(generation)
  }

  has(id: string): boolean {
    hashKey(id, this.h)
    return this.ids.has(this.h[0]!, this.h[1]!)
  }

  add(id: string): void {
    hashKey(id, this.h)
    this.ids.insert(this.h[0]!, this.h[1]!)
  }

  forget(id: string): void {
    hashKey(id, this.h)
    this.ids.remove(this.h[0]!, this.h[1]!)
  }

  /** True the first time a (site, visit, address) is seen: only then is its IP row written. */
  firstForVisit(site: string, sid: string, ip: string): boolean {
    hashKey(`${site}/${sid}/${ip}`, this.h)
    const hi = this.h[0]!
    const lo = this.h[1]!
    if (this.visitIps.has(hi, lo)) return false
    this.visitIps.insert(hi, lo)
    return true
  }

  get size(): number {
    return this.ids.size
  }
}
