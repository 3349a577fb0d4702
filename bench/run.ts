// Benchmark runner: times each program natively, under qemu-x86_64 and under
// ushim with hyperfine, checks every runner prints what native prints, and
// writes a table with the targets to stdout and bench/results.md. Benchmarks marked warm are
// also timed through the warm path (ushim --serve and its client, bench/warm-server.ts).
//
// Usage: node dist/bench/run.js [--quick] [--runs N] [NAME...]
//   USHIM_CMD overrides the ushim command (e.g. USHIM_CMD=qemu-x86_64).

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HostPeer } from './host-peer.js';
import { WarmServer } from './warm-server.js';

type Target = { kind: 'ratio-qemu'; max: number } | { kind: 'ratio-native'; max: number } | { kind: 'absolute-ms'; max: number } | { kind: 'none' };

interface Bench {
  name: string;
  program: string; // file name in bench/build/ (an absolute path with `installed`)
  args: string[];
  quickArgs: string[];
  target: Target;
  /**
   * The program execs busybox: under qemu-x86_64 that exec is wrapped in a new qemu, as
   * binfmt_misc would do (bare qemu-user runs exec'd programs natively).
   */
  execs?: boolean;
  /**
   * `program` is a host shell script in bench/, not a guest: it starts its guests itself,
   * each through the runner's command, which it gets in BENCH_RUN (empty: natively).
   */
  hostScript?: boolean;
  /** At most this many timed runs (each run of the benchmark is hundreds of guest starts). */
  maxRuns?: number;
  /** Also timed on the warm path (ushim --serve and its client, the 'warm' runner). */
  warm?: boolean;
  /** `program` is a program the setup installed from Debian (an absolute path), run as it is. */
  installed?: boolean;
  /** A program in bench/build/ run natively as the benchmark's peer while it is timed (bench/host-peer.ts). */
  hostPeer?: string;
}

// To add a benchmark: put its source in bench/src/ and append a line here.
const BENCHES: Bench[] = [
  // Targets of issue 13 (speed).
  { name: 'crc32', program: 'crc32', args: ['64'], quickArgs: ['4'], target: { kind: 'ratio-qemu', max: 1.2 } },
  { name: 'sha256', program: 'sha256', args: ['64'], quickArgs: ['4'], target: { kind: 'ratio-qemu', max: 1.5 } },
  { name: 'getpid', program: 'getpid', args: ['1000000'], quickArgs: ['50000'], target: { kind: 'ratio-qemu', max: 0.5 } },
  { name: 'hello', program: 'hello', args: [], quickArgs: [], target: { kind: 'absolute-ms', max: 60 }, warm: true },
  { name: 'touch', program: 'touch', args: ['1024'], quickArgs: ['64'], target: { kind: 'ratio-qemu', max: 3 } },
  { name: 'churn', program: 'churn', args: ['100000'], quickArgs: ['5000'], target: { kind: 'ratio-qemu', max: 3 } },
  { name: 'futex', program: 'futex_pingpong', args: ['200000'], quickArgs: ['10000'], target: { kind: 'ratio-qemu', max: 3 } },
  { name: 'atomic4', program: 'atomic_counter', args: ['2000000'], quickArgs: ['100000'], target: { kind: 'ratio-qemu', max: 1.5 } },
  // 100k 4 KiB mappings (Linux stops at vm.max_map_count): within 5x native.
  { name: 'mmaps', program: 'mmaps', args: ['100000'], quickArgs: ['20000'], target: { kind: 'ratio-native', max: 5 } },
  // Sockets (issue 11): loopback TCP between two guest processes (throughput >= 0.5x native:
  // time <= 2x), connect/accept/close, and a guest's stream to a host process.
  { name: 'tcp256', program: 'tcp_stream', args: ['256'], quickArgs: ['16'], target: { kind: 'ratio-native', max: 2 } },
  { name: 'tcpconn', program: 'tcp_connect', args: ['5000'], quickArgs: ['300'], target: { kind: 'ratio-qemu', max: 2 } },
  // The same stream from a guest to a host process (the peer runs natively for every runner).
  { name: 'tcp256host', program: 'tcp_to_host', args: ['256'], quickArgs: ['16'], target: { kind: 'ratio-native', max: 2 }, hostPeer: 'tcp_sink' },
  // Go's GC with 8 goroutines (bench/go/gcstress.go, built when golang-go is installed).
  { name: 'gogc', program: 'gcstress', args: ['40'], quickArgs: ['4'], target: { kind: 'ratio-qemu', max: 1.5 } },
  { name: 'forkexec', program: 'forkexec', args: ['300'], quickArgs: ['20'], target: { kind: 'ratio-qemu', max: 1 }, execs: true },
  { name: 'shloop', program: 'shloop', args: ['2000'], quickArgs: ['200'], target: { kind: 'ratio-qemu', max: 1.5 }, execs: true },
  // busybox on generated text files in /tmp (made once by the native run).
  { name: 'sha256sum', program: 'bbsha256', args: ['100'], quickArgs: ['8'], target: { kind: 'ratio-qemu', max: 1.5 }, execs: true },
  { name: 'gzip', program: 'bbgzip', args: ['50'], quickArgs: ['4'], target: { kind: 'ratio-qemu', max: 1.5 }, execs: true },
  // Issue 13: 300 short runs from a host shell (busybox applets in pipelines, as a test suite
  // runs them through a wrapper), each one a whole start-up and exit of the emulator.
  {
    name: 'shruns', program: 'shruns.sh', args: ['300'], quickArgs: ['30'], target: { kind: 'ratio-qemu', max: 1.5 },
    hostScript: true, maxRuns: 3, warm: true,
  },
  // userfaultfd (issue 6): missing-fault round trips and a 4-thread stress; qemu-user has no userfaultfd.
  // The program prints ns per round trip and faults/s on stderr.
  { name: 'uffd', program: 'uffd', args: ['20000'], quickArgs: ['2000'], target: { kind: 'absolute-ms', max: 4000 } },
  // Runtimes that generate code (issue 14; no target set): node's start-up, and LuaJIT's
  // trace compiler on a hot loop with table and string work (bench/luajit-loop.lua).
  { name: 'node-e', program: '/usr/bin/node', args: ['-e', 'console.log(1+1)'], quickArgs: ['-e', 'console.log(1+1)'], target: { kind: 'none' }, installed: true },
  {
    name: 'luajit', program: '/usr/bin/luajit', args: ['bench/luajit-loop.lua', '20000000'], quickArgs: ['bench/luajit-loop.lua', '1000000'],
    target: { kind: 'none' }, installed: true,
  },
];

