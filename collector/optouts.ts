// Visitor ids that opted out, kept as SHA-256 hashes: the collector checks every event
// against them in memory; `optouts` persists them so that a restart or another process
// honours them, without holding the id itself (an erased visitor leaves no id behind).
import type { Db } from '../lib/db.ts'
import { SyncedSet } from '../lib/synced-set.ts'
import { vidHash } from '../privacy/hash.ts'

export class Optouts {
  private readonly hashes: SyncedSet
  constructor(private readonly db: Db) {
    this.hashes = new SyncedSet(async () => (await db.query<{ vid_hash: string }>('SELECT vid_hash FROM optouts FINAL')).map((r) => r.vid_hash))
  }

  refresh(): Promise<void> {
    return this.hashes.refresh()
  }

  has(vid: string): boolean {
    return this.hashes.has(vidHash(vid))
  }

  async add(vid: string): Promise<void> {
    const h = vidHash(vid)
    this.hashes.add(h)
    await this.db.insert('optouts', [{ vid_hash: h }])
  }

  async remove(vid: string): Promise<void> {
    const h = vidHash(vid)
    this.hashes.delete(h)
    await this.db.command('DELETE FROM optouts WHERE vid_hash = {h:String}', { h })
  }
}
