// futex(2) and the futex2 calls: decode the arguments (the timeout timespec of futex's WAIT
// forms) and call one futex operation (kernel-shim/futex-call.ts, futex2.ts, futex-waitv.ts).
import { FUTEX_WAIT, FUTEX_WAIT_BITSET, futexCall, futexCommand } from '../kernel-shim/futex-call.js';
import { futex2Wait, futex2Wake } from '../kernel-shim/futex2.js';
import { futexRequeue, futexWaitv } from '../kernel-shim/futex-waitv.js';
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
  {
    name: 'futex_waitv', args: ['ptr', 'uint', 'hex', 'timespec', 'clock_id'], result: 'dec', support: 'full',
    handler: (k, t, a) => futexWaitv(k, t, { waiters: a.arg(0), count: a.arg(1) >>> 0, flags: a.arg(2) >>> 0, timeout: a.arg(3), clockid: a.int(4) }),
  },
  {
    name: 'futex_wake', args: ['ptr', 'hex', 'int', 'hex'], result: 'dec', support: 'full',
    handler: (k, t, a) => futex2Wake(k, t, a.argBig(0), a.argBig(1), a.int(2), a.arg(3) >>> 0),
  },
  {
    name: 'futex_wait', args: ['ptr', 'uint', 'hex', 'hex', 'timespec', 'clock_id'], result: 'dec', support: 'full',
    handler: (k, t, a) => futex2Wait(k, t, {
      uaddr: a.argBig(0), val: a.argBig(1), mask: a.argBig(2), flags: a.arg(3) >>> 0, timeout: a.arg(4), clockid: a.int(5),
    }),
  },
  {
    name: 'futex_requeue', args: ['ptr', 'hex', 'int', 'int'], result: 'dec', support: 'full',
    handler: (k, t, a) => futexRequeue(k, t, a.arg(0), a.arg(1) >>> 0, a.int(2), a.int(3)),
  },
];
