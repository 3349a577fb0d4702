// unshare, setns and membarrier: what an unprivileged container answers for namespaces
// (ushim has none to make or enter), and membarrier's registrations.
import { membarrier } from '../kernel-shim/membarrier.js';
import { setns, unshare } from '../kernel-shim/namespaces.js';
import { membarrierResult } from './argkinds-by-value.js';
import type { SyscallDef } from './types.js';

export const namespaceSyscalls: SyscallDef[] = [
  {
    name: 'unshare', args: ['clone_flags'], result: 'dec', support: 'partial', handler: (k, t, a) => unshare(k, t, a.int(0)),
    note: 'new namespaces: EPERM (as in an unprivileged container); CLONE_FILES copies a table shared with another process',
  },
  { name: 'setns', args: ['fd', 'clone_flags'], result: 'dec', support: 'partial', handler: (_k, t, a) => setns(t, a.int(0), a.int(1)), note: 'no namespaces to join: EINVAL, or EPERM for a pidfd' },
  {
    name: 'membarrier', args: ['membarrier_cmd', 'hex'], result: membarrierResult, support: 'full', handler: (_k, t, a) => membarrier(t, a.int(0), a.int(1)),
    note: 'one guest task runs at a time: every barrier holds already; registrations per address space',
  },
];
