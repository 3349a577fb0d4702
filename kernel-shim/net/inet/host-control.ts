// Control messages between the generic layer's decoded form and the host's msg_control bytes
// (struct cmsghdr, the same layout on the host as in the guest: both are x86-64 Linux).
import { CMSG_HEADER } from '../cmsg.js';
import type { ControlMessage } from '../socket.js';

const align = (n: number): number => (n + 7) & ~7;

/** msg_control bytes for the host's sendmsg; null when there are no messages. */
export function encodeHostControl(messages: readonly ControlMessage[]): Uint8Array | null {
  if (messages.length === 0) return null;
  const out = new Uint8Array(messages.reduce((n, m) => n + align(CMSG_HEADER + m.data.length), 0));
  const view = new DataView(out.buffer);
  let off = 0;
  for (const m of messages) {
    view.setBigUint64(off, BigInt(CMSG_HEADER + m.data.length), true);
    view.setInt32(off + 8, m.level, true);
    view.setInt32(off + 12, m.type, true);
    out.set(m.data, off + CMSG_HEADER);
    off += align(CMSG_HEADER + m.data.length);
  }
  return out;
}

/** The messages in the host's recvmsg msg_control bytes. */
export function decodeHostControl(bytes: Uint8Array): ControlMessage[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const out: ControlMessage[] = [];
  for (let off = 0; off + CMSG_HEADER <= bytes.length;) {
    const len = Number(view.getBigUint64(off, true));
    if (len < CMSG_HEADER || len > bytes.length - off) break;
    out.push({ level: view.getInt32(off + 8, true), type: view.getInt32(off + 12, true), data: bytes.slice(off + CMSG_HEADER, off + len) });
    off += align(len);
  }
  return out;
}
