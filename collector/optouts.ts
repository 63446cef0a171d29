// Visitor ids that opted out. Held in memory because the collector checks every
// event; persisted in `optouts` so that a restart or another process honours them.
import type { Db } from '../lib/db.ts'
import { SyncedSet } from '../lib/synced-set.ts'

export class Optouts {
  private readonly vids: SyncedSet
  constructor(private readonly db: Db) {
    this.vids = new SyncedSet(async () => (await db.query<{ vid: string }>('SELECT vid FROM optouts FINAL')).map((r) => r.vid))
  }

  refresh(): Promise<void> {
    return this.vids.refresh()
  }

  has(vid: string): boolean {
    return this.vids.has(vid)
  }

  async add(vid: string): Promise<void> {
    this.vids.add(vid)
    await this.db.insert('optouts', [{ vid }])
  }

  async remove(vid: string): Promise<void> {
    this.vids.delete(vid)
    await this.db.command('DELETE FROM optouts WHERE vid = {vid:String}', { vid })
  }
}
