// strace's decoding of process and signal structures: struct sigaction, wait statuses,
// struct utsname, and the two descriptors pipe stores.
import { SA_FLAGS, SIG_HANDLERS, signalName } from '../kernel-shim/abi/xlat-signal.js';
import { sigset } from './strace-structs.js';
import { flags, type GuestReader, hex, lookup, pointer, quoteBytes, readView } from './strace-values.js';

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
