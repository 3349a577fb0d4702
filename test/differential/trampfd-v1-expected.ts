// What fixtures/src/tramp_v1.c (the v1 ABI: creation, contexts, mapping) must print, derived
// from the trampfd v1 RFC as ../shared/spec/trampfd.md records it (section numbers below),
// not from a run of ushim: Linux never merged trampfd. "[inferred]" marks what the spec infers.
// Output format (fixtures/src/common.h): "label: ok", "label: ERRNO", "label: = N", "label: yes".

/** §1.4: structure sizes and limits. */
const MAP_SIZE = 24;
const REGS_HEADER = 8;
const REG_ENTRY = 16;
const MAX_REGS = 40;
const REGS_MAX_SIZE = REGS_HEADER + REG_ENTRY * MAX_REGS;
const STACK_HEADER = 16;
const MAX_DATA = 64;
const STACK_MAX_SIZE = STACK_HEADER + MAX_DATA;
const VALUES_HEADER = 8;

/** §1.5: x86-64 register ids. */
const X64_RSI = 12;
const X64_RDI = 13;
const X64_RIP = 23;

const regsSize = (n: number): number => REGS_HEADER + REG_ENTRY * n;
const fail = (label: string, errno: string): string => `${label}: ${errno}`;
const value = (label: string, n: number): string => `${label}: = ${n}`;
const einval = (...labels: string[]): string[] => labels.map((label) => fail(label, 'EINVAL'));

function creation(): string[] {
  return [
    // §1.2: EINVAL for a NULL data pointer, flags != 0, a type outside 0..0, non-zero
    // trampfd_user fields; EFAULT for unreadable data.
    ...einval('create: NULL data', 'create: flags 1', 'create: type 1', 'create: type -1'),
    fail('create: bad data pointer', 'EFAULT'),
    ...einval('create: trampfd_user.flags 1', 'create: trampfd_user.reserved 1'),
    'create: ok',
    // §1.2: always close-on-exec, O_RDWR, an anonymous inode named "[trampfd]".
    'create: close-on-exec: yes',
    'create: O_RDWR: yes',
    'create: /proc/self/fd link anon_inode:[trampfd]',
  ];
}

function mapContext(): string[] {
  return [
    // §1.3: a read returns its count; §1.2: the mapping parameters of TRAMPFD_USER.
    value('pread MAP', MAP_SIZE),
    'map: size 4096 prot 0 flags 2 offset 0 ioffset 0 reserved 0',
    // §1.4: a MAP read is exactly 24 bytes; §1.3: ALLOWED_PCS is write-only, MAP read-only,
    // offsets 0..3 only, a NULL buffer or a zero count is EINVAL; §3: a bad buffer EFAULT.
    ...einval(
      `pread MAP, ${MAP_SIZE - 1} bytes`, `pread MAP, ${MAP_SIZE + 1} bytes`, 'pread ALLOWED_PCS (write-only)',
      'pread offset 4', 'pread offset -1', 'pwrite MAP (read-only)', 'pwrite offset 4', 'pread NULL buffer',
      'pread 0 bytes', 'pwrite NULL buffer',
    ),
    fail('pread MAP into a bad buffer', 'EFAULT'),
    // §1.3: lseek SEEK_SET to 0 <= off < 4 only; read/write never move the position.
    value('lseek 2', 2),
    ...einval('lseek 4', 'lseek -1', 'lseek SEEK_CUR', 'lseek SEEK_END'),
    value('lseek 0', 0),
    value('read MAP', MAP_SIZE),
    value('read MAP again (position unchanged)', MAP_SIZE),
    fail('write at MAP', 'EINVAL'),
  ];
}

function regsContext(): string[] {
  return [
    // §1.4 read: 8 <= count <= 648; with no context an 8-byte zero header; returns count.
    value(`pread REGS (none), ${REGS_MAX_SIZE} bytes`, REGS_MAX_SIZE),
    '  header zero: yes, byte 8 untouched: yes',
    ...einval(`pread REGS, ${REGS_HEADER - 1} bytes`, `pread REGS, ${REGS_MAX_SIZE + 1} bytes`),
    // §1.4 write: count 8..648 and exactly 8 + 16 * nregs; reserved fields 0; §3 EFAULT.
    ...einval(
      `REGS: ${REGS_HEADER - 1} bytes`, `REGS: ${REGS_HEADER} bytes but nregs 1`, 'REGS: 40 bytes but nregs 1',
      `REGS: ${REGS_MAX_SIZE + 1} bytes`, 'REGS: header reserved', 'REGS: entry reserved',
    ),
    fail('REGS: bad buffer', 'EFAULT'),
    // §1.5: a 64-bit process names registers 8..23; §1.4: one entry names rip, non-zero;
    // nregs <= 40.
    ...einval(
      'REGS: register 7 (x32_eip)', 'REGS: register 24', 'REGS: no rip', 'REGS: rip 0',
      `REGS: ${MAX_REGS + 1} registers`,
    ),
    value(`REGS: ${MAX_REGS} registers`, regsSize(MAX_REGS)),
    value('REGS: rdi, rsi, rip', regsSize(3)),
    // §1.4 read: min(8 + 16 * nregs, count) bytes of the context, returning count.
    value(`pread REGS, ${REGS_MAX_SIZE} bytes`, REGS_MAX_SIZE),
    `  nregs 3, [${X64_RDI}]=42 [${X64_RSI}]=7 [${X64_RIP}]=target_add yes, byte ${regsSize(3)} untouched: yes`,
    value('pread REGS, 16 bytes', 16),
    '  byte 16 untouched: yes',
  ];
}

