// Copying the IPC structs between the kernel and the caller's memory.
import { IPC_PERM_SIZE, decodePermUpdate } from '../abi/ipc.js';
import { Errno } from '../errno.js';
import type { Task } from '../task.js';
import type { IpcPermUpdate } from './ipc-perm.js';

/** Stores a struct at addr: 0 or -EFAULT. */
export function storeStruct(t: Task, addr: number, struct: Uint8Array): number {
  return t.process.mm.write(addr, struct) ? 0 : -Errno.EFAULT;
}

/** IPC_SET's struct ipc64_perm at the head of the caller's *id64_ds (`extra` more bytes read), or -EFAULT. */
export function readPermUpdate(t: Task, addr: number, extra: number): (IpcPermUpdate & { raw: Uint8Array }) | number {
  const raw = t.process.mm.read(addr, IPC_PERM_SIZE + extra);
  return raw === null ? -Errno.EFAULT : { ...decodePermUpdate(raw), raw };
}
