// What fixtures/src/tramp_ffi_tfd.c must print with trampfd on, derived from the trampfd
// spec (../shared/spec/trampfd.md) and from the fixture's closure handlers, not from a run
// of ushim. Every backend (v2 table slots, v1 trampolines, libffi's own ffi_closure_alloc)
// carries the same four closures, so each prints the same results.

/** §2.2: an x86-64 table holds 4096 / 40 trampolines. */
const V2_TABLE = Math.floor(4096 / 40);

/** The fixture's closure data: k = 7 (int and struct handlers), scale = 1.5 (double). */
const K = 7;
const SCALE = 1.5;

function backendLines(name: string): string[] {
  let sum = 0;
  for (let i = 0; i < 2000; i++) sum += i * K + 1; // h_int(i, 1)
  const point = { x: 10, y: 1.25, tag: 'a' }; // h_struct: {x + k, y * 2, tag + 1}
  return [
    `${name}: prep 0`,
    `${name}: int 6*7+5 = ${6 * K + 5}`,
    `${name}: double 2.5*1.5+0.5*4 = ${(2.5 * SCALE + 0.5 * 4).toFixed(3)}`,
    `${name}: struct {${point.x + K}, ${(point.y * 2).toFixed(2)}, ${String.fromCharCode(point.tag.charCodeAt(0) + 1)}}`,
    `${name}: variadic 1+2+3 = ${1 + 2 + 3}`,
    `${name}: 2000 calls, sum ${sum}`,
  ];
}

export function trampfdFfiExpected(): string {
  return [`trampfd v2: table of ${V2_TABLE}`, ...backendLines('v2'), ...backendLines('v1'), ...backendLines('ffi_closure_alloc')].join('\n') + '\n';
}
