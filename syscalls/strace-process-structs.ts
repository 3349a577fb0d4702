// strace's decoding of process and signal structures: struct sigaction, stack_t, wait
// statuses, struct utsname, resource limits, interval timers, CPU sets, group lists, and the
// two descriptors pipe stores.
import { SA_FLAGS, SIG_HANDLERS, signalName, SS_FLAGS } from '../kernel-shim/abi/xlat-signal.js';
import { sigset } from './strace-structs.js';
import { flags, type GuestReader, hex, isNull, lookup, MAX_STRLEN, pointer, quoteBytes, readView } from './strace-values.js';

const SIGACTION_SIZE = 32;
const SA_RESTORER = 0x04000000n;

/** The kernel's struct sigaction: handler, flags, restorer, then the 8-byte mask. */
export function sigaction(addr: bigint, mem: GuestReader): string {
  const view = readView(addr, SIGACTION_SIZE, mem);
  if (view === null) return pointer(addr);
  const handler = view.getBigUint64(0, true);
  const saFlags = view.getBigUint64(8, true);
  const parts = [
    `sa_handler=${lookup(SIG_HANDLERS, handler) ?? hex(handler)}`,
    `sa_mask=${sigset(addr + 24n, 8n, mem)}`,
    `sa_flags=${flags(saFlags, SA_FLAGS, 'SA_???')}`,
  ];
  if ((saFlags & SA_RESTORER) !== 0n) parts.push(`sa_restorer=${pointer(view.getBigUint64(16, true))}`);
  return `{${parts.join(', ')}}`;
}

/** A wait status as the W* macros that decode it: [{WIFEXITED(s) && WEXITSTATUS(s) == 0}]. */
export function waitStatus(addr: bigint, mem: GuestReader): string {
  const view = readView(addr, 4, mem);
  if (view === null) return pointer(addr);
  const status = view.getInt32(0, true);
  const low = status & 0x7f;
  let text: string;
  if (status === 0xffff) text = 'WIFCONTINUED(s)';
  else if ((status & 0xff) === 0x7f) text = `WIFSTOPPED(s) && WSTOPSIG(s) == ${signalName((status >> 8) & 0xff)}`;
  else if (low === 0) text = `WIFEXITED(s) && WEXITSTATUS(s) == ${(status >> 8) & 0xff}`;
  else text = `WIFSIGNALED(s) && WTERMSIG(s) == ${signalName(low)}${status & 0x80 ? ' && WCOREDUMP(s)' : ''}`;
  return `[{${text}}]`;
}

const UTS_FIELD = 65;

/** struct utsname as strace abbreviates it: the system and node names. */
export function utsname(addr: bigint, mem: GuestReader): string {
  const view = readView(addr, 2 * UTS_FIELD, mem);
  if (view === null) return pointer(addr);
  const field = (i: number) => {
    const bytes = new Uint8Array(view.buffer, view.byteOffset + i * UTS_FIELD, UTS_FIELD);
    const nul = bytes.indexOf(0);
    return quoteBytes(bytes.subarray(0, nul < 0 ? UTS_FIELD : nul));
  };
  return `{sysname=${field(0)}, nodename=${field(1)}, ...}`;
}

/** pipe's two descriptors: [3, 4]. */
export function fdPair(addr: bigint, mem: GuestReader): string {
  const view = readView(addr, 8, mem);
  return view === null ? pointer(addr) : `[${view.getInt32(0, true)}, ${view.getInt32(4, true)}]`;
}

const STACK_T_SIZE = 24;

/** sigaltstack's stack_t: {ss_sp=0x..., ss_flags=SS_DISABLE, ss_size=8192}. */
export function stackT(addr: bigint, mem: GuestReader): string {
  const view = readView(addr, STACK_T_SIZE, mem);
  if (view === null) return pointer(addr);
  const ssFlags = flags(BigInt(view.getUint32(8, true)), SS_FLAGS, 'SS_???');
  return `{ss_sp=${pointer(view.getBigUint64(0, true))}, ss_flags=${ssFlags}, ss_size=${view.getBigUint64(16, true)}}`;
}

const RLIM_INFINITY = (1n << 64n) - 1n;

/** A limit as strace writes it: RLIM64_INFINITY, 8192*1024, or the number. */
function limit(v: bigint): string {
  if (v === RLIM_INFINITY) return 'RLIM64_INFINITY';
  return v > 1024n && v % 1024n === 0n ? `${v / 1024n}*1024` : String(v);
}

export function rlimit(addr: bigint, mem: GuestReader): string {
  const view = readView(addr, 16, mem);
  if (view === null) return pointer(addr);
  return `{rlim_cur=${limit(view.getBigUint64(0, true))}, rlim_max=${limit(view.getBigUint64(8, true))}}`;
}

/** struct itimerval: {it_interval={tv_sec=0, tv_usec=0}, it_value={tv_sec=1, tv_usec=0}}. */
export function itimerval(addr: bigint, mem: GuestReader): string {
  const view = readView(addr, 32, mem);
  if (view === null) return pointer(addr);
  const tv = (off: number) => `{tv_sec=${view.getBigInt64(off, true)}, tv_usec=${view.getBigInt64(off + 8, true)}}`;
  return `{it_interval=${tv(0)}, it_value=${tv(16)}}`;
}

/** A CPU set of `size` bytes as the numbers of its CPUs: [0 2 3]. */
export function cpuSet(addr: bigint, size: bigint, mem: GuestReader): string {
  const n = size > 4096n ? 4096 : Number(size);
  const bytes = isNull(addr) ? null : mem.readBytes(addr, n);
  if (bytes === null) return pointer(addr);
  const cpus: number[] = [];
  bytes.forEach((byte, i) => {
    for (let bit = 0; bit < 8; bit++) if (byte & (1 << bit)) cpus.push(8 * i + bit);
  });
  return `[${cpus.join(' ')}]`;
}

/** `count` group ids: [0, 4]. */
export function gidArray(addr: bigint, count: bigint, mem: GuestReader): string {
  if (isNull(addr)) return 'NULL';
  const n = count < 0n ? 0 : Number(count > BigInt(MAX_STRLEN) ? BigInt(MAX_STRLEN) : count);
  const view = readView(addr, 4 * n, mem);
  if (view === null) return pointer(addr);
  const ids = Array.from({ length: n }, (_, i) => String(view.getUint32(4 * i, true)));
  return `[${[...ids, ...(count > BigInt(n) ? ['...'] : [])].join(', ')}]`;
}

/** kcmp KCMP_EPOLL_TFD's struct kcmp_epoll_slot: {efd=3, tfd=4, toff=0}. */
export function kcmpEpollSlot(addr: bigint, mem: GuestReader): string {
  const view = readView(addr, 12, mem);
  if (view === null) return pointer(addr);
  return `{efd=${view.getUint32(0, true)}, tfd=${view.getUint32(4, true)}, toff=${view.getUint32(8, true)}}`;
}

/** A signal number the call stores: [SIGKILL], [0]. */
export function boxedSignal(addr: bigint, mem: GuestReader): string {
  const view = readView(addr, 4, mem);
  return view === null ? pointer(addr) : `[${signalName(view.getInt32(0, true))}]`;
}
