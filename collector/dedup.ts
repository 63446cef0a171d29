// Keys seen recently: event ids, so that a retried beacon is stored once, and
// (visit, address) pairs, so that a visit writes its IP row once.
// Two generations of up to `generation` ids each: memory stays bounded (about
// 100 bytes per id, so 2 x 100k ids is about 20 MB) and an id is remembered for
// at least `generation` further events. Seeded at start from the last hour of events.
export class RecentIds {
  private current = new Set<string>()
  private previous = new Set<string>()
  constructor(private readonly generation = 100_000) {}

  has(id: string): boolean {
    return this.current.has(id) || this.previous.has(id)
  }

  add(id: string): void {
    if (this.current.size >= this.generation) {
      this.previous = this.current
      this.current = new Set()
    }
    this.current.add(id)
  }

  get size(): number {
    return this.current.size + this.previous.size
  }
}