function stackContext(): string[] {
  return [
    // §1.4 write: count 16..80 and exactly 16 + size, size <= 64, flags within SET_SP,
    // offset <= 256, reserved 0; §3 EFAULT.
    ...einval(
      `STACK: ${STACK_HEADER - 1} bytes`, `STACK: ${STACK_MAX_SIZE + 1} bytes`, `STACK: size ${MAX_DATA + 1}`,
      'STACK: size 8 in 32 bytes', 'STACK: flags 2', 'STACK: offset 257', 'STACK: reserved',
    ),
    fail('STACK: bad buffer', 'EFAULT'),
    value('STACK: offset 256, SET_SP, 8 bytes', STACK_HEADER + 8),
    // §1.4 read: the context's 16 + size bytes; returns count.
    value(`pread STACK, ${STACK_MAX_SIZE} bytes`, STACK_MAX_SIZE),
    `  flags 1 offset 256 size 8, byte ${STACK_HEADER + 8} untouched: yes`,
    // §1.4: size 0 deletes (flags and offset ignored); then a 16-byte zero header.
    value('STACK: size 0 deletes (flags/offset ignored)', STACK_HEADER),
    value(`pread STACK (none), ${STACK_MAX_SIZE} bytes`, STACK_MAX_SIZE),
    `  header zero: yes, byte ${STACK_HEADER} untouched: yes`,
    fail(`pread STACK, ${STACK_HEADER - 1} bytes`, 'EINVAL'),
  ];
}

function allowedPcs(): string[] {
  return [
    // §1.4: count 8..136 and exactly 8 + 8 * nvalues (at most 16), reserved 0, no zero
    // value; §3 EFAULT.
    ...einval('PCS: 7 bytes', 'PCS: 17 values', 'PCS: nvalues 2 in 16 bytes', 'PCS: reserved', 'PCS: a zero value'),
    fail('PCS: bad buffer', 'EFAULT'),
    value('PCS: {target_add}', VALUES_HEADER + 8),
    // §1.4: with a list, rip (the last rip entry) must be on it.
    fail('REGS: rip not an allowed PC', 'EINVAL'),
    value('REGS: rip an allowed PC', regsSize(1)),
    value('REGS: rip twice, the last one allowed', regsSize(2)),
    fail('REGS: rip twice, the last one not allowed', 'EINVAL'),
    // §1.4: nregs 0 and nvalues 0 delete; without a list any rip will do.
    value('REGS: nregs 0 deletes', REGS_HEADER),
    value('PCS: nvalues 0 deletes', VALUES_HEADER),
    value('REGS: any rip once the list is gone', regsSize(1)),
  ];
}

function mapping(): string[] {
  return [
    // §1.6: no permission may be asked for; exactly MAP_PRIVATE; offset 0; one page.
    ...einval(
      'mmap PROT_READ', 'mmap PROT_EXEC', 'mmap PROT_WRITE', 'mmap MAP_SHARED', 'mmap MAP_FIXED', 'mmap offset 4096',
      'mmap 8192 bytes',
    ),
    // mmap(2) refuses a zero length before any driver sees it.
    fail('mmap 0 bytes', 'EINVAL'),
    // §1.6 [inferred]: the length is rounded up to a page first.
    'mmap 1 byte (rounded up): ok',
    // A free hint is taken, as for any mapping; the VMA has no permissions, private.
    'mmap with a hint: ok',
    '  at the hint: yes',
    '  /proc/self/maps: ---p anon_inode:[trampfd]',
    // §1.6 [inferred]: the VM_MAY* bits are gone, so adding a permission is EACCES.
    fail('mprotect PROT_READ', 'EACCES'),
    fail('mprotect PROT_EXEC', 'EACCES'),
    'mprotect PROT_NONE: ok',
    'munmap: ok',
    'munmap the 1-byte mapping: ok',
  ];
}

export function trampfdV1Expected(): string {
  return [...creation(), ...mapContext(), ...regsContext(), ...stackContext(), ...allowedPcs(), ...mapping()].join('\n') + '\n';
}
