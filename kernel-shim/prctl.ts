// prctl(2) and arch_prctl(2): per-process settings (name, dumpable, parent-death signal,
// child subreaper...) and the thread's FS/GS bases and CPUID faulting.
import { Errno } from './errno.js';
import type { Task } from './task.js';

const ARCH_SET_GS = 0x1001, ARCH_SET_FS = 0x1002, ARCH_GET_FS = 0x1003, ARCH_GET_GS = 0x1004;
const ARCH_GET_CPUID = 0x1011, ARCH_SET_CPUID = 0x1012;
const PR_SET_PDEATHSIG = 1, PR_GET_PDEATHSIG = 2, PR_GET_DUMPABLE = 3, PR_SET_DUMPABLE = 4, PR_SET_NAME = 15,
  PR_GET_NAME = 16, PR_GET_SECCOMP = 21, PR_SET_NO_NEW_PRIVS = 38, PR_GET_NO_NEW_PRIVS = 39,
  PR_SET_CHILD_SUBREAPER = 36, PR_GET_CHILD_SUBREAPER = 37, PR_SET_VMA = 0x53564d41;
const USER_ADDRESS_LIMIT = 2 ** 47;
/** TASK_COMM_LEN, with its NUL. */
const COMM_SIZE = 16;

/** prctl(option, arg2) for task t's process; arg2 is a value or the guest address option names. */
export function prctl(t: Task, option: number, arg2: number): number {
  const p = t.process;
  switch (option) {
    case PR_SET_NAME: {
      const name = p.mm.readCString(arg2, 4096);
      if (name === null) return -Errno.EFAULT;
      p.comm = Buffer.from(name.subarray(0, COMM_SIZE - 1)).toString('latin1');
      return 0;
    }
    case PR_GET_NAME: {
      const out = new Uint8Array(COMM_SIZE);
      out.set(Buffer.from(p.comm, 'latin1').subarray(0, COMM_SIZE - 1));
      return p.mm.write(arg2, out) ? 0 : -Errno.EFAULT;
    }
    case PR_GET_DUMPABLE: return 1;
    case PR_SET_DUMPABLE: return arg2 <= 1 ? 0 : -Errno.EINVAL;
    case PR_SET_PDEATHSIG:
      if (arg2 > 64) return -Errno.EINVAL;
      p.parentDeathSignal = arg2;
      return 0;
    case PR_GET_PDEATHSIG: return p.mm.writeU32(arg2, p.parentDeathSignal) ? 0 : -Errno.EFAULT;
    case PR_GET_SECCOMP: return 0;
    case PR_SET_NO_NEW_PRIVS: return 0;
    case PR_GET_NO_NEW_PRIVS: return 0;
    case PR_SET_CHILD_SUBREAPER:
      p.childSubreaper = arg2 !== 0;
      return 0;
    case PR_GET_CHILD_SUBREAPER: return p.mm.writeU32(arg2, p.childSubreaper ? 1 : 0) ? 0 : -Errno.EFAULT;
    case PR_SET_VMA: return 0;
    default: return -Errno.EINVAL;
  }
}

/** arch_prctl(code, addr) for the running task t: addr is the new base or where to store it. */
export function archPrctl(t: Task, code: number, addr: bigint): number {
  const engine = t.kernel.cpu;
  const mm = t.process.mm;
  switch (code) {
    case ARCH_SET_FS:
    case ARCH_SET_GS:
      if (addr >= BigInt(USER_ADDRESS_LIMIT)) return -Errno.EPERM;
      engine.writeRegister(code === ARCH_SET_FS ? 'fs_base' : 'gs_base', addr);
      return 0;
    case ARCH_GET_FS:
      return mm.writeU64(Number(addr), engine.readRegister('fs_base')) ? 0 : -Errno.EFAULT;
    case ARCH_GET_GS:
      return mm.writeU64(Number(addr), engine.readRegister('gs_base')) ? 0 : -Errno.EFAULT;
    case ARCH_GET_CPUID:
      return 1;
    case ARCH_SET_CPUID:
      return -Errno.ENODEV;
    default:
      return -Errno.EINVAL;
  }
}
