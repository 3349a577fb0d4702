// What fixtures/src/tramp_v2.c must print, derived from the trampfd v2 RFC as
// ../shared/spec/trampfd.md records it (section numbers below), not from a run of ushim:
// Linux never merged trampfd, so there is no native run to compare with. Each line names
// its rule; "[inferred]" marks what the spec infers, "[order]" a check order the RFC text
// leaves open (the fixture pins ushim's choice so that a change is seen).
//
// The fixture's output format: CHECK prints "label: ok" or "label: ERRNO", CHECKV
// "label: = N", EXPECT "label: yes|no" (fixtures/src/common.h).

const PAGE = 4096;

/** §2.2, x86-64: 40 bytes per slot, one page of slots, mapped at file offset 1 << 12. */
const CODE_SIZE = 40;
const NTRAMPOLINES = Math.floor(PAGE / CODE_SIZE);
const CODE_OFFSET = 1 << 12;

/** §2.4: hardware register numbers; the fixture uses r11 for code and r10 for data. */
const R10 = 10;
const R11 = 11;

const hex2 = (b: number): string => b.toString(16).padStart(2, '0');

/**
 * §2.6: one x86-64 slot for code register c and data register d, the two movabs
 * immediates (code_table + 8X, data_table + 8X) shown as "<imm64>" as the fixture prints
 * them. The mod=00 forms are right for r10 and r11 (the spec's encoding caveat concerns
 * rbp, r12 and r13).
 */
function slotBytes(c: number, d: number): string {
  const rex = (r: number): number => 0x48 | (r >> 3);
  const rexLoad = (r: number): number => 0x48 | ((r >> 3) << 2) | (r >> 3);
  const modrm = (r: number): number => ((r & 7) << 3) | (r & 7);
  const bytes: (number | '<imm64>')[] = [
    0xf3, 0x0f, 0x1e, 0xfa, // endbr64
    rex(c), 0xb8 + (c & 7), '<imm64>', // movabs $&code_table[X], %c
    rexLoad(c), 0x8b, modrm(c), // mov (%c), %c
    rex(d), 0xb8 + (d & 7), '<imm64>', // movabs $&data_table[X], %d
    rexLoad(d), 0x8b, modrm(d), // mov (%d), %d
    0x40 | (c >> 3), 0xff, 0xe0 + (c & 7), // jmp *%c
    0x0f, 0x1f, 0x00, // nopl (%rax)
    0x00, 0x00, 0x00, 0x00, // padding to 40
  ];
  return bytes.map((b) => (b === '<imm64>' ? b : hex2(b))).join(' ');
}

/** The closures fixture: 20 rounds over 50 closures of k*round + 1 (mul_add with b = 1). */
function closureSum(): number {
  let sum = 0;
  for (let round = 0; round < 20; round++) for (let k = 0; k < 50; k++) sum += round * k + 1;
  return sum;
}

