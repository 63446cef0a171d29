// A set held in memory for per-event checks (sites, opted-out visitor ids) and
// refreshed from ClickHouse so that other processes' changes arrive. Changes made
// here while a refresh is reading are replayed onto its result: otherwise a refresh
// that started just before an opt-out would forget it until the next refresh.
export class SyncedSet {
  private items = new Set<string>()
  private readonly inFlight = new Set<Array<[boolean, string]>>()

  constructor(private readonly load: () => Promise<string[]>) {}

  async refresh(): Promise<void> {
    const changes: Array<[boolean, string]> = []
    this.inFlight.add(changes)
    try {
      const fresh = new Set(await this.load())
      for (const [added, key] of changes) {
        if (added) fresh.add(key)
        else fresh.delete(key)
      }
      this.items = fresh
    } finally {
      this.inFlight.delete(changes)
    }
  }

  has(key: string): boolean {
    return this.items.has(key)
  }

  add(key: string): void {
    this.items.add(key)
    for (const c of this.inFlight) c.push([true, key])
  }

  delete(key: string): void {
    this.items.delete(key)
    for (const c of this.inFlight) c.push([false, key])
  }

  values(): string[] {
    return [...this.items]
  }
}
