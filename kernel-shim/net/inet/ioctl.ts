// ioctl(2) on a host socket: the queue sizes (FIONREAD/SIOCINQ, SIOCOUTQ, SIOCOUTQNSD,
// SIOCATMARK), packet timestamps, and the interface queries (SIOCGIFCONF and the
// SIOCGIF* requests on a struct ifreq), asked of the host with the argument copied in and out
// of guest memory. Under --net=none only the loopback interface exists: the host's lo
// answers the same in every namespace (index 1, 127.0.0.1/8, mtu 65536), and every other
// interface is ENODEV, as in a fresh network namespace. Changing interfaces is EPERM, as
// for an unprivileged process.
import { hostInterfaceList, hostIoctl, hostIoctlInt } from '../../../host/socket.js';
import { Errno } from '../../errno.js';
import type { Task } from '../../task.js';

const FIONREAD = 0x541b, SIOCOUTQ = 0x5411, SIOCOUTQNSD = 0x894b, SIOCATMARK = 0x8905;
const SIOCGSTAMP = 0x8906, SIOCGSTAMPNS = 0x8907;
const SIOCGIFNAME = 0x8910, SIOCGIFCONF = 0x8912, SIOCGIFINDEX = 0x8933;
/** The SIOCGIF* requests on a struct ifreq that name the interface by ifr_name. */
const IFREQ_QUERIES = new Set([0x8913, 0x8915, 0x8917, 0x8919, 0x891b, 0x891d, 0x8921, 0x8927, SIOCGIFINDEX, 0x8942, 0x8970]);
/** SIOCSIFLINK (0x8911) .. SIOCSIFTXQLEN (0x8943) minus the queries: the requests that change interfaces. */
const IFREQ_FIRST = 0x8910, IFREQ_LAST = 0x8943;
const IFREQ_SIZE = 40;
const IFNAMSIZ = 16;
const IFCONF_SIZE = 16;
const LOOPBACK_NAME = 'lo';
const LOOPBACK_INDEX = 1;

function nameOf(ifreq: Uint8Array): string {
  const end = ifreq.subarray(0, IFNAMSIZ).indexOf(0);
  return new TextDecoder().decode(ifreq.subarray(0, end < 0 ? IFNAMSIZ : end));
}

function storeInt(t: Task, addr: number, v: number): number {
  if (v < 0) return v;
  const out = new Uint8Array(4);
  new DataView(out.buffer).setInt32(0, v, true);
  return t.process.mm.write(addr, out) ? 0 : -Errno.EFAULT;
}

/** A request on a struct ifreq: read, asked of the host (or refused under isolation), written back. */
function ifreqQuery(t: Task, fd: number, isolated: boolean, cmd: number, addr: number): number {
  const mm = t.process.mm;
  const ifreq = mm.read(addr, IFREQ_SIZE);
  if (ifreq === null) return -Errno.EFAULT;
  if (isolated) {
    const index = new DataView(ifreq.buffer).getInt32(IFNAMSIZ, true);
    const loopback = cmd === SIOCGIFNAME ? index === LOOPBACK_INDEX : nameOf(ifreq) === LOOPBACK_NAME;
    if (!loopback) return -Errno.ENODEV;
  }
  const r = hostIoctl(fd, cmd, ifreq);
  if (r < 0) return r;
  return mm.write(addr, ifreq) ? r : -Errno.EFAULT;
}

/** SIOCGIFCONF: struct ifconf { int ifc_len; char *ifc_buf; }, the list written to ifc_buf. */
function interfaceList(t: Task, fd: number, isolated: boolean, addr: number): number {
  const mm = t.process.mm;
  const ifconf = mm.read(addr, IFCONF_SIZE);
  if (ifconf === null) return -Errno.EFAULT;
  const view = new DataView(ifconf.buffer);
  const buf = Number(view.getBigUint64(8, true));
  const room = view.getInt32(0, true);
  // Asked with the whole room: an isolated list keeps only lo's entries of what the host gives.
  const list = hostInterfaceList(fd, SIOCGIFCONF, buf === 0 ? (isolated ? 1 << 16 : null) : Math.max(0, isolated ? 1 << 16 : room));
  if (typeof list === 'number') return list;
  let entries = list.entries;
  if (isolated) {
    const kept: Uint8Array[] = [];
    for (let off = 0; off + IFREQ_SIZE <= entries.length; off += IFREQ_SIZE) {
      const entry = entries.subarray(off, off + IFREQ_SIZE);
      if (nameOf(entry) === LOOPBACK_NAME) kept.push(entry);
    }
    entries = new Uint8Array(kept.length * IFREQ_SIZE);
    kept.forEach((e, i) => entries.set(e, i * IFREQ_SIZE));
    if (buf !== 0) entries = entries.subarray(0, Math.floor(Math.max(room, 0) / IFREQ_SIZE) * IFREQ_SIZE);
  }
  const length = buf === 0 && !isolated ? list.length : entries.length;
  if (buf !== 0 && entries.length > 0 && !mm.write(buf, entries)) return -Errno.EFAULT;
  view.setInt32(0, length, true);
  return mm.write(addr, ifconf.subarray(0, 4)) ? 0 : -Errno.EFAULT;
}

/** Whether cmd is an interface request (SIOCGIFCONF, SIOCGIF*, SIOCSIF*): Linux answers those on any socket. */
export function isInterfaceRequest(cmd: number): boolean {
  return cmd === SIOCGIFCONF || cmd === SIOCGIFNAME || IFREQ_QUERIES.has(cmd) || (cmd > IFREQ_FIRST && cmd <= IFREQ_LAST);
}

/** ioctl(fd, cmd, arg) on the socket whose host fd is `fd`. */
export function socketIoctl(t: Task, fd: number, isolated: boolean, cmd: number, addr: number): number {
  switch (cmd) {
    case FIONREAD: case SIOCOUTQ: case SIOCOUTQNSD: case SIOCATMARK:
      return storeInt(t, addr, hostIoctlInt(fd, cmd));
    case SIOCGSTAMP: case SIOCGSTAMPNS: {
      const out = new Uint8Array(16);
      const r = hostIoctl(fd, cmd, out);
      if (r < 0) return r;
      return t.process.mm.write(addr, out) ? r : -Errno.EFAULT;
    }
    case SIOCGIFCONF:
      return interfaceList(t, fd, isolated, addr);
    default:
      if (cmd === SIOCGIFNAME || IFREQ_QUERIES.has(cmd)) return ifreqQuery(t, fd, isolated, cmd, addr);
      return cmd > IFREQ_FIRST && cmd <= IFREQ_LAST ? -Errno.EPERM : -Errno.ENOTTY;
  }
}
