// The README's syscall support matrix: rendering from a small fake table, and the real
// README being up to date with the real table (the same check as `support-matrix.js --check`).
import { strict as assert } from 'node:assert';
import type { SyscallInfo } from '../../syscalls/numbers.js';
import type { SyscallDef } from '../../syscalls/types.js';
import {
  BEGIN_MARKER,
  END_MARKER,
  README_PATH,
  checkReadme,
  countBySupport,
  matrixRows,
  renderSupportMatrix,
  replaceSection,
} from '../../emu/support-matrix.js';

const handler = () => 0;

// Deliberately out of order: the matrix is ordered by number.
const ROWS: SyscallInfo[] = [
  { nr: 59, name: 'execve', entry: 'sys_execve', noreturn: false },
  { nr: 0, name: 'read', entry: 'sys_read', noreturn: false },
  { nr: 134, name: 'uselib', entry: null, noreturn: false },
  { nr: 16, name: 'ioctl', entry: 'sys_ioctl', noreturn: false },
  { nr: 149, name: 'mlock', entry: 'sys_mlock', noreturn: false },
  { nr: 1, name: 'write', entry: 'sys_write', noreturn: false },
];

const DEFS: (SyscallDef | undefined)[] = [];
DEFS[0] = { name: 'read', handler, support: 'full' };
DEFS[1] = { name: 'write', handler, support: 'full' };
DEFS[16] = { name: 'ioctl', handler, support: 'partial', note: 'TCGETS | TIOCGWINSZ only; <others> -ENOTTY' };
DEFS[59] = { name: 'execve', handler, support: 'partial', ptregs: true, note: 'static ELF and #! scripts' };
DEFS[149] = { name: 'mlock', handler, support: 'stub' };
const FAKE = { byNumber: DEFS };

describe('support matrix', () => {
  it('lists every row in number order with its level', () => {
    const rows = matrixRows(FAKE, ROWS);
    assert.deepEqual(rows.map((r) => r.nr), [0, 1, 16, 59, 134, 149]);
    assert.deepEqual(rows.map((r) => r.support), ['full', 'full', 'partial', 'partial', 'none', 'stub']);
    assert.deepEqual(rows.filter((r) => r.ptregs).map((r) => r.name), ['execve']);
    assert.deepEqual(rows.filter((r) => r.reserved).map((r) => r.name), ['uselib']);
    assert.deepEqual(countBySupport(rows), { full: 2, partial: 2, stub: 1, none: 1 });
  });

  it('renders a summary line and a table', () => {
    const md = renderSupportMatrix(FAKE, ROWS);
    const lines = md.split('\n');
    assert.equal(lines[0], '6 syscall numbers: 2 full, 2 partial, 1 stub, 1 none (1 of them reserved in Linux); 1 ptregs.');
    assert.equal(lines[1], '');
    assert.equal(lines[2], '| nr | name | support | notes |');
    assert.equal(lines[3], '| ---: | --- | --- | --- |');
    assert.deepEqual(lines.slice(4), [
      '| 0 | `read` | full |  |',
      '| 1 | `write` | full |  |',
      '| 16 | `ioctl` | partial | TCGETS \\| TIOCGWINSZ only; &lt;others> -ENOTTY |',
      '| 59 | `execve` | partial | ptregs; static ELF and #! scripts |',
      '| 134 | `uselib` | none | reserved: -ENOSYS in Linux too |',
      '| 149 | `mlock` | stub |  |',
    ]);
  });

  it('escapes | in notes so that every row keeps four cells', () => {
    const md = renderSupportMatrix({ byNumber: [{ name: 'read', handler, support: 'partial', note: 'a|b||c\nd' }] }, ROWS.slice(1, 2));
    const row = md.split('\n')[4];
    assert.equal(row, '| 0 | `read` | partial | a\\|b\\|\\|c d |');
    assert.equal(row.split(/(?<!\\)\|/).length - 2, 4);
  });

  it('replaces only what lies between the markers', () => {
    const doc = `# title\n\n${BEGIN_MARKER}\nold\nstuff\n${END_MARKER}\n\nafter\n`;
    const out = replaceSection(doc, 'NEW');
    assert.equal(out, `# title\n\n${BEGIN_MARKER}\n\nNEW\n\n${END_MARKER}\n\nafter\n`);
    assert.equal(replaceSection(out, 'NEW'), out);
    assert.throws(() => replaceSection('# no markers\n', 'NEW'), /markers/);
    assert.throws(() => replaceSection(`${END_MARKER}\n${BEGIN_MARKER}\n`, 'NEW'), /markers/);
  });

  it('README.md is up to date with the syscall table (node dist/emu/support-matrix.js)', () => {
    const state = checkReadme();
    assert.ok(state.upToDate, `${README_PATH} is out of date: run 'npm run build && node dist/emu/support-matrix.js'`);
  });
});
