// The warm path's protocol between the client (client/ushimc.c) and a ushim worker, over an
// AF_UNIX stream socket. The client sends one header (sendmsg: the magic and the payload's
// length, with its working directory and its stdin, stdout and stderr as SCM_RIGHTS fds),
// the payload (NUL-terminated byte strings, below), then a 4-byte signal number for every
// signal it receives. The worker answers with 8-byte records: the guest stopped (the client
// stops itself), and once, the guest's end (an exit status, or a signal to die of).
import type { ExitStatus } from '../kernel-shim/process.js';
import type { HostLimits } from './host-inheritance.js';
import type { InheritedState } from './host-context.js';

export const HEADER_BYTES = 8;
export const MAGIC = 0x4d485355; // "USHM"
/** The payload's first string: a client of another protocol version is refused. */
export const VERSION = 'ushim-serve 1';
/** Payloads larger than this are refused (a guest's argv and envp are limited far below). */
export const MAX_PAYLOAD = 64 << 20;

export const RECORD_BYTES = 8;
const RECORD_EXIT = 0;
const RECORD_SIGNAL = 1;
const RECORD_STOP = 2;

export interface ServeRequest {
  /** Which of fds 0, 1, 2 the client had open and passed, in that order after its cwd. */
  stdio: boolean[];
  inherited: InheritedState;
  /** ushim's arguments and the environment, as byte strings. */
  argv: string[];
  env: string[];
}

export class ProtocolError extends Error {}

/** The payload's length from the header, or a ProtocolError. */
export function payloadLength(header: Buffer): number {
  if (header.length !== HEADER_BYTES || header.readUInt32LE(0) !== MAGIC) throw new ProtocolError('not a ushim client');
  const length = header.readUInt32LE(4);
  if (length > MAX_PAYLOAD) throw new ProtocolError(`request of ${length} bytes`);
  return length;
}

/**
 * The payload: VERSION, the fd mask (bit N: fd N passed), ppid, pgid, sid, umask (octal),
 * ignored signals (hex, bit N-1 for signal N), the count of rlimits and each one's soft and
 * hard value, argc and ushim's arguments, envc and the environment.
 */
export function decodeRequest(payload: Buffer): ServeRequest {
  const items = payload.toString('latin1').split('\0');
  if (items.pop() !== '') throw new ProtocolError('unterminated request');
  let at = 0;
  const next = (): string => {
    if (at >= items.length) throw new ProtocolError('truncated request');
    return items[at++];
  };
  const big = (digits: RegExp, prefix: string): bigint => {
    const text = next();
    if (!digits.test(text)) throw new ProtocolError(`bad number '${text}'`);
    return BigInt(prefix + text);
  };
  const limit = (): bigint => BigInt.asUintN(64, big(/^[0-9]{1,20}$/, ''));
  const number = (): number => Number(big(/^[0-9]{1,9}$/, ''));
  const list = <T>(read: () => T): T[] => Array.from({ length: number() }, read);
  if (next() !== VERSION) throw new ProtocolError('another protocol version');
  const mask = number();
  const stdio = [0, 1, 2].map((fd) => (mask & (1 << fd)) !== 0);
  const [ppid, pgid, sid] = [number(), number(), number()];
  const umask = Number(big(/^[0-7]{1,4}$/, '0o')) & 0o777;
  const ignoredSignals = big(/^[0-9a-fA-F]{1,16}$/, '0x');
  const limits = list((): HostLimits => ({ cur: limit(), max: limit() }));
  const argv = list(next);
  const env = list(next);
  return {
    stdio,
    inherited: { ppid, session: { pgid, sid }, inheritance: { umask, limits, ignoredSignals } },
    argv,
    env,
  };
}

export function exitRecord(status: ExitStatus): Buffer {
  return record(status.signal === undefined ? RECORD_EXIT : RECORD_SIGNAL, status.signal ?? status.code);
}

export function stopRecord(): Buffer {
  return record(RECORD_STOP, 0);
}

function record(kind: number, value: number): Buffer {
  const b = Buffer.alloc(RECORD_BYTES);
  b.writeUInt32LE(kind, 0);
  b.writeUInt32LE(value, 4);
  return b;
}
