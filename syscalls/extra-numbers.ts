// ushim's own syscalls: ABIs Linux never merged, given numbers far outside the upstream x86-64
// table (0..462 here, 512..547 for x32) so that they shadow nothing. fixtures/include/trampfd.h
// has the same numbers for guest programs; README.md ("Trampolines") documents them.
//
// The RFC patches used 440, which mainline gave to process_madvise (Linux 5.10):
// --trampfd-440=v1|v2 additionally routes 440 to one of them (see table.ts aliases).

export interface ExtraSyscall {
  readonly nr: number;
  readonly name: string;
}

export const USHIM_NR_TRAMPFD_CREATE = 1000;
export const USHIM_NR_TRAMPFD = 1001;
/** The number both trampfd RFC series used. */
export const RFC_NR_TRAMPFD = 440;

export const EXTRA_SYSCALLS: readonly ExtraSyscall[] = Object.freeze([
  { nr: USHIM_NR_TRAMPFD_CREATE, name: 'trampfd_create' }, // trampfd RFC v1 (Jul 2020)
  { nr: USHIM_NR_TRAMPFD, name: 'trampfd' }, // trampfd RFC v2 (Sep 2020)
]);

const byNr = new Map(EXTRA_SYSCALLS.map((s) => [s.nr, s.name]));

/** The name of an ushim-specific number, if it is one. */
export function extraSyscallName(nr: number): string | undefined {
  return byNr.get(nr);
}
