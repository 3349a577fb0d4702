// strace's decoding of clone's flags and of clone3's struct clone_args, printed on entry with,
// once the call succeeded, what the kernel stored: clone3({flags=CLONE_PIDFD|CLONE_PARENT_SETTID,
// pidfd=0x7ffd..., parent_tid=0x7ffd..., exit_signal=SIGCHLD, stack=NULL, stack_size=0}
// => {pidfd=[3], parent_tid=[42]}, 88).
import { CLONE_FLAGS } from '../kernel-shim/abi/xlat-process.js';
import { signalName } from '../kernel-shim/abi/xlat-signal.js';
import { flags, type GuestReader, hex, isNull, pointer, readView } from './strace-values.js';

/** clone(2)'s flags: CLONE_* bits, then the exit signal in the low byte. */
export function cloneFlags(value: bigint): string {
  const sig = Number(value & 0xffn);
  const rest = value & ~0xffn;
  if (rest === 0n) return sig ? signalName(sig) : '0';
  const text = flags(rest, CLONE_FLAGS, 'CLONE_???');
  return sig ? `${text}|${signalName(sig)}` : text;
}

const CLONE_ARGS_SIZE_VER0 = 64;
const CLONE_ARGS_SIZE_VER2 = 88;
const CLONE_PIDFD = 0x1000n;
const CLONE_SETTLS = 0x80000n;
const CLONE_PARENT_SETTID = 0x100000n;
const CLONE_CHILD_CLEARTID = 0x200000n;
const CLONE_CHILD_SETTID = 0x1000000n;
const CLONE_INTO_CGROUP = 0x200000000n;

/** One int the kernel stored: [42], or the address when unreadable. */
function storedInt(addr: bigint, mem: GuestReader): string {
  const view = readView(addr, 4, mem);
  return view === null ? pointer(addr) : `[${view.getInt32(0, true)}]`;
}

function cloneArgsView(addr: bigint, size: bigint, mem: GuestReader): DataView | null {
  return size < BigInt(CLONE_ARGS_SIZE_VER0) ? null : readView(addr, Math.min(Number(size), CLONE_ARGS_SIZE_VER2), mem);
}

/** A clone_args field; 0 beyond the size the caller passed. */
function field(view: DataView, off: number): bigint {
  return off + 8 <= view.byteLength ? view.getBigUint64(off, true) : 0n;
}

/** clone3's struct clone_args of `size` bytes, as the call reads it. */
export function cloneArgs(addr: bigint, size: bigint, mem: GuestReader): string {
  const view = cloneArgsView(addr, size, mem);
  if (view === null) return pointer(addr);
  const u = (off: number) => field(view, off);
  const f = u(0);
  const parts = [`flags=${flags(f, CLONE_FLAGS, 'CLONE_???')}`];
  if (f & CLONE_PIDFD) parts.push(`pidfd=${pointer(u(8))}`);
  if (f & (CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID)) parts.push(`child_tid=${pointer(u(16))}`);
  if (f & CLONE_PARENT_SETTID) parts.push(`parent_tid=${pointer(u(24))}`);
  const exitSignal = u(32);
  parts.push(`exit_signal=${exitSignal === 0n ? '0' : signalName(Number(BigInt.asIntN(32, exitSignal)))}`);
  parts.push(`stack=${pointer(u(40))}`, `stack_size=${hex(u(48))}`);
  if (f & CLONE_SETTLS) parts.push(`tls=${pointer(u(56))}`);
  if (u(64) !== 0n || u(72) !== 0n) parts.push(`set_tid=${pointer(u(64))}`, `set_tid_size=${u(72)}`);
  if (f & CLONE_INTO_CGROUP) parts.push(`cgroup=${u(80)}`);
  return `{${parts.join(', ')}}`;
}

/** What a successful clone3 stored for its caller, in strace's " => {pidfd=[3], parent_tid=[42]}"; else nothing. */
export function cloneStored(addr: bigint, size: bigint, mem: GuestReader): string {
  const view = cloneArgsView(addr, size, mem);
  if (view === null) return '';
  const f = field(view, 0);
  const stored: string[] = [];
  if (f & CLONE_PIDFD && !isNull(field(view, 8))) stored.push(`pidfd=${storedInt(field(view, 8), mem)}`);
  if (f & CLONE_PARENT_SETTID && !isNull(field(view, 24))) stored.push(`parent_tid=${storedInt(field(view, 24), mem)}`);
  return stored.length > 0 ? ` => {${stored.join(', ')}}` : '';
}
