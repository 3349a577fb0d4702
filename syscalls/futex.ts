// futex(2): decodes the arguments (the timeout timespec of the WAIT forms) and calls the
// futex operation (kernel-shim/futex-call.ts).
import { FUTEX_WAIT, FUTEX_WAIT_BITSET, futexCall, futexCommand } from '../kernel-shim/futex-call.js';
import { futexArgs } from './argkinds-by-value.js';
import type { SyscallDef } from './types.js';
import { readTimespec } from './guest.js';

export const futexSyscalls: SyscallDef[] = [
  {
    name: 'futex', args: futexArgs, result: 'dec', support: 'partial', note: 'no PI futexes',
    handler: (k, t, a) => {
      const cmd = futexCommand(a.int(1));
      const waits = cmd === FUTEX_WAIT || cmd === FUTEX_WAIT_BITSET;
      const timeout = waits && a.arg(3) !== 0 ? readTimespec(t, a.arg(3)) : undefined;
      return futexCall(k, t, { uaddr: a.arg(0), op: a.int(1), val: a.int(2), timeout, val2: a.arg(3), uaddr2: a.arg(4), val3: a.int(5) });
    },
  },
];
