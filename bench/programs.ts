// Real programs from Debian, run natively and under ushim in the same scratch setup: whether
// ushim's run matches (stdout and exit status), the median wall times of both, and the
// system calls ushim answered -ENOSYS (from --stats). Writes a table to stdout and
// bench/programs.md. Timing here is whole-program wall time, start-up included.
//
// Usage: node dist/bench/programs.js [--runs N] [NAME...]

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const USHIM = join(REPO, 'bin', 'ushim');

interface Program {
  name: string;
  /** What runs: argv[0] is an absolute path. */
  argv: string[];
  /** Prepares the scratch directory (the working directory of both runs). */
  setup?: (dir: string) => void;
}

function numbers(dir: string): void {
  const lines: string[] = [];
  for (let i = 0; i < 200_000; i++) lines.push(String((i * 7919) % 100_003));
  writeFileSync(join(dir, 'data.txt'), lines.join('\n') + '\n');
}

function tree(dir: string): void {
  numbers(dir);
  mkdirSync(join(dir, 'src/sub'), { recursive: true });
  for (let i = 0; i < 50; i++) writeFileSync(join(dir, `src/sub/f${i}.txt`), `file ${i}\n`.repeat(i + 1));
  writeFileSync(join(dir, 'Makefile'), 'all: a b\n\techo done\na:\n\tprintf "%s\\n" one > a\nb: a\n\tcat a a > b\n');
}

const PYTHON = `
import threading, subprocess, sqlite3, zlib, json, tempfile
out = []
def work(i): out.append(sum(range(i * 10000)))
ts = [threading.Thread(target=work, args=(i,)) for i in range(8)]
[t.start() for t in ts]; [t.join() for t in ts]
db = sqlite3.connect(':memory:'); db.execute('create table t(x)')
db.executemany('insert into t values (?)', [(i,) for i in range(20000)])
print(sorted(out)[-1], db.execute('select sum(x) from t').fetchone()[0])
print(len(zlib.compress(json.dumps(list(range(50000))).encode())))
print(subprocess.run(['/bin/echo', 'child'], capture_output=True, text=True).stdout.strip())
with tempfile.TemporaryDirectory() as d: print('tempdir ok')
`;

const GIT = 'git init -q -b main . && git config user.email a@b && git config user.name n && ' +
  'git add src && git commit -q -m first && echo more >> src/sub/f1.txt && git diff --stat && git log --format=%s';

const PROGRAMS: Program[] = [
  { name: 'ls -la /usr/bin', argv: ['/bin/ls', '-la', '/usr/bin'] },
  { name: 'sort -n (200k lines)', argv: ['/usr/bin/sort', '-n', 'data.txt'], setup: numbers },
  { name: 'wc', argv: ['/usr/bin/wc', 'data.txt'], setup: numbers },
  { name: 'cp -a, stat', argv: ['/bin/bash', '-c', 'cp -a src copy && stat -c "%n %s %a" copy/sub/f7.txt'], setup: tree },
  { name: 'tar c, tar t', argv: ['/bin/bash', '-c', 'tar cf - src | tar tf - | sort | head -3'], setup: tree },
  { name: 'bash loop', argv: ['/bin/bash', '-c', 's=0; for ((i=0;i<20000;i++)); do s=$((s+i%7)); done; echo $s $(echo sub)'] },
  { name: 'perl hash', argv: ['/usr/bin/perl', '-e', 'my %h; $h{$_ % 1000} += $_ for 1..300000; print scalar(keys %h), " ", $h{7}, "\\n"'] },
  { name: 'python3 threads/sqlite3/zlib', argv: ['/usr/bin/python3', '-c', PYTHON] },
  { name: 'gzip -9', argv: ['/bin/gzip', '-9', '-n', '-c', 'data.txt'], setup: numbers },
  { name: 'xz', argv: ['/usr/bin/xz', '-T1', '-c', 'data.txt'], setup: numbers },
  { name: 'sqlite3 shell', argv: ['/usr/bin/sqlite3', ':memory:', 'with recursive c(x) as (select 1 union all select x+1 from c where x<200000) select count(*), sum(x) from c;'] },
  { name: 'git init/add/commit/diff/log', argv: ['/bin/bash', '-c', GIT], setup: tree },
  { name: 'make', argv: ['/usr/bin/make', '-s'], setup: tree },
  { name: 'busybox awk getline', argv: ['/bin/busybox', 'awk', 'BEGIN { while (("echo one; echo two" | getline l) > 0) print "got", l }'] },
  { name: 'Go net/http loopback', argv: [join(REPO, 'fixtures', 'build', 'go', 'http_loopback')] },
];

