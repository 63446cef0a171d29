// Visitor ids that opted out. Held in memory because the collector checks every
// event; persisted in `optouts` so that a restart or another process honours them.
import type { Db } from '../lib/db.ts'

export class Optouts {
  private vids = new Set<string>()
  constructor(private readonly db: Db) {}

  async refresh(): Promise<void> {
    const rows = await this.db.query<{ vid: string }>('SELECT vid FROM optouts FINAL')
    this.vids = new Set(rows.map((r) => r.vid))
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
