// syscalls/numbers.ts must be what scripts/gen-syscall-numbers.mjs makes of the spec's table.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { requireFile } from '../host-requirements.js';
import { MAX_SYSCALL, NR, SYSCALL_BY_NR, SYSCALL_NAMES, SYSCALLS, syscallName } from '../../syscalls/numbers.js';

// dist/test/unit -> repository root -> the shared spec beside it (the project's layout; a
// clone elsewhere has no spec: the check is skipped there, and fails in CI).
const TABLE = fileURLToPath(new URL('../../../../shared/spec/syscall_64.tbl', import.meta.url));

describe('syscall numbers', function () {
  it('holds exactly the common and 64 rows of syscall_64.tbl', function () {
    requireFile(this, TABLE, "the project's shared/spec beside this checkout");
    const rows = readFileSync(TABLE, 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#'))
      .map((l) => l.split(/\s+/))
      .filter(([, abi]) => abi === 'common' || abi === '64')
      .map(([nr, , name, entry, , flag]) => ({ nr: Number(nr), name, entry: entry ?? null, noreturn: flag === 'noreturn' }));
    assert.deepEqual(
      SYSCALLS.map((s) => ({ ...s })),
      rows.sort((a, b) => a.nr - b.nr),
    );
  });

  it('marks reserved rows, noreturn calls and holes', function () {
    assert.equal(MAX_SYSCALL, 462);
    assert.equal(NR.openat, 257);
    assert.equal(NR.clone3, 435);
    assert.deepEqual(SYSCALL_BY_NR.get(134), { nr: 134, name: 'uselib', entry: null, noreturn: false });
    assert.equal(SYSCALL_BY_NR.get(4)?.entry, 'sys_newstat');
    assert.deepEqual(
      SYSCALLS.filter((s) => s.noreturn).map((s) => s.name),
      ['exit', 'exit_group'],
    );
    assert.equal(SYSCALLS.filter((s) => s.entry === null).length, 16);
    assert.equal(SYSCALL_NAMES.length, MAX_SYSCALL + 1);
    assert.equal(SYSCALL_NAMES[0], 'read');
    assert.equal(SYSCALL_NAMES[400], 'syscall_0x190');
    assert.equal(syscallName(512), 'syscall_0x200'); // x32 rows are not x86-64 calls
    assert.ok(Object.isFrozen(SYSCALLS) && Object.isFrozen(SYSCALLS[0]) && Object.isFrozen(SYSCALL_NAMES) && Object.isFrozen(NR));
  });
});
