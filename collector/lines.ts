// Rows waiting to be written, as UTF-8 JSON lines in Buffers outside the JS heap.
//
// Why not an array of strings: a row waits up to a second for its flush, long enough
// to be promoted to V8's old generation, where it stays until the next full
// collection. At 4,000 events/s that was 3-4 MB of old-space garbage a second, one
// reason the heap grew by 150 MB under load (bench, memory row). Bytes in a Buffer are
// freed when the Buffer is.
const CHUNK = 256 * 1024

export class LineBuffer {
  private buf = Buffer.allocUnsafe(CHUNK)
  private used = 0
  private lines = 0

  get count(): number {
    return this.lines
  }

  push(line: string): void {
    // A UTF-16 code unit is at most 3 UTF-8 bytes; the newline is one more.
    const room = line.length * 3 + 1
    if (this.used + room > this.buf.length) this.grow(room)
    this.used += this.buf.write(line, this.used, 'utf8')
    this.buf[this.used++] = 0x0a
    this.lines++
  }

  /** Empties the buffer and returns its lines as one text, each line ending in "\n" (a flush takes everything). */
  takeAll(): string {
    const text = this.buf.toString('utf8', 0, this.used)
    if (this.buf.length > CHUNK) this.buf = Buffer.allocUnsafe(CHUNK)
    this.used = 0
    this.lines = 0
    return text
  }

  private grow(room: number): void {
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.used + room))
    this.buf.copy(next, 0, 0, this.used)
    this.buf = next
  }
}