interface Run {
  ms: number;
  status: number | null;
  signal: string | null;
  digest: string;
}

function runOnce(argv: string[], dir: string): Run {
  const start = performance.now();
  const r = spawnSync(argv[0], argv.slice(1), { cwd: dir, maxBuffer: 1 << 28, timeout: 600_000 });
  const ms = performance.now() - start;
  return { ms, status: r.status, signal: r.signal, digest: createHash('sha256').update(r.stdout ?? '').digest('hex') };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

interface Row {
  name: string;
  pass: boolean;
  nativeMs: number;
  ushimMs: number;
  enosys: string[];
}

/** One run in a fresh scratch directory set up for the program; ushim's also reports its -ENOSYS calls. */
function runIn(p: Program, under: 'native' | 'ushim', enosys: Set<string>): Run {
  const dir = mkdtempSync(join(tmpdir(), 'ushim-programs-'));
  const stats = `${dir}.stats`;
  try {
    p.setup?.(dir);
    const argv = under === 'native' ? p.argv : [process.execPath, USHIM, '--crash-report=off', `--stats=${stats}`, ...p.argv];
    const r = runOnce(argv, dir);
    if (under === 'ushim') {
      for (const m of readFileOr(stats).matchAll(/unimplemented \(-ENOSYS\): (.*)/g)) for (const e of m[1].split(', ')) enosys.add(e.split(' ')[0]);
    }
    return r;
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(stats, { force: true });
  }
}

function measure(p: Program, runs: number): Row {
  const nativeMs: number[] = [];
  const ushimMs: number[] = [];
  const enosys = new Set<string>();
  let pass = true;
  for (let i = 0; i < runs; i++) {
    const n = runIn(p, 'native', enosys);
    const u = runIn(p, 'ushim', enosys);
    nativeMs.push(n.ms);
    ushimMs.push(u.ms);
    pass &&= n.status === u.status && n.signal === u.signal && n.digest === u.digest;
  }
  return { name: p.name, pass, nativeMs: median(nativeMs), ushimMs: median(ushimMs), enosys: [...enosys].sort() };
}

function readFileOr(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function main(): void {
  const args = process.argv.slice(2);
  let runs = 3;
  const names: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--runs') runs = Number(args[++i]);
    else names.push(args[i]);
  }
  const chosen = PROGRAMS.filter((p) => names.length === 0 || names.some((n) => p.name.includes(n)));
  const rows = chosen.map((p) => {
    const row = measure(p, runs);
    process.stderr.write(`${row.name}: ${row.pass ? 'pass' : 'FAIL'} native ${row.nativeMs.toFixed(0)} ms, ushim ${row.ushimMs.toFixed(0)} ms\n`);
    return row;
  });
  const lines = [
    '# Real programs under ushim',
    '',
    `- date: ${new Date().toISOString()}; median of ${runs} runs each, wall time with start-up; \`node dist/bench/programs.js\``,
    '- pass: the same stdout and exit status as the native run',
    '',
    '| program | pass | native | ushim | ushim/native | -ENOSYS calls seen |',
    '| ------- | ---- | ------ | ----- | ------------ | ------------------ |',
    ...rows.map((r) => `| ${r.name} | ${r.pass ? 'yes' : 'no'} | ${r.nativeMs.toFixed(0)} ms | ${r.ushimMs.toFixed(0)} ms | ${(r.ushimMs / r.nativeMs).toFixed(1)}x | ${r.enosys.join(', ') || 'none'} |`),
    '',
  ];
  process.stdout.write(lines.join('\n'));
  if (names.length === 0) writeFileSync(join(REPO, 'bench', 'programs.md'), lines.join('\n'));
}

main();
