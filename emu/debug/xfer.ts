// qXfer:OBJECT:read:ANNEX:OFFSET,LENGTH: an object read in pieces. The object is made at offset 0
// and kept for the later pieces (all from one snapshot) until the stub clears it.
import { escapeBinary } from './packet.js';

/** An object's bytes, null for an error reply (E00), 'unsupported' for an empty reply. */
export type XferSource = (object: string, annex: string) => Buffer | null | 'unsupported';

export class XferReader {
  private readonly cache = new Map<string, Buffer>();

  constructor(
    private readonly source: XferSource,
    private readonly packetSize: number,
  ) {}

  /** Forgets the kept objects (the target ran or changed). */
  clear(): void {
    this.cache.clear();
  }

  read(p: string): string | Buffer {
    const m = /^qXfer:([^:]+):read:([^:]*):([0-9a-fA-F]{1,16}),([0-9a-fA-F]{1,8})$/.exec(p);
    if (m === null) return p.includes(':read:') ? 'E01' : '';
    const [, object, annex] = m;
    const offset = parseInt(m[3], 16);
    const length = parseInt(m[4], 16);
    const key = `${object}:${annex}`;
    let data = offset === 0 ? undefined : this.cache.get(key);
    if (data === undefined) {
      const got = this.source(object, annex);
      if (got === 'unsupported') return '';
      if (got === null) return 'E00';
      data = got;
      this.cache.set(key, data);
    }
    if (offset >= data.length) return 'l';
    const chunk = data.subarray(offset, offset + Math.min(length, this.packetSize - 8));
    const last = offset + chunk.length >= data.length;
    return Buffer.concat([Buffer.from(last ? 'l' : 'm'), escapeBinary(chunk)]);
  }
}
