// The syscall table is one entry per number: every row of syscall_64.tbl has a name, and every
// implemented entry (support other than 'none') carries its handler, strace argument kinds,
// result kind and support level, and a note where the support is partial or a stub.
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { specKind } from '../../syscalls/argkinds.js';
import { SYSCALLS } from '../../syscalls/numbers.js';
import { argKinds, argKindsOf, resultKindOf } from '../../syscalls/strace-signature.js';
import { formatSyscall, type GuestReader } from '../../syscalls/strace.js';
import { ALL_DEFINITIONS, buildTable } from '../../syscalls/table.js';
import type { SyscallDef } from '../../syscalls/types.js';

// dist/test/unit -> repository root -> the shared spec beside it; numbers.ts is generated from
// it (test/unit/abi-numbers.test.ts), so without the spec the generated rows stand in for it.
const TABLE = fileURLToPath(new URL('../../../../shared/spec/syscall_64.tbl', import.meta.url));

function specRows(): { nr: number; name: string }[] {
  if (!existsSync(TABLE)) return SYSCALLS.map(({ nr, name }) => ({ nr, name }));
  return readFileSync(TABLE, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'))
    .map((l) => l.split(/\s+/))
    .filter(([, abi]) => abi === 'common' || abi === '64')
    .map(([nr, , name]) => ({ nr: Number(nr), name }));
}

const RESULT_KINDS = new Set([
  'dec', 'hex', 'octal', 'fcntl_getfl', 'fcntl_getfd', 'dumpable', 'personality', 'time', 'poll', 'ppoll',
  'select', 'pselect6', 'sched_policy', 'membarrier_query',
]);
const LEVELS = new Set(['full', 'partial', 'stub', 'none']);
const implemented = ALL_DEFINITIONS.filter((d) => d.support !== 'none');

/** What an entry lacks, as a list of field names. */
function missingFields(def: SyscallDef): string[] {
  const missing: string[] = [];
  if (typeof def.name !== 'string' || def.name === '') missing.push('name');
  if (typeof def.handler !== 'function') missing.push('handler');
  if (!LEVELS.has(def.support)) missing.push('support');
  if (!Array.isArray(def.args) && typeof def.args !== 'function') missing.push('args');
  if (typeof def.result !== 'function' && !RESULT_KINDS.has(def.result as string)) missing.push('result');
  if ((def.support === 'partial' || def.support === 'stub') && !def.note) missing.push('note');
  return missing;
}

/** Memory where nothing is readable: every pointer prints as an address. */
const unreadable: GuestReader = { readCString: () => null, readBytes: () => null };

/**
 * Memory full of varied bytes, so that every struct decoder runs; readable in the first page of
 * each 64 KiB only, so that walks of argv and envp end.
 */
const patterned: GuestReader = {
  readCString: (_addr, max) => 'abc'.slice(0, max),
  readBytes: (addr, len) =>
    Number(addr & 0xffffn) + len > 0x1000 ? null : Uint8Array.from({ length: len }, (_, i) => Number((addr + BigInt(i) * 37n) & 0xffn)),
};

/** Raw arguments that exercise the value-dependent signatures (O_CREAT, F_SETFL, FUTEX_WAIT_BITSET, ...). */
const SAMPLE_ARGS: readonly (readonly bigint[])[] = [
  [0n, 0n, 0n, 0n, 0n, 0n],
  [3n, 4n, 0x40n, 0x20n, 3n, 9n],
  [0x7ffd0000n, 0x5401n, 0x42n, 3n, 0n, 0x1n],
  [0xffffffffn, 0x2000n, 0x2n, 0x4n, 0x10n, 0x20n],
];

/**
 * The calls whose untyped pointer arguments ('ptr') strace too prints as bare addresses,
 * and why. Any other call printing a 'ptr' shows an address where strace decodes a structure
 * or a stored value, so the table test fails until the entry gets a typed kind.
 */
const ADDRESS_ONLY: Readonly<Record<string, string>> = {
  rseq: 'strace prints the area as an address (it changes under the program)',
  mmap: 'a mapping address',
  munmap: 'a mapping address',
  mprotect: 'a mapping address',
  mremap: 'mapping addresses',
  brk: 'the break address',
  madvise: 'a mapping address',
  msync: 'a mapping address',
  mincore: 'a mapping address',
  mlock: 'a mapping address',
  munlock: 'a mapping address',
  mlock2: 'a mapping address',
  futex: 'the futex words (uaddr, uaddr2), whose values strace does not read',
  set_tid_address: 'the clear_child_tid address the kernel keeps',
  set_robust_list: 'the robust list head the kernel keeps',
  getcpu: 'tcache, unused since Linux 2.6.24',
  clone: 'child_stack, parent_tid, child_tidptr and tls, printed as addresses by strace',
  syslog: 'the unused buffer argument of the actions that take none',
  ptrace: 'addr/data of requests ushim refuses (nothing can be traced); strace shows them raw on failure',
  ioctl: 'the rarer terminal ioctls (termio, modem lines, line discipline), not decoded yet',
  shmat: 'a mapping address',
  shmdt: 'a mapping address',
  shmctl: 'the unused argument of IPC_RMID and SHM_LOCK/SHM_UNLOCK, and of unknown commands',
  semctl: 'the unused argument of IPC_RMID and the GET* commands; GETALL/SETALL arrays, which strace too prints as an address',
  msgctl: 'the unused argument of IPC_RMID and of unknown commands',
  pkey_mprotect: 'a mapping address',
  mseal: 'a mapping address',
  futex_wake: 'the futex word, whose value strace does not read',
  futex_wait: 'the futex word and the timeout (absolute, on the clock named last), not decoded yet',
  futex_waitv: 'the struct futex_waitv array and the timeout, not decoded yet',
  futex_requeue: 'the struct futex_waitv pair, not decoded yet',
  mbind: 'a mapping address, and the nodemask, not decoded yet',
  set_mempolicy: 'the nodemask, not decoded yet',
  get_mempolicy: 'the mode and nodemask it fills, and an address it looks up; not decoded yet',
  set_mempolicy_home_node: 'a mapping address',
  migrate_pages: 'the two nodemasks, not decoded yet',
  move_pages: 'the page, node and status arrays, not decoded yet',
  mount: 'the filesystem-specific data, printed as an address when not a string',
  reboot: 'the RESTART2 command string, refused before it is read',
  init_module: 'the module image, which strace prints as an address',
  kexec_load: 'the kexec segments, refused before they are read',
  fsconfig: 'the value, whose type depends on the command; not decoded yet',
  mount_setattr: 'struct mount_attr, refused before it is read; not decoded yet',
  adjtimex: 'struct timex, not decoded yet',
  clock_adjtime: 'struct timex, not decoded yet',
};

/** Values that select each branch of a value-dependent signature: small numbers and known commands. */
const PROBE_VALUES: readonly bigint[] = [
  ...Array.from({ length: 64 }, (_, i) => BigInt(i)),
  ...[0x1001, 0x1002, 0x1003, 0x1004, 0x1011, 0x1012, 0x1021, 0x1022, 0x1023, 0x1024, 0x1025].map(BigInt),
  ...Array.from({ length: 16 }, (_, i) => BigInt(1024 + i)),
  ...Array.from({ length: 9 }, (_, i) => BigInt(0x4200 + i)),
  ...Array.from({ length: 0x60 }, (_, i) => BigInt(0x5401 + i)),
  0x1000n, 0x80000n, 0x100000n, 0x200000n, 0x1000000n, 0x1380000n, 0xffffffffn,
];

/** Every argument list a signature is probed with: each of the first four arguments set to each probe value. */
function probeArgs(): readonly (readonly bigint[])[] {
  const lists: bigint[][] = [];
  for (let i = 0; i < 4; i++) {
    for (const v of PROBE_VALUES) lists.push(Array.from({ length: 6 }, (_, j) => (j === i ? v : 0n)));
  }
  return [...SAMPLE_ARGS, ...lists];
}

/** The implemented calls that print an untyped pointer for some argument values. */
function rawPointerCalls(defs: readonly SyscallDef[]): string[] {
  const probes = probeArgs();
  return defs
    .filter((d) => d.support !== 'none')
    .filter((d) => (typeof d.args === 'function' ? probes : [[]]).some((args) => argKindsOf(d, args).some((k) => specKind(k) === 'ptr')))
    .map((d) => d.name);
}

describe('syscall table', function () {
  it('names every number of syscall_64.tbl, and each entry sits at its name\'s number', function () {
    const table = buildTable();
    const rows = specRows();
    assert.ok(rows.length > 300, `only ${rows.length} rows`);
    for (const { nr, name } of rows) {
      assert.equal(table.nameOf(nr), name, `nr ${nr}`);
      const def = table.byNumber[nr];
      if (def !== undefined) assert.equal(def.name, name, `nr ${nr} holds ${def.name}`);
    }
  });

  it('gives every implemented entry a name, handler, argument kinds, result kind, support level, and a note where partial or stub', function () {
    assert.ok(implemented.length > 180, `only ${implemented.length} implemented entries`);
    const incomplete = implemented.map((d) => [d.name, missingFields(d)] as const).filter(([, m]) => m.length > 0);
    assert.deepEqual(incomplete, [], incomplete.map(([n, m]) => `${n} lacks ${m.join(', ')}`).join('; '));
  });

  it('catches an entry that lacks a field', function () {
    const handler = () => 0;
    assert.deepEqual(missingFields({ name: 'read', handler, support: 'full' }), ['args', 'result']);
    assert.deepEqual(missingFields({ name: 'read', handler, support: 'stub', args: [], result: 'dec' }), ['note']);
    assert.deepEqual(missingFields({ name: 'read', handler, support: 'full', args: ['fd'], result: 'dec' }), []);
  });

  it('decodes every implemented call: no entry falls back to six raw hex arguments', function () {
    const raw = implemented.filter((d) => SAMPLE_ARGS.some((args) => {
      const kinds = argKindsOf(d, args);
      return kinds.length === 6 && kinds.every((k) => specKind(k) === 'hex');
    }));
    assert.deepEqual(raw.map((d) => d.name), []);
  });

  it('formats every entry with any arguments, success or failure, without throwing or printing undefined', function () {
    for (const def of ALL_DEFINITIONS) {
      for (const args of SAMPLE_ARGS) {
        const kinds = argKindsOf(def, args);
        assert.ok(kinds.length <= 6, `${def.name} prints ${kinds.length} arguments`);
        assert.ok(RESULT_KINDS.has(resultKindOf(def, args)), def.name);
        for (const mem of [unreadable, patterned]) {
          for (const result of [0n, 5n, -22n, null]) {
            const line = formatSyscall(def.name, kinds, args, result, mem, { column: 0 });
            assert.ok(line.startsWith(`${def.name}(`) && !line.includes('undefined') && !line.includes('NaN'), line);
          }
        }
      }
    }
  });

  it('decodes what every pointer argument points to, as strace does, except where strace too prints the address', function () {
    const raw = rawPointerCalls(ALL_DEFINITIONS).filter((name) => !Object.hasOwn(ADDRESS_ONLY, name));
    assert.deepEqual(raw, [], `untyped pointer arguments in: ${raw.join(', ')}; give them a struct or box kind (argkinds.ts)`);
  });

  it('catches an entry that prints an untyped pointer', function () {
    const handler = () => 0;
    const entry: SyscallDef = { name: 'stat', handler, support: 'full', args: ['path', 'ptr'], result: 'dec' };
    assert.deepEqual(rawPointerCalls([entry]), ['stat']);
    assert.deepEqual(rawPointerCalls([{ ...entry, args: ['path', 'stat_out'] }]), []);
    assert.deepEqual(rawPointerCalls([{ ...entry, args: (a) => (a[0] === 0x5413n ? ['ptr'] : ['int']) }]), ['stat']);
  });

  it('looks a call up by name the way --strace does, and falls back to raw arguments for unknown names', function () {
    assert.deepEqual(argKinds('close', [3n]), ['fd']);
    assert.deepEqual(argKinds('no_such_call', []), ['hex', 'hex', 'hex', 'hex', 'hex', 'hex']);
  });
});
