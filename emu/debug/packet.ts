// GDB Remote Serial Protocol framing: $payload#xx packets, '+'/'-' acknowledgements, the
// 0x03 interrupt byte, the '}' binary escape and '*' run-length encoding.
//
// Layers, outermost first, as they appear on the wire:
//   framing    '$' payload '#' two lower-case hex digits (sum of the payload bytes mod 256,
//              computed over the bytes exactly as sent, i.e. after escaping and RLE)
//   RLE        'c' '*' n  means c repeated (n - 29) more times (stub -> gdb only; gdb
//              expands it in its frame reader, before any escape processing)
//   escape     in binary data '$' '#' '}' '*' are sent as 0x7d followed by byte ^ 0x20
//
// Everything here works on bytes (Buffer / Uint8Array), never on JS strings, so binary
// payloads (X packets, qXfer and vFile replies) survive unchanged.

export const ESCAPE = 0x7d; // '}'
export const INTERRUPT = 0x03;
const DOLLAR = 0x24;
const HASH = 0x23;
const STAR = 0x2a;
const PLUS = 0x2b;
const MINUS = 0x2d;
const PERCENT = 0x25;

/** Modulo-256 sum of the bytes. */
export function checksum(data: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < data.length; i++) sum = (sum + data[i]) & 0xff;
  return sum;
}

function toBuffer(data: Uint8Array | string): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'latin1');
  return Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
}

/**
 * Frame a payload as `$payload#xx` (or `%payload#xx` for a notification). The payload is sent
 * as given: escape binary parts with escapeBinary and compress with rleEncode first if wanted.
 */
export function framePacket(payload: Uint8Array | string, notification = false): Buffer {
  const body = toBuffer(payload);
  const out = Buffer.allocUnsafe(body.length + 4);
  out[0] = notification ? PERCENT : DOLLAR;
  body.copy(out, 1);
  out[body.length + 1] = HASH;
  out.write(checksum(body).toString(16).padStart(2, '0'), body.length + 2, 'latin1');
  return out;
}

function needsEscape(b: number): boolean {
  return b === DOLLAR || b === HASH || b === ESCAPE || b === STAR;
}

/** Escape binary data: '$', '#', '}' and '*' become 0x7d, byte ^ 0x20. */
export function escapeBinary(data: Uint8Array): Buffer {
  let extra = 0;
  for (let i = 0; i < data.length; i++) if (needsEscape(data[i])) extra++;
  if (extra === 0) return Buffer.from(data);
  const out = Buffer.allocUnsafe(data.length + extra);
  let o = 0;
  for (let i = 0; i < data.length; i++) {
    const b = data[i];
    if (needsEscape(b)) {
      out[o++] = ESCAPE;
      out[o++] = b ^ 0x20;
    } else {
      out[o++] = b;
    }
  }
  return out;
}

/** Undo escapeBinary. A trailing lone escape byte is an error (returns null). */
export function unescapeBinary(data: Uint8Array): Buffer | null {
  const out = Buffer.allocUnsafe(data.length);
  let o = 0;
  for (let i = 0; i < data.length; i++) {
    const b = data[i];
    if (b === ESCAPE) {
      if (i + 1 >= data.length) return null;
      out[o++] = data[++i] ^ 0x20;
    } else {
      out[o++] = b;
    }
  }
  return out.subarray(0, o);
}

/**
 * Expand run-length encoding: `c*n` stands for c followed by (n - 29) more copies of c.
 * Returns null on a malformed run ('*' first, or a count outside ' '..'~').
 */
export function rleDecode(data: Uint8Array): Buffer | null {
  const out: number[] = [];
  for (let i = 0; i < data.length; i++) {
    const b = data[i];
    if (b === STAR) {
      if (out.length === 0 || i + 1 >= data.length) return null;
      const n = data[++i] - 29;
      if (n < 3 || n > 97) return null;
      const c = out[out.length - 1];
      for (let k = 0; k < n; k++) out.push(c);
    } else {
      out.push(b);
    }
  }
  return Buffer.from(out);
}

/**
 * Run-length encode a payload the way gdbserver does: runs of 4 or more identical bytes
 * become `c*n` with n = extra copies + 29, at most 97 extra copies per run (n <= '~'), and
 * never with '#' or '$' as the count byte (those runs are shortened). Safe on escaped
 * binary payloads: gdb expands RLE before unescaping.
 */
export function rleEncode(data: Uint8Array): Buffer {
  const out: number[] = [];
  let i = 0;
  while (i < data.length) {
    const c = data[i];
    out.push(c);
    let run = 1;
    while (i + run < data.length && data[i + run] === c && run - 1 < 97) run++;
    let extra = run - 1; // copies after the first
    if (extra < 3) {
      i++;
      continue;
    }
    while (extra + 29 === HASH || extra + 29 === DOLLAR) extra--;
    out.push(STAR, extra + 29);
    i += 1 + extra;
  }
  return Buffer.from(out);
}

/** Lower-case hex of bytes. */
export function toHex(data: Uint8Array): string {
  return toBuffer(data).toString('hex');
}

