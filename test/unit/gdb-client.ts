// A scripted gdb for the stub tests: sends packets into a GdbStub over a fake target and
// collects the replies.
import { strict as assert } from 'node:assert';
import { framePacket, PacketParser, unescapeBinary } from '../../emu/debug/packet.js';
import { GdbStub, type StubOptions } from '../../emu/debug/stub.js';
import { FakeTarget, type FakeOp, type FakeTargetOptions } from './gdb-fake-target.js';

export const GDB_FEATURES =
  'qSupported:multiprocess+;swbreak+;hwbreak+;qRelocInsn+;fork-events+;vfork-events+;exec-events+;vContSupported+;QThreadEvents+;no-resumed+;memory-tagging+;xmlRegisters=i386';

/** A scripted gdb: sends packets into the stub and collects what comes back. */
export class Client {
  readonly stub: GdbStub;
  readonly target: FakeTarget;
  readonly wire: Buffer[] = [];
  private readonly parser = new PacketParser({ decodeRle: true });
  readonly replies: Buffer[] = [];
  acks = 0;
  nacks = 0;
  closed = false;
  ended: string | null = null;

  constructor(target: FakeTarget, options: StubOptions = {}) {
    this.target = target;
    this.stub = new GdbStub(
      target,
      {
        write: (data) => this.receive(data),
        close: () => {
          this.closed = true;
        },
      },
      { ...options, onEnd: (how) => (this.ended = how) },
    );
  }

  private receive(data: Buffer): void {
    this.wire.push(Buffer.from(data));
    for (const ev of this.parser.feed(data)) {
      if (ev.type === 'packet') this.replies.push(ev.payload);
      else if (ev.type === 'ack') this.acks++;
      else if (ev.type === 'nack') this.nacks++;
    }
  }

  send(payload: string | Buffer): void {
    this.stub.feed(framePacket(payload));
  }

  /** Send a packet that is answered at once; return the reply as text. */
  req(payload: string | Buffer): string {
    return this.reqRaw(payload).toString('latin1');
  }

  reqRaw(payload: string | Buffer): Buffer {
    const before = this.replies.length;
    this.send(payload);
    assert.equal(this.replies.length, before + 1, `exactly one reply to ${payload.toString()}`);
    return this.replies.pop()!;
  }

  /** Wait for the next asynchronous reply (a stop reply). */
  async next(timeoutMs = 2000): Promise<string> {
    const start = Date.now();
    while (this.replies.length === 0) {
      if (Date.now() - start > timeoutMs) throw new Error('no reply');
      await new Promise((r) => setImmediate(r));
    }
    return this.replies.shift()!.toString('latin1');
  }

  /** Handshake as gdb does, ending in no-ack mode. */
  connect(features = GDB_FEATURES): string {
    const sup = this.req(features);
    assert.equal(this.req('QStartNoAckMode'), 'OK');
    return sup;
  }

  /** Read a whole qXfer object in pieces of `chunk` bytes. */
  xfer(object: string, annex: string, chunk = 0x1000): Buffer {
    const parts: Buffer[] = [];
    let offset = 0;
    for (;;) {
      const r = this.reqRaw(`qXfer:${object}:read:${annex}:${offset.toString(16)},${chunk.toString(16)}`);
      const kind = String.fromCharCode(r[0]);
      assert.ok(kind === 'm' || kind === 'l', `qXfer reply ${r.toString('latin1')}`);
      const data = unescapeBinary(r.subarray(1))!;
      parts.push(data);
      offset += data.length;
      if (kind === 'l') return Buffer.concat(parts);
      assert.ok(data.length > 0);
    }
  }
}

export function program(entries: [bigint, FakeOp][]): Map<bigint, FakeOp> {
  return new Map(entries);
}

export function client(opts: FakeTargetOptions = {}, stubOptions: StubOptions = {}): Client {
  return new Client(new FakeTarget({ pid: 100, ...opts }), stubOptions);
}

export function le64(v: bigint): string {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(v);
  return b.toString('hex');
}
