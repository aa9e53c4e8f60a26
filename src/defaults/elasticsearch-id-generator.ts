import { randomFillSync } from 'node:crypto';
import type { IdGenerator } from '../ports/index.js';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const POOL_SIZE = 7 * 1024;

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
    b.writeUInt16BE(this.sequence, 6);
    this.random(7).copy(b, 8);
    let out = '';
    for (let i = 0; i < 15; i += 3) {
      const n = ((b[i] as number) << 16) | ((b[i + 1] as number) << 8) | (b[i + 2] as number);
      out +=
        ALPHABET[(n >>> 18) & 63]! + ALPHABET[(n >>> 12) & 63]! + ALPHABET[(n >>> 6) & 63]! + ALPHABET[n & 63]!;
    }
    return out;
  }
}
