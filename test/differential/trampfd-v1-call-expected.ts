// What fixtures/src/tramp_v1_call.c (trampfd v1 invocations and failures) must print,
// derived from the trampfd v1 RFC as ../shared/spec/trampfd.md records it (section numbers
// below) and from the fixture's own targets, not from a run of ushim: Linux never merged
// trampfd. "[inferred]" marks what the spec infers.

/** The fixture's targets: target_add(a, b) = 100a + b; mul_add closures a * k + b. */
const targetAdd = (a: number, b: number): number => 100 * a + b;

/** §1.7 step 5 with TRAMPFD_SET_SP: sp = round_down(rsp - size - offset, 16) - 8. */
function setSpLine(offset: number, size: number): string {
  const before = 0x10000 - 8; // the fixture's stack top is 16-aligned; the call pushed 8
  const rsp = ((before - size - offset) & ~15) - 8;
  const data = '0123456789abcdefghijklmn'.slice(0, size);
  const pad = (n: number): string => String(n).padStart(2);
  return `SET_SP offset ${pad(offset)} size ${pad(size)}: rsp as specified (before - ${before - rsp}), rsp % 16 = ${rsp % 16}, data '${data}'`;
}

function invocation(): string[] {
  let sum = 0;
  for (let i = 0; i < 1000; i++) sum += targetAdd(5, i); // rdi from the context, rsi the caller's
  let closures = 0;
  for (let round = 0; round < 50; round++) for (let i = 0; i < 8; i++) closures += round * (i + 2) + i;
  const setSp: string[] = [];
  for (let offset = 0; offset <= 24; offset += 8) for (let size = 8; size <= 24; size += 8) setSp.push(setSpLine(offset, size));
  return [
    // §1.7 step 4: the context's registers are loaded, in array order, rip last set wins.
    `call(1, 2) with rdi=42 rsi=7 rip=target_add: ${targetAdd(42, 7)}`,
    `call(1, 2) with only rip=target_add: ${targetAdd(1, 2)}`,
    `registers in array order (rdi 1 then 5; rip other then add): ${targetAdd(5, 2)}`,
    `1000 invocations: sum ${sum}`,
    // §1.5: rax..r15 may be set; §1.7 step 6: RFLAGS unchanged; without a stack context
    // the target sees a normal function entry.
    'all 15 registers loaded: yes',
    'rflags CF kept: yes',
    "rsp at target = caller's rsp - 8 (return address pushed): yes",
    // §1.7 step 5 without SET_SP: data at rsp - size - offset, rsp unchanged.
    "stack data below rsp, offset 0: 'ABCDEFGH12345678'",
    "stack data below rsp, offset 32: 'abcdefgh'",
    ...setSp,
    // Closures: r10 carries the closure, k = i + 2, called with (round, i).
    `8 closures x 50 calls: ${closures}`,
    'closure 3 (k=5): 10*5+1 = 51',
    // §1.6: the trampoline lives until the last fd and the last mapping are gone.
    'closure 3 after close(fd): 52',
    // §1.4: setting the list does not re-check an installed register context.
    'PCS set to {target_other} after the context: ok',
    `invocation still goes to target_add: ${targetAdd(3, 4)}`,
  ];
}

function failures(): string[] {
  const segv = (label: string, code: string): string => `${label}: SIGSEGV ${code}, si_addr == expected, rip == expected`;
  return [
    // §1.7 step 3: no register context, a normal SIGSEGV at the trampoline.
    segv('call without a register context', 'SEGV_ACCERR'),
    `call with a context: ${targetAdd(2, 3)}`,
    // §1.7 step 2: only the invocation address is handled.
    segv('call into the middle (+8)', 'SEGV_ACCERR'),
    segv('call to the last byte', 'SEGV_ACCERR'),
    // §1.7: a data access to the page stays an ordinary SIGSEGV.
    'read of the page: SEGV_ACCERR, si_addr in the page: yes',
    'write to the page: SEGV_ACCERR, si_addr in the page: yes',
    segv('call after the context was deleted', 'SEGV_ACCERR'),
    // §1.7 step 5 [inferred]: a faulting push is the unhandled fetch fault, registers applied.
    'stack push into a guard page: SEGV_ACCERR, si_addr == trampoline: yes, rip == target: yes',
    // §1.6: the mapping is not inherited (a hole in the child); the fd is, and maps anew.
    'child: mapping present: no',
    segv('child: call', 'SEGV_MAPERR'),
    'child: the fd is inherited: yes',
    `child: maps the inherited fd: yes, call: ${targetAdd(4, 4)}`,
    `child exited 7; parent still calls: ${targetAdd(5, 6)}`,
    // §1.2: close-on-exec; the exec'd fixture exits 3.
    'after exec: fd closed',
    'exec child exited 3',
    segv('call after munmap', 'SEGV_MAPERR'),
  ];
}

export function trampfdV1CallExpected(): string {
  return [...invocation(), ...failures()].join('\n') + '\n';
}
