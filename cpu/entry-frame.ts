// The registers a syscall hook reads, as the kernel's SyscallFrame: the number, the six
// arguments, rip and rflags, from one batch read.
import type { SyscallFrame } from '../kernel-shim/cpu-port.js';
import type { RegisterBatch } from './batch.js';

/** The length of the `syscall` instruction: Unicorn adds it to rip after the hook. */
export const SYSCALL_LENGTH = 2;

export class EntryFrame implements SyscallFrame {
  constructor(private readonly batch: RegisterBatch) {}
  get nr(): number {
    return this.batch.slots.getUint32(0, true);
  }
  arg(i: number): number {
    return this.batch.number(i + 1);
  }
  argBig(i: number): bigint {
    return this.batch.bigint(i + 1);
  }
  int(i: number): number {
    return this.batch.slots.getInt32(8 * (i + 1), true);
  }
  get rip(): number {
    return this.batch.number(7);
  }
  get returnAddress(): number {
    return this.rip + SYSCALL_LENGTH;
  }
  get rflags(): bigint {
    return this.batch.bigint(8);
  }
}
