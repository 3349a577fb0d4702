// Generates the README's syscall support matrix from the syscall table.
//
//   node dist/emu/support-matrix.js            rewrite the section of README.md between the markers
//   node dist/emu/support-matrix.js --check    exit 1 if README.md is out of date (CI)
//
// The markdown comes from renderSupportMatrix(), a pure function of the table and the
// x86-64 syscall rows, so that it can be unit-tested with a small fake table.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SYSCALLS, type SyscallInfo } from '../syscalls/numbers.js';
import { buildTable, type SyscallTable } from '../syscalls/table.js';
import type { Support } from '../syscalls/types.js';

export const BEGIN_MARKER = '<!-- support-matrix:begin -->';
export const END_MARKER = '<!-- support-matrix:end -->';

export const SUPPORT_LEVELS: readonly Support[] = ['full', 'partial', 'stub', 'none'];

/** README.md of the repository (this file runs as dist/emu/support-matrix.js). */
export const README_PATH = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'README.md');

export interface MatrixRow {
  nr: number;
  name: string;
  support: Support;
  /** The handler receives the whole register frame. */
  ptregs: boolean;
  /** No kernel entry point: Linux itself answers -ENOSYS. */
  reserved: boolean;
  note?: string;
}

/** One row per syscall number of `rows`, in number order, with its level from the table. */
export function matrixRows(
  table: Pick<SyscallTable, 'byNumber'>,
  rows: readonly SyscallInfo[] = SYSCALLS,
): MatrixRow[] {
  return [...rows]
    .sort((a, b) => a.nr - b.nr)
    .map((info) => {
      const def = table.byNumber[info.nr];
      const reserved = info.entry === null || info.entry === 'sys_ni_syscall';
      const row: MatrixRow = { nr: info.nr, name: info.name, support: def?.support ?? 'none', ptregs: def?.ptregs === true, reserved };
      if (def?.note !== undefined) row.note = def.note;
      return row;
    });
}

export function countBySupport(rows: readonly MatrixRow[]): Record<Support, number> {
  const counts: Record<Support, number> = { full: 0, partial: 0, stub: 0, none: 0 };
  for (const r of rows) counts[r.support]++;
  return counts;
}

/** Makes text safe inside a markdown table cell. */
export function escapeCell(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/</g, '&lt;')
    .replace(/\r?\n/g, ' ');
}

function notesOf(row: MatrixRow): string {
  const parts: string[] = [];
  if (row.ptregs) parts.push('ptregs');
  if (row.reserved && row.support === 'none') parts.push('reserved: -ENOSYS in Linux too');
  if (row.note !== undefined) parts.push(escapeCell(row.note));
  return parts.join('; ');
}

/** The markdown between the README markers: a summary line, then the table. */
export function renderSupportMatrix(
  table: Pick<SyscallTable, 'byNumber'>,
  rows: readonly SyscallInfo[] = SYSCALLS,
): string {
  const matrix = matrixRows(table, rows);
  const counts = countBySupport(matrix);
  const reserved = matrix.filter((r) => r.reserved && r.support === 'none').length;
  const ptregs = matrix.filter((r) => r.ptregs).length;
  const levels = SUPPORT_LEVELS.map((level) =>
    level === 'none' && reserved > 0 ? `${counts.none} none (${reserved} of them reserved in Linux)` : `${counts[level]} ${level}`,
  ).join(', ');
  const out = [
    `${matrix.length} syscall numbers: ${levels}; ${ptregs} ptregs.`,
    '',
    '| nr | name | support | notes |',
    '| ---: | --- | --- | --- |',
  ];
  for (const r of matrix) out.push(`| ${r.nr} | \`${r.name}\` | ${r.support} | ${notesOf(r)} |`);
  return out.join('\n');
}

/** Replaces what lies between the markers of `document` with `section`. */
export function replaceSection(document: string, section: string): string {
  const begin = document.indexOf(BEGIN_MARKER);
  const end = document.indexOf(END_MARKER);
  if (begin < 0 || end < 0 || end < begin) {
    throw new Error(`support-matrix: README.md needs the markers ${BEGIN_MARKER} and ${END_MARKER}, in that order`);
  }
  return `${document.slice(0, begin + BEGIN_MARKER.length)}\n\n${section}\n\n${document.slice(end)}`;
}

export interface ReadmeState {
  upToDate: boolean;
  /** The README as it is and as it should be. */
  current: string;
  expected: string;
}

/** The --check logic: compares the README with what the current table generates. */
export function checkReadme(readmePath: string = README_PATH, table: Pick<SyscallTable, 'byNumber'> = buildTable()): ReadmeState {
  const current = readFileSync(readmePath, 'utf8');
  const expected = replaceSection(current, renderSupportMatrix(table));
  return { upToDate: current === expected, current, expected };
}

export function main(argv: string[]): number {
  const check = argv.includes('--check');
  const unknown = argv.filter((a) => a !== '--check');
  if (unknown.length > 0) {
    process.stderr.write(`support-matrix: unknown argument '${unknown[0]}'\nusage: node dist/emu/support-matrix.js [--check]\n`);
    return 2;
  }
  const table = buildTable();
  const state = checkReadme(README_PATH, table);
  if (check) {
    if (state.upToDate) return 0;
    process.stderr.write(`support-matrix: ${README_PATH} is out of date; run 'node dist/emu/support-matrix.js' after building\n`);
    return 1;
  }
  if (!state.upToDate) writeFileSync(README_PATH, state.expected);
  const counts = countBySupport(matrixRows(table));
  process.stdout.write(
    `support-matrix: ${state.upToDate ? 'unchanged' : 'updated'} ${README_PATH} (${SUPPORT_LEVELS.map((l) => `${l} ${counts[l]}`).join(', ')})\n`,
  );
  return 0;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