/**
 * Benchmarks that time themselves and print their own table (per-call costs are too small for
 * whole-program timing). tramp: ns per call through each kind of trampoline (issue 4), run
 * natively and under ushim --wx=strict (so libffi's closures use the double-mapped memfd).
 */
interface SelfTimed {
  name: string;
  program: string;
  args: string[];
  quickArgs: string[];
  ushimArgs: string[];
  /** Checks on ushim's table: row name, column ('x plain' or 'x getpid'), maximum. */
  targets: { row: string; column: 'x plain' | 'x getpid'; max: number }[];
}

const SELF_TIMED: SelfTimed[] = [
  {
    name: 'tramp', program: 'tramp', args: ['2000000'], quickArgs: ['200000'], ushimArgs: ['--wx=strict'],
    targets: [
      { row: 'libffi static trampoline', column: 'x plain', max: 2 },
      { row: 'trampfd v2 trampoline', column: 'x plain', max: 2 },
      { row: 'trampfd v1 (fault per call)', column: 'x getpid', max: 10 },
    ],
  },
];

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
// A check run that takes longer than this is treated as a hang.
const CHECK_TIMEOUT_MS = 15 * 60 * 1000;

const RUNNERS = {
  native: [] as string[],
  qemu: ['qemu-x86_64'],
  ushim: process.env.USHIM_CMD ? process.env.USHIM_CMD.trim().split(/\s+/) : ['node', join(ROOT, 'bin', 'ushim')],
  /** The warm path's client (set once the server runs; empty: not measured). */
  warm: [] as string[],
};
/** The benchmarks' ushim --serve: idle workers, and runs each serves (in a fresh machine each). */
const WARM_WORKERS = 4;
const WARM_RUNS_PER_WORKER = 1000;
type Runner = keyof typeof RUNNERS;

function parseArgs(argv: string[]): { quick: boolean; runs: number; selected: Bench[]; selfTimed: SelfTimed[] } {
  let quick = false;
  let runs: number | undefined;
  const names: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quick') quick = true;
    else if (a === '--runs') runs = Number(argv[++i]);
    else if (a.startsWith('-')) throw new Error(`unknown option ${a}`);
    else names.push(a);
  }
  if (runs !== undefined && !(Number.isInteger(runs) && runs > 0)) throw new Error('--runs needs a positive integer');
  const known = [...BENCHES, ...SELF_TIMED].map((b) => b.name);
  for (const n of names) {
    if (!known.includes(n)) throw new Error(`unknown benchmark ${n}; known: ${known.join(', ')}`);
  }
  const selected = names.length ? BENCHES.filter((b) => names.includes(b.name)) : BENCHES;
  const selfTimed = names.length ? SELF_TIMED.filter((b) => names.includes(b.name)) : SELF_TIMED;
  return { quick, runs: runs ?? (quick ? 3 : 10), selected, selfTimed };
}

