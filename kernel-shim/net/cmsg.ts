// Control messages (struct cmsghdr, man 3 cmsg): parsing what sendmsg passes (__scm_send) and
// writing what recvmsg receives (put_cmsg, scm_detach_fds).
import { capabilitiesOf } from '../capabilities.js';
import { Errno } from '../errno.js';
import type { OpenFile } from '../fs/file.js';
import { releaseFile, retainFile } from '../fs/fdtable.js';
import type { Task } from '../task.js';
import { AF_UNIX, MSG_CMSG_CLOEXEC, MSG_CTRUNC, SCM_CREDENTIALS, SCM_MAX_FD, SCM_RIGHTS, SOL_SOCKET } from './constants.js';
import type { ControlMessage, Ucred } from './socket.js';

/** sizeof(struct cmsghdr): cmsg_len (size_t), cmsg_level, cmsg_type. */
export const CMSG_HEADER = 16;
const UCRED_SIZE = 12;
const CAP_SYS_ADMIN = 21n, CAP_SETUID = 7n, CAP_SETGID = 6n;

const align = (n: number): number => (n + 7) & ~7;

export interface ParsedControl {
  rights: OpenFile[];
  creds: Ucred | null;
  control: ControlMessage[];
}

/** scm_check_creds: a sender may claim only its own ids unless it holds the capability. */
function credsAllowed(t: Task, c: Ucred): boolean {
  const eff = capabilitiesOf(t).effective;
  const has = (cap: bigint): boolean => ((eff >> cap) & 1n) === 1n;
  const p = t.process;
  return (c.pid === p.pid || has(CAP_SYS_ADMIN)) && (c.uid === p.uid || has(CAP_SETUID)) && (c.gid === p.gid || has(CAP_SETGID));
}

/**
 * msg_control of a sendmsg: SCM_RIGHTS descriptions (retained; the caller releases them on
 * failure), SCM_CREDENTIALS, and the other levels' messages for the family. EINVAL for a
 * malformed header or an unknown SOL_SOCKET type, EBADF for a closed fd, EPERM for ids the
 * sender may not claim.
 */
export function parseControl(t: Task, family: number, buf: Uint8Array): ParsedControl | number {
  const out: ParsedControl = { rights: [], creds: null, control: [] };
  const view = new DataView(buf.buffer, buf.byteOffset, buf.length);
  const fail = (errno: number): number => {
    for (const f of out.rights) releaseFile(f);
    return errno;
  };
  for (let off = 0; off + CMSG_HEADER <= buf.length;) {
    const len = view.getBigUint64(off, true);
    if (len < BigInt(CMSG_HEADER) || len > BigInt(buf.length - off)) return fail(-Errno.EINVAL);
    const level = view.getInt32(off + 8, true);
    const type = view.getInt32(off + 12, true);
    const data = buf.subarray(off + CMSG_HEADER, off + Number(len));
    off += align(Number(len));
    if (level !== SOL_SOCKET) {
      out.control.push({ level, type, data: data.slice() });
      continue;
    }
    if (type === SCM_RIGHTS) {
      if (family !== AF_UNIX) return fail(-Errno.EINVAL);
      const count = Math.floor(data.length / 4);
      if (out.rights.length + count > SCM_MAX_FD) return fail(-Errno.EINVAL);
      for (let i = 0; i < count; i++) {
        const file = t.process.fds.get(view.getInt32(data.byteOffset - buf.byteOffset + 4 * i, true))?.file;
        if (file === undefined) return fail(-Errno.EBADF);
        retainFile(file);
        out.rights.push(file);
      }
    } else if (type === SCM_CREDENTIALS) {
      if (data.length !== UCRED_SIZE) return fail(-Errno.EINVAL);
      const d = new DataView(data.buffer, data.byteOffset, UCRED_SIZE);
      const creds = { pid: d.getInt32(0, true), uid: d.getUint32(4, true), gid: d.getUint32(8, true) };
      if (!credsAllowed(t, creds)) return fail(-Errno.EPERM);
      out.creds = creds;
    } else {
      return fail(-Errno.EINVAL);
    }
  }
  return out;
}

/** What recvmsg stores in msg_control: the bytes, and MSG_CTRUNC when something did not fit. */
export interface ControlOut {
  bytes: Uint8Array;
  flags: number;
}

function header(len: number, level: number, type: number): Uint8Array {
  const h = new Uint8Array(CMSG_HEADER);
  const v = new DataView(h.buffer);
  v.setBigUint64(0, BigInt(len), true);
  v.setInt32(8, level, true);
  v.setInt32(12, type, true);
  return h;
}

/**
 * Builds msg_control for a receiver with `room` bytes: credentials first (for SO_PASSCRED),
 * then the other levels' messages, then SCM_RIGHTS with as many fds as fit, installed in
 * the caller's table (MSG_CMSG_CLOEXEC); the rest are released and MSG_CTRUNC is set. A
 * message cut short keeps the cut length in its cmsg_len, as put_cmsg does.
 */
export function buildControl(t: Task, room: number, creds: Ucred | null, control: readonly ControlMessage[], rights: readonly OpenFile[], msgFlags: number): ControlOut {
  const parts: Uint8Array[] = [];
  let used = 0;
  let flags = 0;
  const put = (level: number, type: number, data: Uint8Array): void => {
    const left = room - used;
    if (left < CMSG_HEADER) {
      flags |= MSG_CTRUNC;
      return;
    }
    let len = CMSG_HEADER + data.length;
    if (left < len) {
      flags |= MSG_CTRUNC;
      len = left;
    }
    const msg = new Uint8Array(len);
    msg.set(header(len, level, type));
    msg.set(data.subarray(0, len - CMSG_HEADER), CMSG_HEADER);
    parts.push(msg);
    const space = Math.min(align(CMSG_HEADER + data.length), left);
    if (space > len) parts.push(new Uint8Array(space - len));
    used += space;
  };
  if (creds !== null) {
    const data = new Uint8Array(UCRED_SIZE);
    const d = new DataView(data.buffer);
    d.setInt32(0, creds.pid, true);
    d.setUint32(4, creds.uid, true);
    d.setUint32(8, creds.gid, true);
    put(SOL_SOCKET, SCM_CREDENTIALS, data);
  }
  for (const c of control) put(c.level, c.type, c.data);
  if (rights.length > 0) {
    const left = room - used;
    const fit = Math.min(rights.length, left > CMSG_HEADER ? Math.floor((left - CMSG_HEADER) / 4) : 0);
    const fds: number[] = [];
    for (let i = 0; i < fit; i++) {
      const fd = t.process.fds.install(rights[i], (msgFlags & MSG_CMSG_CLOEXEC) !== 0);
      if (fd < 0) break;
      fds.push(fd);
    }
    // Every description loses the reference the message held; installed ones gained the table's.
    for (const f of rights) releaseFile(f);
    if (fds.length > 0) {
      const len = CMSG_HEADER + 4 * fds.length;
      const msg = new Uint8Array(Math.min(align(len), left));
      msg.set(header(len, SOL_SOCKET, SCM_RIGHTS));
      const d = new DataView(msg.buffer);
      fds.forEach((fd, i) => d.setInt32(CMSG_HEADER + 4 * i, fd, true));
      parts.push(msg);
      used += msg.length;
    }
    if (fds.length < rights.length) flags |= MSG_CTRUNC;
  }
  const bytes = new Uint8Array(used);
  let off = 0;
  for (const p of parts) {
    bytes.set(p, off);
    off += p.length;
  }
  return { bytes, flags };
}
