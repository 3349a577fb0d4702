// NUMA memory policy and page placement, as on a machine with one node: decode the
// arguments and call kernel-shim/mm/numa-calls.ts or numa-pages.ts.
import { getMempolicy, mbind, setHomeNode, setMempolicy } from '../kernel-shim/mm/numa-calls.js';
import { migratePages, movePages } from '../kernel-shim/mm/numa-pages.js';
import type { SyscallDef } from './types.js';

const ONE_NODE = 'one NUMA node (0); policies are kept and reported, every page is on node 0';

export const numaSyscalls: SyscallDef[] = [
  {
    name: 'mbind', args: ['ptr', 'uint', 'int', 'ptr', 'uint', 'hex'], result: 'dec', support: 'partial', note: ONE_NODE,
    handler: (_k, t, a) => mbind(t, { start: a.argBig(0), len: a.argBig(1), mode: a.int(2), nmask: a.arg(3), maxnode: a.argBig(4), flags: a.int(5) }),
  },
  {
    name: 'set_mempolicy', args: ['int', 'ptr', 'uint'], result: 'dec', support: 'partial', note: ONE_NODE,
    handler: (_k, t, a) => setMempolicy(t, a.int(0), a.arg(1), a.argBig(2)),
  },
  {
    name: 'get_mempolicy', args: ['ptr', 'ptr', 'uint', 'ptr', 'hex'], result: 'dec', support: 'partial',
    note: `${ONE_NODE}; /proc/<pid>/numa_maps is absent`,
    handler: (_k, t, a) => getMempolicy(t, { policyAddr: a.arg(0), nmask: a.arg(1), maxnode: a.argBig(2), addr: a.arg(3), flags: a.argBig(4) }),
  },
  {
    name: 'set_mempolicy_home_node', args: ['ptr', 'uint', 'uint', 'hex'], result: 'dec', support: 'partial', note: `${ONE_NODE}; node 0 is every home`,
    handler: (_k, t, a) => setHomeNode(t, a.argBig(0), a.argBig(1), a.argBig(2), a.argBig(3)),
  },
  {
    name: 'migrate_pages', args: ['int', 'uint', 'ptr', 'ptr'], result: 'dec', support: 'partial', note: ONE_NODE,
    handler: (k, t, a) => migratePages(k, t, a.int(0), a.argBig(1), a.arg(2), a.arg(3)),
  },
  {
    name: 'move_pages', args: ['int', 'uint', 'ptr', 'ptr', 'ptr', 'hex'], result: 'dec', support: 'partial',
    note: `${ONE_NODE}; a page only read since mapped counts as present (Linux maps the zero page: -EFAULT)`,
    handler: (k, t, a) => movePages(k, t, { pid: a.int(0), count: a.arg(1), pages: a.arg(2), nodes: a.arg(3), status: a.arg(4), flags: a.int(5) }),
  },
];