// hyperfine -N splits its command string shell-style, so quote each word.
function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The command line and environment that run `program` of benchmark `b` under `runner`. */
function runnerCommand(b: Bench, runner: Runner, program: string[], base: NodeJS.ProcessEnv): { cmd: string[]; env: NodeJS.ProcessEnv } {
  if (b.hostScript) return { cmd: program, env: { ...base, BENCH_RUN: RUNNERS[runner].join(' ') } };
  const env = runner === 'qemu' && b.execs ? { ...base, BENCH_EXEC_WRAPPER: RUNNERS.qemu[0] } : base;
  return { cmd: [...RUNNERS[runner], ...program], env };
}

/** Runs the command once; returns its stdout, or null if it failed. */
function check(cmd: string[], env: NodeJS.ProcessEnv): string | null {
  const r = spawnSync(cmd[0], cmd.slice(1), {
    cwd: ROOT,
    env,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
    timeout: CHECK_TIMEOUT_MS,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return r.status === 0 ? r.stdout : null;
}

/** Median wall time in ms over `runs` hyperfine runs, or null if hyperfine failed. */
function measure(cmd: string[], env: NodeJS.ProcessEnv, runs: number, tmp: string): number | null {
  const json = join(tmp, 'hyperfine.json');
  const r = spawnSync(
    'hyperfine',
    ['-N', '--warmup', '1', '--runs', String(runs), '--style', 'none', '--export-json', json, cmd.map(shellQuote).join(' ')],
    { cwd: ROOT, env, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] },
  );
  // hyperfine's stderr is mostly advisory warnings; show it only on failure.
  if (r.status !== 0) {
    process.stderr.write(r.stderr);
    return null;
  }
  const report = JSON.parse(readFileSync(json, 'utf8')) as { results: { median: number }[] };
  return report.results[0].median * 1000;
}

function fmtMs(ms: number | null): string {
  if (ms === null) return 'FAIL';
  return ms >= 100 ? `${ms.toFixed(0)} ms` : `${ms.toFixed(1)} ms`;
}

function ratio(a: number | null, b: number | null): string {
  return a === null || b === null ? '-' : `${(a / b).toFixed(2)}x`;
}

function targetText(t: Target): string {
  if (t.kind === 'none') return 'none';
  if (t.kind === 'ratio-native') return `ushim/native <= ${t.max}`;
  return t.kind === 'ratio-qemu' ? `ushim/qemu <= ${t.max}` : `ushim <= ${t.max} ms`;
}

function targetMet(t: Target, times: Record<Runner, number | null>, runner: 'ushim' | 'warm' = 'ushim'): boolean {
  const u = times[runner];
  if (u === null || t.kind === 'none') return false;
  if (t.kind === 'absolute-ms') return u <= t.max;
  if (t.kind === 'ratio-native') return times.native !== null && u / times.native <= t.max;
  return times.qemu !== null && u / times.qemu <= t.max;
}

function markdownTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function firstLine(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.split('\n')[0].trim() : `${cmd}: unavailable`;
}

function main(): void {
  const { quick, runs, selected, selfTimed } = parseArgs(process.argv.slice(2));

  const build = spawnSync('bash', [join(ROOT, 'bench', 'build.sh')], { stdio: 'inherit' });
  if (build.status !== 0) throw new Error('bench/build.sh failed');

  const tmp = mkdtempSync(join(tmpdir(), 'ushim-bench-'));
  const rows: string[][] = [];
  const server = selected.some((b) => b.warm) ? WarmServer.start(ROOT, join(tmp, 'ushim.sock'), WARM_WORKERS, WARM_RUNS_PER_WORKER) : null;
  if (server !== null) RUNNERS.warm = server.command;
  try {
    for (const b of selected) {
      const binary = b.installed ? b.program : b.hostScript ? join(ROOT, 'bench', b.program) : join(ROOT, 'bench', 'build', b.program);
      // Go programs are built only where golang-go is installed (scripts/setup.sh installs it).
      if (!existsSync(binary)) {
        console.error(`${b.name}: skipped (${binary} was not built)`);
        continue;
      }
      const program = [...(b.hostScript ? ['sh'] : []), binary, ...(quick ? b.quickArgs : b.args)];
      const peer = b.hostPeer === undefined ? null : HostPeer.start(join(ROOT, 'bench', 'build', b.hostPeer), join(tmp, `${b.name}.port`));
      const times = {} as Record<Runner, number | null>;
      try {
        const base = peer === null ? process.env : { ...process.env, ...peer.env };
        const expected = check(program, base);
        if (expected === null) throw new Error(`${b.name}: native run failed`);
        for (const runner of Object.keys(RUNNERS) as Runner[]) {
          times[runner] = null;
          if (runner === 'warm' && !(b.warm && server !== null)) continue;
          const { cmd, env } = runnerCommand(b, runner, program, base);
          // Only time runners whose output is right: a fast wrong answer is a failure.
          const out: string | null = runner === 'native' ? expected : check(cmd, env);
          if (out !== expected) {
            times[runner] = null;
            console.error(`${b.name}/${runner}: FAIL (${out === null ? 'run failed' : 'output differs from native'})`);
          } else {
            times[runner] = measure(cmd, env, Math.min(runs, b.maxRuns ?? runs), tmp);
            console.error(`${b.name}/${runner}: ${fmtMs(times[runner])}`);
          }
        }
      } finally {
        peer?.stop();
      }

      rows.push([
        b.name,
        fmtMs(times.native),
        fmtMs(times.qemu),
        fmtMs(times.ushim),
        ratio(times.ushim, times.native),
        ratio(times.ushim, times.qemu),
        b.warm ? fmtMs(times.warm) : '',
        b.warm ? ratio(times.warm, times.qemu) : '',
        targetText(b.target),
        (b.target.kind === 'none' ? '-' : targetMet(b.target, times) ? 'yes' : 'no') + (b.warm ? `, warm ${targetMet(b.target, times, 'warm') ? 'yes' : 'no'}` : ''),
      ]);
    }
  } finally {
    server?.stop();
    rmSync(tmp, { recursive: true, force: true });
  }

  const table = markdownTable(
    ['benchmark', 'native', 'qemu', 'ushim', 'ushim/native', 'ushim/qemu', 'warm', 'warm/qemu', 'target', 'met?'],
    rows,
  );
  console.log(table);
  const selfReports = selfTimed.map((b) => runSelfTimed(b, quick));
  for (const r of selfReports) console.log('\n' + r);

  const model = readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.*)$/m)?.[1] ?? 'unknown';
  const report = [
    '# ushim benchmark results',
    '',
    `- date: ${new Date().toISOString()}`,
    `- machine: nproc ${firstLine('nproc', [])}, ${model}`,
    `- ${firstLine('qemu-x86_64', ['--version'])}`,
    `- node ${firstLine('node', ['--version'])}`,
    `- ushim command: \`${RUNNERS.ushim.join(' ')}\`; warm: through \`ushim --serve SOCKET --workers ${WARM_WORKERS} --runs-per-worker ${WARM_RUNS_PER_WORKER}\` and its client \`dist/ushimc\` (hello, shruns)`,
    `- mode: ${quick ? 'quick (reduced sizes)' : 'full'}, ${runs} runs each (fewer where a benchmark says so) after 1 warm-up, median wall time`,
    '',
    table,
    '',
    ...selfReports.map((r) => r + '\n'),
  ].join('\n');
  writeFileSync(join(ROOT, 'bench', 'results.md'), report);
}

