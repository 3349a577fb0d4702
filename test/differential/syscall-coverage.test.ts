// Every syscall the support matrix calls full or partial is made by at least one fixture
// (issue 10: "every one with a fixture"). Root hooks: the log starts empty before the first
// test of the run and is read after the last, so the check needs the whole suite, as npm
// test runs it (USHIM_SYSCALL_LOG set); without the variable there is nothing to check.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { matrixRows } from '../../emu/support-matrix.js';
import { buildTable } from '../../syscalls/table.js';
import { openSyscallLog, syscallLogFile, syscallsInLog } from './syscall-log.js';

before(function () {
  openSyscallLog(true);
});

after(function () {
  const file = syscallLogFile();
  if (file === undefined) return;
  const seen = syscallsInLog(fs.readFileSync(file, 'latin1'));
  const unexercised = matrixRows(buildTable())
    .filter((r) => (r.support === 'full' || r.support === 'partial') && !seen.has(r.name))
    .map((r) => `${r.name} (${r.support})`);
  assert.deepEqual(unexercised, [], `full or partial in the syscall table, made by no fixture (log: ${file})`);
});
