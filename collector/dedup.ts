// Keys seen recently: event ids, so that a retried beacon is stored once, and
// (visit, address) pairs, so that a visit writes its IP row once.
// Two generations of up to `generation` ids each: memory stays bounded (about
// 100 bytes per id, so 2 x 100k ids is about 20 MB) and an id is remembered for
// at least `generation` further events. Seeded at start from the last hour of events.
import { BoundedMap } from '../lib/bounded.ts'

export class RecentIds {
  private readonly ids: BoundedMap<string, true>
  constructor(generation = 100_000) {
    this.ids = new BoundedMap(generation)
  }

  has(id: string): boolean {
    return this.ids.has(id)
  }

  add(id: string): void {
    this.ids.set(id, true)
  }

  get size(): number {
    return this.ids.size
  }
}