/** Runs a self-timed benchmark natively and under ushim; its tables and the targets, as markdown. */
function runSelfTimed(b: SelfTimed, quick: boolean): string {
  const program = [join(ROOT, 'bench', 'build', b.program), ...(quick ? b.quickArgs : b.args)];
  const native = check(program, process.env) ?? 'native run failed\n';
  const ushim = check([...RUNNERS.ushim, ...b.ushimArgs, ...program], process.env) ?? 'ushim run failed\n';
  const header = ushim.split('\n')[0].trim().split(/\s{2,}/);
  const results = b.targets.map((t) => {
    const line = ushim.split('\n').find((l) => l.startsWith(t.row));
    const cells = line?.slice(t.row.length).trim().split(/\s+/) ?? [];
    const value = Number(cells[header.indexOf(t.column) - 1]);
    const met = Number.isFinite(value) && value <= t.max;
    return [t.row, `${t.column} <= ${t.max}`, Number.isFinite(value) ? `${value.toFixed(2)}` : '-', met ? 'yes' : 'no'];
  });
  return [
    `## ${b.name} (self-timed, process CPU time per call)`,
    '',
    'native:',
    '```',
    native.trimEnd(),
    '```',
    `ushim ${b.ushimArgs.join(' ')}:`,
    '```',
    ushim.trimEnd(),
    '```',
    '',
    markdownTable(['call through', 'target', 'ushim', 'met?'], results),
  ].join('\n');
}

try {
  main();
} catch (e) {
  console.error(`bench: ${(e as Error).message}`);
  process.exit(1);
}
