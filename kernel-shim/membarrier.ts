// membarrier(2): ushim runs one guest task at a time on one host thread, so every barrier is
// already there; what remains is Linux's bookkeeping: the commands QUERY reports, and the
// private expedited commands answering EPERM until their address space registers.
import { Errno } from './errno.js';
import type { Task } from './task.js';

export const MEMBARRIER_CMD_QUERY = 0, MEMBARRIER_CMD_GLOBAL = 1, MEMBARRIER_CMD_GLOBAL_EXPEDITED = 2,
  MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED = 4, MEMBARRIER_CMD_PRIVATE_EXPEDITED = 8,
  MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED = 16, MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE = 32,
  MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE = 64, MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ = 128,
  MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ = 256, MEMBARRIER_CMD_GET_REGISTRATIONS = 512;
export const MEMBARRIER_CMD_FLAG_CPU = 1;

const ALL_COMMANDS = 0x3ff;

/** Each private expedited command and the registration it needs. */
const NEEDS: ReadonlyMap<number, number> = new Map([
  [MEMBARRIER_CMD_PRIVATE_EXPEDITED, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED],
  [MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE],
  [MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ],
]);

const REGISTER_COMMANDS = [
  MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED,
  MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ,
];

export function membarrier(t: Task, cmd: number, flags: number): number {
  const flagsAllowed = cmd === MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ ? MEMBARRIER_CMD_FLAG_CPU : 0;
  if (flags & ~flagsAllowed) return -Errno.EINVAL;
  const mm = t.process.mm;
  if (cmd === MEMBARRIER_CMD_QUERY) return ALL_COMMANDS;
  if (cmd === MEMBARRIER_CMD_GLOBAL || cmd === MEMBARRIER_CMD_GLOBAL_EXPEDITED) return 0;
  if (cmd === MEMBARRIER_CMD_GET_REGISTRATIONS) return mm.membarrierRegistrations;
  if (REGISTER_COMMANDS.includes(cmd)) {
    mm.membarrierRegistrations |= cmd;
    return 0;
  }
  const needed = NEEDS.get(cmd);
  if (needed === undefined) return -Errno.EINVAL;
  return mm.membarrierRegistrations & needed ? 0 : -Errno.EPERM;
}
