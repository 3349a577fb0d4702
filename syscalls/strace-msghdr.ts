// strace's struct msghdr: {msg_name=..., msg_namelen=16, msg_iov=[...], msg_iovlen=1,
// msg_control=[{cmsg_len=20, cmsg_level=SOL_SOCKET, cmsg_type=SCM_RIGHTS, cmsg_data=[5]}],
// msg_controllen=24, msg_flags=0}; received ones with the data that landed and the name
// length as it was and became (msg_namelen=128 => 16). Also sendmmsg/recvmmsg's arrays.
import { sockaddr } from './strace-sockaddr.js';
import { MSG_FLAGS, SCM_TYPES, SOCKOPT_LEVELS, SOCKOPT_NAMES, SOL_SOCKET } from './strace-socket-xlat.js';
import * as St from './strace-structs.js';
import { type GuestReader, MAX_STRLEN, flags, hex, isNull, pointer, quoteBytes, readView, xval } from './strace-values.js';

export const MSGHDR_SIZE = 56;
const MMSGHDR_SIZE = 64;
const CMSGHDR_SIZE = 16;
/** The most control bytes shown (strace stops at a page too). */
const MAX_CONTROL = 4096;
const SCM_RIGHTS = 1, SCM_CREDENTIALS = 2;

function cmsgData(level: number, type: number, data: Uint8Array): string {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  if (level === SOL_SOCKET && type === SCM_RIGHTS) {
    return `[${Array.from({ length: data.length >> 2 }, (_, i) => view.getInt32(4 * i, true)).join(', ')}]`;
  }
  if (level === SOL_SOCKET && type === SCM_CREDENTIALS && data.length >= 12) {
    return `{pid=${view.getInt32(0, true)}, uid=${view.getUint32(4, true)}, gid=${view.getUint32(8, true)}}`;
  }
  const shown = data.subarray(0, MAX_STRLEN);
  return `${quoteBytes(shown)}${data.length > shown.length ? '...' : ''}`;
}

/** The control messages in `len` bytes at addr. */
function cmsgs(addr: bigint, len: bigint, mem: GuestReader): string {
  const n = Number(len > BigInt(MAX_CONTROL) ? BigInt(MAX_CONTROL) : len);
  const b = mem.readBytes(addr, n);
  if (b === null) return pointer(addr);
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const items: string[] = [];
  for (let pos = 0; b.length - pos >= CMSGHDR_SIZE; ) {
    const cmsgLen = view.getBigUint64(pos, true);
    const level = view.getInt32(pos + 8, true);
    const type = view.getInt32(pos + 12, true);
    const names = SOCKOPT_NAMES.get(level);
    const typeName = level === SOL_SOCKET ? xval(BigInt(type), SCM_TYPES, 'SCM_???') : names ? xval(BigInt(type), names.table, names.unknown) : hex(BigInt(type));
    const head = `cmsg_len=${cmsgLen}, cmsg_level=${xval(BigInt(level), SOCKOPT_LEVELS, 'SOL_???')}, cmsg_type=${typeName}`;
    if (cmsgLen < BigInt(CMSGHDR_SIZE) || cmsgLen > BigInt(b.length - pos)) {
      items.push(`{${head}}`);
      break;
    }
    const end = pos + Number(cmsgLen);
    items.push(`{${head}, cmsg_data=${cmsgData(level, type, b.subarray(pos + CMSGHDR_SIZE, end))}}`);
    pos += (Number(cmsgLen) + 7) & ~7;
  }
  return `[${items.join(', ')}]`;
}

/**
 * The msghdr at addr. `received`: the bytes recvmsg stored (the iovecs show as many), with
 * `entry` the msghdr as the call got it (for msg_namelen's old value); null: a message sent.
 */
export function msghdr(addr: bigint, received: { count: bigint; entry: Uint8Array | null } | null, mem: GuestReader): string {
  const view = readView(addr, MSGHDR_SIZE, mem);
  if (view === null) return pointer(addr);
  const name = view.getBigUint64(0, true);
  const namelen = view.getUint32(8, true);
  const control = view.getBigUint64(32, true);
  const controllen = view.getBigUint64(40, true);
  const before = received?.entry ? new DataView(received.entry.buffer, received.entry.byteOffset).getUint32(8, true) : namelen;
  const parts = [
    `msg_name=${sockaddr(name, BigInt(Math.min(namelen, before)), mem)}`,
    `msg_namelen=${before === namelen ? namelen : `${before} => ${namelen}`}`,
    `msg_iov=${St.iovecs(view.getBigUint64(16, true), view.getBigInt64(24, true), received?.count ?? null, mem)}`,
    `msg_iovlen=${view.getBigUint64(24, true)}`,
  ];
  if (!isNull(control) && controllen > 0n) parts.push(`msg_control=${cmsgs(control, controllen, mem)}`);
  parts.push(`msg_controllen=${controllen}`, `msg_flags=${flags(BigInt(view.getUint32(48, true)), MSG_FLAGS, null)}`);
  return `{${parts.join(', ')}}`;
}

/** sendmmsg/recvmmsg's struct mmsghdr array: the `count` messages the call handled, each with the msg_len bytes it moved. */
export function mmsghdrs(addr: bigint, count: bigint, mem: GuestReader): string {
  if (isNull(addr)) return 'NULL';
  const n = Number(count > BigInt(MAX_STRLEN) ? BigInt(MAX_STRLEN) : count);
  const items: string[] = [];
  for (let i = 0; i < n; i++) {
    const at = addr + BigInt(i * MMSGHDR_SIZE);
    const len = readView(at + BigInt(MSGHDR_SIZE), 4, mem)?.getUint32(0, true);
    if (len === undefined) return pointer(addr);
    const hdr = msghdr(at, { count: BigInt(len), entry: null }, mem);
    items.push(`{msg_hdr=${hdr}, msg_len=${len}}`);
  }
  return `[${[...items, ...(count > BigInt(n) ? ['...'] : [])].join(', ')}]`;
}