export function trampfdV2Expected(): string {
  const lines = [
    // §2.2: EINVAL for a NULL info, EFAULT when info is not writable.
    'trampfd(NULL): EINVAL',
    'trampfd(bad pointer): EFAULT',
    'trampfd(read-only memory): EFAULT',
    'trampfd: ok',
    // §2.2: x86-64 values; the fixture fills info with 0xAA first, so reserved is written.
    `info: ntrampolines ${NTRAMPOLINES} code_size ${CODE_SIZE} code_offset ${CODE_OFFSET} reserved 0`,
    // §2.2: always O_CLOEXEC, opened O_RDWR.
    'close-on-exec: yes',
    'O_RDWR: yes',
    // §2.3: no read method.
    'read: EINVAL',
    'pread: EINVAL',
    // §2.5: both descriptors must have been written.
    'mmap before the descriptors: EINVAL',
    // §2.3: count exactly 16; an unreadable buffer is EFAULT. A NULL buffer [order]: EINVAL,
    // as v1's shared write handler rejects it before copying (§1.3).
    'CODE: 15 bytes: EINVAL',
    'CODE: 17 bytes: EINVAL',
    'CODE: NULL buffer: EINVAL',
    'CODE: bad buffer: EFAULT',
    // §2.3: offsets 0 (CODE) and 1 (DATA) only.
    'offset 2: EINVAL',
    // §2.3: x86-64 register ids 7..21; 1 <= ntrampolines <= 102.
    'CODE: register 6: EINVAL',
    'CODE: register 22: EINVAL',
    'CODE: 0 trampolines: EINVAL',
    `CODE: ${NTRAMPOLINES + 1} trampolines: EINVAL`,
    // A successful write returns its count (16).
    `CODE: ${NTRAMPOLINES} trampolines (another fd): = 16`,
    'CODE: 4 trampolines, code in r11: = 16',
    // §2.3: write-once, EEXIST; [order] a written CODE descriptor answers EEXIST before
    // looking at the new one's register.
    'CODE again: EEXIST',
    'CODE again, invalid register (EEXIST first): EEXIST',
    // §2.5: both descriptors, not just one.
    'mmap with only the code descriptor: EINVAL',
    // §2.3: reserved must be 0; register ids 7..21; count exactly 16.
    'DATA: reserved: EINVAL',
    'DATA: register 5: EINVAL',
    'DATA: 8 bytes: EINVAL',
    // §2.3: lseek SEEK_SET with 0 <= off < 2; write() goes to the context at the position.
    'lseek 1: = 1',
    'lseek 2: EINVAL',
    'lseek SEEK_CUR: EINVAL',
    'DATA with write() at position 1: = 16',
    // §2.3 write-once; [order] a malformed DATA descriptor is EINVAL before EEXIST.
    'DATA again: EEXIST',
    'DATA again, reserved (EINVAL first): EINVAL',
    // §2.5: prot READ|EXEC without WRITE; page offset 1; flags exactly MAP_PRIVATE; one page.
    'mmap PROT_READ: EINVAL',
    'mmap PROT_EXEC: EINVAL',
    'mmap PROT_READ|PROT_WRITE|PROT_EXEC: EINVAL',
    'mmap offset 0: EINVAL',
    'mmap offset 8192: EINVAL',
    'mmap MAP_SHARED: EINVAL',
    'mmap 8192 bytes: EINVAL',
    'mmap MAP_FIXED: EINVAL',
    // §2.5 [inferred]: the length is rounded up to a page first; one mapping at a time,
    // the flag clearing when the mapping goes.
    'mmap 160 bytes (4 trampolines): ok',
    'mmap a second time: EEXIST',
    'munmap: ok',
    'mapped again after munmap: ok',
    // §2.5: unused bytes of the page are zero; §2.6: the slots.
    'bytes after the last slot are zero: yes',
    ...[0, 3].map((x) => `slot ${x} (code r11, data r10): &code_tab[${x}] ok, &data_tab[${x}] ok, bytes ${slotBytes(R11, R10)}`),
    // §3: after mapping it is a plain code page under the normal rules.
    'mprotect PROT_READ: ok',
    'mprotect back to PROT_READ|PROT_EXEC: ok',
    // §2.1: slot X loads code_table[X] and data_table[X] at every execution.
    `${NTRAMPOLINES} slots return their data_table entry: ${NTRAMPOLINES}/${NTRAMPOLINES}`,
    'slot 5 retargeted to ret_r11 (the code register): yes',
    'slot 5 with new data: 55',
    // Only the code and data registers change: twice(20, 1) = 2 * (20 + 1).
    'slot 7 as twice(20, 1): 42',
    // §2.4/§2.6: every pair of the 15 registers works (the caveat's correct forms for
    // rbp, r12, r13).
    'register pairs that work: 225/225',
    `50 closures x 20 calls: ${closureSum()}`,
    // §2.5: only the creating thread may map.
    'mmap from another thread: EINVAL',
    'mmap from the creator: ok, slot 1: 4242',
    // §3: fork copies the plain mapping; the child is not the creator (§2.5).
    'child: inherited mapping, slot 1: 4242',
    'child: mmap of the inherited fd: EINVAL',
    'parent after the child: slot 1: 4242',
    // §2.2: close-on-exec; the exec'd fixture exits 3.
    'after exec: fd closed',
    'exec child exited 3',
  ];
  return lines.join('\n') + '\n';
}