/** Bytes of an even-length hex string; null if it is not hex. */
export function fromHex(hex: string): Buffer | null {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) return null;
  return Buffer.from(hex, 'hex');
}

export type PacketEvent =
  /** A packet whose checksum matched; payload is the raw bytes between '$' and '#'. */
  | { type: 'packet'; payload: Buffer }
  /** A notification (%payload#xx), sent by stubs only. */
  | { type: 'notification'; payload: Buffer }
  /** A packet whose checksum did not match (the receiver should answer '-'). */
  | { type: 'bad-checksum'; payload: Buffer; expected: number; received: number }
  /** A packet longer than the parser's limit; its bytes were dropped. */
  | { type: 'overflow' }
  | { type: 'ack' }
  | { type: 'nack' }
  /** A 0x03 byte outside any packet: gdb's Ctrl-C. */
  | { type: 'interrupt' };

export interface PacketParserOptions {
  /** Expand '*' run-length encoding in packet payloads (gdb does this for replies). */
  decodeRle?: boolean;
  /** Largest payload kept, in bytes; longer packets are dropped with an 'overflow' event. */
  maxPacketSize?: number;
}

const enum State {
  Idle,
  Payload,
  Check1,
  Check2,
}

function hexDigit(b: number): number {
  if (b >= 0x30 && b <= 0x39) return b - 0x30;
  if (b >= 0x61 && b <= 0x66) return b - 0x61 + 10;
  if (b >= 0x41 && b <= 0x46) return b - 0x41 + 10;
  return -1;
}

/**
 * A streaming parser. Feed it whatever arrives from the connection, in chunks of any size;
 * it returns the complete events found so far, in order, and keeps a partial packet for
 * the next call. Bytes outside packets other than '+', '-' and 0x03 are ignored (gdb sends
 * nothing else there; line noise is dropped). A '$' inside a packet restarts the packet, as
 * gdb's own reader does.
 */
export class PacketParser {
  private state = State.Idle;
  private notification = false;
  private chunks: Buffer[] = [];
  private size = 0;
  private overflowed = false;
  private check = 0;
  private readonly decodeRle: boolean;
  private readonly maxPacketSize: number;

  constructor(options: PacketParserOptions = {}) {
    this.decodeRle = options.decodeRle ?? false;
    this.maxPacketSize = options.maxPacketSize ?? 1 << 20;
  }

  /** True while a packet has started but not ended. */
  get inPacket(): boolean {
    return this.state !== State.Idle;
  }

  feed(chunk: Uint8Array): PacketEvent[] {
    const data = toBuffer(chunk);
    const events: PacketEvent[] = [];
    let i = 0;
    while (i < data.length) {
      switch (this.state) {
        case State.Idle: {
          const b = data[i++];
          if (b === DOLLAR || b === PERCENT) this.start(b === PERCENT);
          else if (b === PLUS) events.push({ type: 'ack' });
          else if (b === MINUS) events.push({ type: 'nack' });
          else if (b === INTERRUPT) events.push({ type: 'interrupt' });
          break;
        }
        case State.Payload: {
          // Take everything up to the next '#' or '$' in one slice.
          let j = i;
          while (j < data.length && data[j] !== HASH && data[j] !== DOLLAR) j++;
          if (j > i) this.append(data.subarray(i, j));
          if (j >= data.length) {
            i = j;
            break;
          }
          if (data[j] === DOLLAR) this.start(false);
          else this.state = State.Check1;
          i = j + 1;
          break;
        }
        case State.Check1: {
          const d = hexDigit(data[i++]);
          this.check = d < 0 ? -1 : d << 4;
          this.state = State.Check2;
          break;
        }
        case State.Check2: {
          const d = hexDigit(data[i++]);
          const received = d < 0 || this.check < 0 ? -1 : this.check | d;
          events.push(this.finish(received));
          break;
        }
      }
    }
    return events;
  }

  private start(notification: boolean): void {
    this.state = State.Payload;
    this.notification = notification;
    this.chunks = [];
    this.size = 0;
    this.overflowed = false;
  }

  private append(part: Buffer): void {
    if (this.overflowed) return;
    if (this.size + part.length > this.maxPacketSize) {
      this.overflowed = true;
      this.chunks = [];
      return;
    }
    // Copy: the caller may reuse its chunk buffer.
    this.chunks.push(Buffer.from(part));
    this.size += part.length;
  }

  private finish(received: number): PacketEvent {
    this.state = State.Idle;
    const raw = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.size);
    this.chunks = [];
    this.size = 0;
    if (this.overflowed) return { type: 'overflow' };
    const expected = checksum(raw);
    if (received !== expected) return { type: 'bad-checksum', payload: raw, expected, received };
    let payload: Buffer = raw;
    if (this.decodeRle) {
      const expanded = rleDecode(raw);
      if (expanded === null) return { type: 'bad-checksum', payload: raw, expected, received };
      payload = expanded;
    }
    return this.notification ? { type: 'notification', payload } : { type: 'packet', payload };
  }
}
