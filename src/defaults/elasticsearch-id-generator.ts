import { randomFillSync } from 'node:crypto';
import type { IdGenerator } from '../ports/index.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const POOL_SIZE = 7 * 1024;
/** The URL-safe base64 alphabet as character codes. */
const CODES = Uint8Array.from(ALPHABET, (ch) => ch.charCodeAt(0));

/**
 * Ids shaped like Elasticsearch's auto-generated ones: 15 bytes as 20 characters of URL-safe
 * base64 (no padding). Bytes 0-5: milliseconds since the epoch (big-endian, so ids sort by
 * time); bytes 6-7: a per-process sequence that starts at a random value; bytes 8-14: 56 bits
 * from the OS CSPRNG for every id, so two processes never collide in practice.
 */
export class ElasticsearchIdGenerator implements IdGenerator {
  private readonly pool = Buffer.allocUnsafe(POOL_SIZE);
  private poolOffset = POOL_SIZE;
  private sequence: number;
  private readonly bytes = Buffer.allocUnsafe(15);

  constructor(private readonly nowMs: () => number = Date.now) {
    this.sequence = this.random(2).readUInt16BE(0);
  }

  private random(n: number): Buffer {
    if (this.poolOffset + n > POOL_SIZE) {
      randomFillSync(this.pool);
      this.poolOffset = 0;
    }
    const out = this.pool.subarray(this.poolOffset, this.poolOffset + n);
    this.poolOffset += n;
    return out;
  }

  next(): string {
    const b = this.bytes;
    b.writeUIntBE(Math.max(0, Math.floor(this.nowMs())) % 2 ** 48, 0, 6);
    this.sequence = (this.sequence + 1) & 0xffff;
    b[6] = this.sequence >>> 8;
    b[7] = this.sequence & 0xff;
    if (this.poolOffset + 7 > POOL_SIZE) {
      randomFillSync(this.pool);
      this.poolOffset = 0;
    }
    // read the 7 random bytes in place (no Buffer view per id)
    const pool = this.pool;
    let o = this.poolOffset;
    for (let i = 8; i < 15; i++) b[i] = pool[o++] as number;
    this.poolOffset = o;
    // one flat 20-character string, no intermediate strings (a Map key hashes it at once)
    const n0 = ((b[0] as number) << 16) | ((b[1] as number) << 8) | (b[2] as number);
    const n1 = ((b[3] as number) << 16) | ((b[4] as number) << 8) | (b[5] as number);
    const n2 = ((b[6] as number) << 16) | ((b[7] as number) << 8) | (b[8] as number);
    const n3 = ((b[9] as number) << 16) | ((b[10] as number) << 8) | (b[11] as number);
    const n4 = ((b[12] as number) << 16) | ((b[13] as number) << 8) | (b[14] as number);
    const c = CODES;
    return String.fromCharCode(
      c[n0 >>> 18]!, c[(n0 >>> 12) & 63]!, c[(n0 >>> 6) & 63]!, c[n0 & 63]!,
      c[n1 >>> 18]!, c[(n1 >>> 12) & 63]!, c[(n1 >>> 6) & 63]!, c[n1 & 63]!,
      c[n2 >>> 18]!, c[(n2 >>> 12) & 63]!, c[(n2 >>> 6) & 63]!, c[n2 & 63]!,
      c[n3 >>> 18]!, c[(n3 >>> 12) & 63]!, c[(n3 >>> 6) & 63]!, c[n3 & 63]!,
      c[n4 >>> 18]!, c[(n4 >>> 12) & 63]!, c[(n4 >>> 6) & 63]!, c[n4 & 63]!,
    );
  }

}
