// strace's decoding of scheduling and capability structures: sched_param as [10], struct
// sched_attr, and capget/capset's header {version=_LINUX_CAPABILITY_VERSION_3, pid=0} and
// data {effective=1<<CAP_CHOWN|..., permitted=..., inheritable=0}.
import { flags, type GuestReader, hex, pointer, readView, xval } from './strace-values.js';
import { CAP_VERSIONS, CAPABILITIES, SCHED_ATTR_FLAGS, SCHED_POLICIES } from './strace-xlat.js';

/** struct sched_param: its one int, [10]. */
export function schedParam(addr: bigint, mem: GuestReader): string {
  const view = readView(addr, 4, mem);
  return view === null ? pointer(addr) : `[${view.getInt32(0, true)}]`;
}

export function schedPolicy(v: bigint): string {
  return xval(BigInt.asUintN(32, v), SCHED_POLICIES, 'SCHED_???');
}

const SCHED_ATTR_SIZE_VER0 = 48;
const SCHED_ATTR_SIZE_VER1 = 56;

/** struct sched_attr; the utilization clamps only when its size field covers them. */
export function schedAttr(addr: bigint, mem: GuestReader): string {
  const view = readView(addr, SCHED_ATTR_SIZE_VER0, mem);
  if (view === null) return pointer(addr);
  const size = view.getUint32(0, true);
  const parts = [
    `size=${size}`,
    `sched_policy=${schedPolicy(BigInt(view.getUint32(4, true)))}`,
    `sched_flags=${flags(view.getBigUint64(8, true), SCHED_ATTR_FLAGS, 'SCHED_FLAG_???')}`,
    `sched_nice=${view.getInt32(16, true)}`,
    `sched_priority=${view.getUint32(20, true)}`,
    `sched_runtime=${view.getBigUint64(24, true)}`,
    `sched_deadline=${view.getBigUint64(32, true)}`,
    `sched_period=${view.getBigUint64(40, true)}`,
  ];
  const clamps = size >= SCHED_ATTR_SIZE_VER1 ? readView(addr + BigInt(SCHED_ATTR_SIZE_VER0), 8, mem) : null;
  if (clamps !== null) parts.push(`sched_util_min=${clamps.getUint32(0, true)}`, `sched_util_max=${clamps.getUint32(4, true)}`);
  return `{${parts.join(', ')}}`;
}

const CAP_V1 = 0x19980330;

export function capHeader(addr: bigint, mem: GuestReader): string {
  const view = readView(addr, 8, mem);
  if (view === null) return pointer(addr);
  const version = xval(BigInt(view.getUint32(0, true)), CAP_VERSIONS, '_LINUX_CAPABILITY_VERSION_???');
  return `{version=${version}, pid=${view.getInt32(4, true)}}`;
}

/** A 64-bit capability mask: 1<<CAP_CHOWN|1<<CAP_KILL, leftover bits in hex. */
function capMask(mask: bigint): string {
  if (mask === 0n) return '0';
  const names: string[] = [];
  let rest = mask;
  CAPABILITIES.forEach((name, bit) => {
    if ((rest >> BigInt(bit)) & 1n) {
      names.push(`1<<${name}`);
      rest &= ~(1n << BigInt(bit));
    }
  });
  if (rest !== 0n) names.push(hex(rest));
  return names.join('|');
}

/** The data capget fills or capset reads: one 32-bit set for version 1 headers, two otherwise. */
export function capData(addr: bigint, headerAddr: bigint, mem: GuestReader): string {
  const header = readView(headerAddr, 4, mem);
  const known = header !== null && CAP_VERSIONS.some(([, v]) => v === header.getUint32(0, true));
  const sets = header !== null && header.getUint32(0, true) === CAP_V1 ? 1 : 2;
  const view = known ? readView(addr, 12 * sets, mem) : null;
  if (view === null) return pointer(addr);
  const mask = (field: number) => {
    const low = BigInt(view.getUint32(4 * field, true));
    return sets === 1 ? low : low | (BigInt(view.getUint32(12 + 4 * field, true)) << 32n);
  };
  return `{effective=${capMask(mask(0))}, permitted=${capMask(mask(1))}, inheritable=${capMask(mask(2))}}`;
}
