// trampfd (both RFC ABIs, ushim extensions): decode and call kernel-shim/trampfd/. The numbers
// are ushim's own (extra-numbers.ts); tableSetup() applies --trampfd=off and --trampfd-440.
import type { KernelOptions } from '../kernel-shim/kernel.js';
import { trampfdCreate } from '../kernel-shim/trampfd/v1.js';
import { trampfdV2Create } from '../kernel-shim/trampfd/v2.js';
import { RFC_NR_TRAMPFD } from './extra-numbers.js';
import type { SyscallDef } from './types.js';

export const trampfdSyscalls: SyscallDef[] = [
  {
    name: 'trampfd_create', args: ['trampfd_type', 'trampfd_user', 'uint'], result: 'dec', support: 'full',
    note: 'ushim extension (nr 1000): trampfd RFC v1, kernel-emulated trampolines; 440 with --trampfd-440=v1',
    handler: (k, t, a) => trampfdCreate(k, t, a.int(0), a.arg(1), a.int(2)),
  },
  {
    name: 'trampfd', args: ['trampfd_info_out'], result: 'dec', support: 'full',
    note: 'ushim extension (nr 1001): trampfd RFC v2, generated trampoline tables; 440 with --trampfd-440=v2',
    handler: (k, t, a) => trampfdV2Create(k, t, a.arg(0)),
  },
];

const TRAMPFD_NAMES = new Set(trampfdSyscalls.map((d) => d.name));

/** The definitions and number aliases for buildTable() under these options. */
export function tableSetup(all: readonly SyscallDef[], options: Pick<KernelOptions, 'trampfd' | 'trampfd440'>): {
  defs: readonly SyscallDef[];
  aliases: Map<number, string>;
} {
  if (options.trampfd === 'off') return { defs: all.filter((d) => !TRAMPFD_NAMES.has(d.name)), aliases: new Map() };
  const aliases = new Map<number, string>();
  if (options.trampfd440 === 'v1') aliases.set(RFC_NR_TRAMPFD, 'trampfd_create');
  if (options.trampfd440 === 'v2') aliases.set(RFC_NR_TRAMPFD, 'trampfd');
  return { defs: all, aliases };
}
