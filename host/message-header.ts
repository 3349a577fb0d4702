// struct msghdr and its iovecs for the host's sendmsg/recvmsg, built in one area that every
// call reuses: a stream's read or write of 64 KiB went through two fresh Buffers and six
// BigInt writes, several microseconds a call (koffi reads the area during the call, and
// the caller reads back what it needs before the next one; nothing in between runs).
import koffi from 'koffi';

/** struct msghdr and struct iovec on x86-64. */
const MSGHDR_SIZE = 56;
const IOVEC_SIZE = 16;
/** The most iovecs the host takes (UIO_MAXIOV). */
const MAX_IOVECS = 1024;
/** Word indexes of the msghdr fields (8-byte words). */
const NAME = 0, NAME_LEN = 1, IOV = 2, IOV_LEN = 3, CONTROL = 4, CONTROL_LEN = 5, FLAGS = 6;

export class MessageHeader {
  /** msghdr, then the iovecs; larger than V8 keeps in its heap, so its address never moves. */
  readonly bytes = new Uint8Array(new ArrayBuffer(MSGHDR_SIZE + IOVEC_SIZE * MAX_IOVECS));
  private readonly words = new BigUint64Array(this.bytes.buffer);
  private readonly view = new DataView(this.bytes.buffer);
  private readonly iovAddress = BigInt(koffi.address(this.bytes)) + BigInt(MSGHDR_SIZE);

  /**
   * The msghdr for sending from or receiving into the buffers in order (at most MAX_IOVECS:
   * the rest is left out, a short transfer), from or to `name` (null: the connected peer),
   * with `control` (null or empty: none).
   */
  fill(name: Uint8Array | null, buffers: readonly Uint8Array[], control: Uint8Array | null): Uint8Array {
    const w = this.words;
    w[NAME] = name === null ? 0n : koffi.address(name);
    w[NAME_LEN] = BigInt(name?.length ?? 0);
    const count = Math.min(buffers.length, MAX_IOVECS);
    w[IOV] = this.iovAddress;
    w[IOV_LEN] = BigInt(count);
    w[CONTROL] = control === null || control.length === 0 ? 0n : koffi.address(control);
    w[CONTROL_LEN] = BigInt(control?.length ?? 0);
    w[FLAGS] = 0n;
    for (let i = 0; i < count; i++) {
      const data = buffers[i];
      const at = (MSGHDR_SIZE + IOVEC_SIZE * i) / 8;
      w[at] = data.length === 0 ? 0n : koffi.address(data);
      w[at + 1] = BigInt(data.length);
    }
    return this.bytes;
  }

  /** What recvmsg left in msg_namelen, msg_controllen and msg_flags. */
  get nameLength(): number {
    return this.view.getUint32(NAME_LEN * 8, true);
  }

  get controlLength(): number {
    return Number(this.words[CONTROL_LEN]);
  }

  get flags(): number {
    return this.view.getInt32(FLAGS * 8, true);
  }
}
