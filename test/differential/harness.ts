// Differential test harness: run a static x86-64 program natively and under
// ushim with the same arguments, environment, stdin and working directory, and
// require identical stdout, stderr, exit status and (optionally) identical
// effects on a scratch directory.
//
// Environment variables:
//   USHIM_CMD      command line used instead of `node bin/ushim` (split on
//                  whitespace), e.g. USHIM_CMD=qemu-x86_64 to check fixtures
//                  and harness against another emulator before ushim runs;
//                  USHIM_CMD=native runs the "emulated" side natively too
//                  (native vs native: finds nondeterministic fixtures).
//   USHIM_STRACE=1 add --strace=<file> to every ushim run (qemu: -strace -D);
//                  tracing must not change behaviour.  The trace file is kept
//                  and named in the failure message when a comparison fails.
//   USHIM_KEEP_TMP=1  keep scratch directories and traces of passing runs.

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as crypto from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { syscallLogArgs } from './syscall-log.js';
import { unifiedDiff } from './unified-diff.js';

// ---------------------------------------------------------------- locations

function findRepoRoot(start: string): string {
  let dir = start;
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg)) {
      try {
        if ((JSON.parse(fs.readFileSync(pkg, 'utf8')) as { name?: string }).name === 'ushim') return dir;
      } catch {
        // not ours; keep looking upwards
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`harness: no ushim package.json above ${start}`);
    dir = parent;
  }
}

/** Repository root (found from this file, so it works from test/ and dist/test/). */
export const REPO_ROOT = findRepoRoot(path.dirname(fileURLToPath(import.meta.url)));
export const FIXTURES_BUILD = path.join(REPO_ROOT, 'fixtures', 'build');
export const USHIM_BIN = path.join(REPO_ROOT, 'bin', 'ushim');

/** Per-run time limit. */
export const RUN_TIMEOUT_MS = 60_000;

/** The environment every run starts from (both sides get exactly this). */
export const BASE_ENV: Readonly<Record<string, string>> = Object.freeze({
  PATH: '/usr/bin:/bin',
  HOME: '/root',
  LANG: 'C',
});

// ---------------------------------------------------------------- running

export interface RunOptions {
  /** Added to BASE_ENV; a value of undefined removes the variable. */
  env?: Record<string, string | undefined>;
  /** Bytes fed to stdin (stdin is always a pipe; empty when not given). */
  stdin?: string | Buffer;
  /** Working directory (default: the system temp dir). */
  cwd?: string;
  /** argv[0] for the program (default: the program path as given). */
  argv0?: string;
  /** Time limit in ms (default RUN_TIMEOUT_MS). */
  timeoutMs?: number;
  /** Extra ushim options (e.g. --wx=strict); not used for native or qemu runs. */
  ushimArgs?: string[];
}

export interface RunResult {
  stdout: string;
  stderr: string;
  stdoutBytes: Buffer;
  stderrBytes: Buffer;
  status: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the program could not be started or hit the time limit. */
  error?: string;
  /** The full command line that was run (for messages). */
  command: string[];
  /** The --strace output file, when USHIM_STRACE=1. */
  traceFile?: string;
}

function buildEnv(extra?: Record<string, string | undefined>): Record<string, string> {
  const env: Record<string, string> = { ...BASE_ENV };
  for (const [k, v] of Object.entries(extra ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

function spawn(command: string[], opts: RunOptions, argv0?: string): RunResult {
  const timeout = opts.timeoutMs ?? RUN_TIMEOUT_MS;
  const r = spawnSync(command[0], command.slice(1), {
    argv0: argv0 ?? command[0],
    env: buildEnv(opts.env),
    cwd: opts.cwd ?? os.tmpdir(),
    input: opts.stdin ?? '',
    stdio: 'pipe',
    timeout,
    killSignal: 'SIGKILL',
    maxBuffer: 256 * 1024 * 1024,
  });
  const stdoutBytes = r.stdout ?? Buffer.alloc(0);
  const stderrBytes = r.stderr ?? Buffer.alloc(0);
  let error: string | undefined;
  if (r.error) {
    const code = (r.error as NodeJS.ErrnoException).code;
    error = code === 'ETIMEDOUT' ? `timed out after ${timeout} ms` : String(r.error.message ?? r.error);
  }
  return {
    stdout: stdoutBytes.toString('utf8'),
    stderr: stderrBytes.toString('utf8'),
    stdoutBytes,
    stderrBytes,
    status: r.status,
    signal: r.signal,
    error,
    command,
  };
}

/** Run a program directly on the host. */
export function runNative(cmd: string, args: string[], opts: RunOptions = {}): RunResult {
  return spawn([cmd, ...args], opts, opts.argv0);
}

/** The emulator command line: USHIM_CMD if set, else node bin/ushim. */
export function emulatorCommand(): string[] {
  const custom = process.env.USHIM_CMD?.trim();
  if (custom) return custom.split(/\s+/);
  return [process.execPath, USHIM_BIN];
}

function isQemu(command: string[]): boolean {
  return path.basename(command[0]).startsWith('qemu-');
}

let traceCounter = 0;

/** Run a program under ushim (or USHIM_CMD; USHIM_CMD=native runs it natively). */
export function runUshim(cmd: string, args: string[], opts: RunOptions = {}): RunResult {
  if (process.env.USHIM_CMD?.trim() === 'native') return runNative(cmd, args, opts);
  const emu = emulatorCommand();
  const qemu = isQemu(emu);
  const flags: string[] = [];
  // ushim's crash reports go to stderr, which the oracle compares with the native run.
  if (!qemu) flags.push('--crash-report=off');
  if (opts.argv0 !== undefined) flags.push(qemu ? '-0' : '--argv0', opts.argv0);
  if (!qemu && opts.ushimArgs) flags.push(...opts.ushimArgs);
  // A test that asks for --stats itself reads them from stderr: the log would take them.
  const ownStats = opts.ushimArgs?.some((a) => a === '--stats' || a.startsWith('--stats=')) ?? false;
  if (!qemu && !ownStats && cmd.startsWith(FIXTURES_BUILD + path.sep)) flags.push(...syscallLogArgs());
  let traceFile: string | undefined;
  if (process.env.USHIM_STRACE === '1') {
    traceFile = path.join(os.tmpdir(), `ushim-strace-${process.pid}-${++traceCounter}.log`);
    if (qemu) flags.push('-strace', '-D', traceFile);
    else flags.push(`--strace=${traceFile}`);
  }
  const r = spawn([...emu, ...flags, cmd, ...args], opts);
  r.traceFile = traceFile;
  return r;
}

// ---------------------------------------------------------------- scratch dirs

/** A fresh, empty scratch directory whose path is reused for both runs. */
export class ScratchDir {
  readonly path: string;
  constructor() {
    this.path = fs.mkdtempSync(path.join(os.tmpdir(), 'ushim-diff-'));
  }
  /** Wipe and recreate the same path (between the native and ushim runs). */
  reset(): void {
    ScratchDir.removeTree(this.path);
    fs.mkdirSync(this.path, { mode: 0o755 });
  }
  remove(): void {
    ScratchDir.removeTree(this.path);
  }
  /** rm -rf that also copes with directories a fixture left without permissions. */
  static removeTree(p: string): void {
    try {
      fs.rmSync(p, { recursive: true, force: true });
    } catch {
      spawnSync('chmod', ['-R', 'u+rwx', p]);
      fs.rmSync(p, { recursive: true, force: true });
    }
  }
}

/**
 * Describe a directory tree without anything that legitimately differs
 * between runs (times, inode numbers): one line per entry with type, mode,
 * size, link count and a content hash or symlink target.
 */
export function snapshotTree(root: string): string {
  // Names are bytes: walked as latin1 strings (one char per byte) so that names that are
  // not UTF-8 are found again and shown exactly (\ooo escapes for bytes past ASCII).
  const bytes = (p: string) => Buffer.from(p, 'latin1');
  const shown = (s: string) => s.replace(/[^\x20-\x7e]/g, (c) => `\\${c.charCodeAt(0).toString(8).padStart(3, '0')}`);
  const base = Buffer.from(root).toString('latin1');
  const lines: string[] = [];
  const walk = (rel: string) => {
    const abs = rel ? `${base}/${rel}` : base;
    let names: string[];
    try {
      names = fs.readdirSync(bytes(abs), { encoding: 'buffer' }).map((n) => n.toString('latin1')).sort();
    } catch (e) {
      lines.push(`${shown(rel) || '.'}: unreadable (${(e as NodeJS.ErrnoException).code})`);
      return;
    }
    for (const name of names) {
      const r = rel ? `${rel}/${name}` : name;
      const p = bytes(`${base}/${r}`);
      const st = fs.lstatSync(p);
      const mode = (st.mode & 0o7777).toString(8).padStart(4, '0');
      if (st.isSymbolicLink()) {
        lines.push(`${shown(r)} link -> ${shown(fs.readlinkSync(p, { encoding: 'buffer' }).toString('latin1'))}`);
      } else if (st.isDirectory()) {
        lines.push(`${shown(r)} dir ${mode} nlink=${st.nlink}`);
        walk(r);
      } else if (st.isFile()) {
        let hash: string;
        try {
          hash = crypto.createHash('sha256').update(fs.readFileSync(p)).digest('hex').slice(0, 16);
        } catch (e) {
          hash = `unreadable(${(e as NodeJS.ErrnoException).code})`;
        }
        lines.push(`${shown(r)} file ${mode} size=${st.size} nlink=${st.nlink} sha256=${hash}`);
      } else {
        const kind = st.isFIFO() ? 'fifo' : st.isSocket() ? 'socket' : st.isCharacterDevice() ? 'chr' : 'blk';
        lines.push(`${shown(r)} ${kind} ${mode}`);
      }
    }
  };
  walk('');
  return lines.join('\n') + '\n';
}

function showBytes(s: string, limit = 2000): string {
  return s.length > limit ? `${s.slice(0, limit)}... (${s.length} chars)` : s;
}

// ---------------------------------------------------------------- comparing

export interface CompareOptions extends RunOptions {
  /**
   * Give the program a fresh scratch directory (same path for both runs).
   * 'arg' (default when true) passes it as argv[1]; in any case the string
   * '{TMP}' in args, env values and cwd is replaced by its path, and cwd
   * defaults to it.
   */
  tmpdir?: boolean | 'arg' | 'cwd';
  /** Populate the scratch directory before each run. */
  setup?: (dir: string) => void;
  /** Exit status the native run must have (default 0): guards the fixture itself. */
  expectStatus?: number;
  /** Also compare the scratch directory's contents afterwards (default true). */
  compareTree?: boolean;
}

export interface Step {
  cmd: string;
  args: string[];
  stdin?: string | Buffer;
  env?: Record<string, string | undefined>;
  argv0?: string;
  expectStatus?: number;
}

export interface SideResult {
  steps: RunResult[];
  tree?: string;
}

function subst(s: string, dir: string | undefined): string {
  return dir === undefined ? s : s.split('{TMP}').join(dir);
}

function runSide(
  which: 'native' | 'ushim',
  steps: Step[],
  opts: CompareOptions,
  scratch: ScratchDir | undefined,
): SideResult {
  const dir = scratch?.path;
  if (scratch) {
    scratch.reset();
    opts.setup?.(scratch.path);
  }
  const results: RunResult[] = [];
  for (const st of steps) {
    const env: Record<string, string | undefined> = {};
    for (const [k, v] of Object.entries({ ...opts.env, ...st.env })) env[k] = v === undefined ? v : subst(v, dir);
    const runOpts: RunOptions = {
      env,
      stdin: st.stdin ?? opts.stdin,
      cwd: opts.cwd !== undefined ? subst(opts.cwd, dir) : dir,
      argv0: st.argv0 ?? opts.argv0,
      timeoutMs: opts.timeoutMs,
      ushimArgs: opts.ushimArgs,
    };
    const args = st.args.map((a) => subst(a, dir));
    const run = which === 'native' ? runNative : runUshim;
    results.push(run(st.cmd, args, runOpts));
  }
  const wantTree = scratch !== undefined && opts.compareTree !== false;
  return { steps: results, tree: wantTree ? snapshotTree(scratch.path) : undefined };
}

function describe(r: RunResult): string {
  const how = r.error ? `error: ${r.error}` : r.signal ? `signal ${r.signal}` : `status ${r.status}`;
  return how;
}

/**
 * Run a sequence of commands natively and under ushim (each side in a fresh
 * copy of the same scratch directory) and throw a descriptive error on any
 * difference.  Returns both sides' results.
 */
export function compareSteps(steps: Step[], opts: CompareOptions = {}): { native: SideResult; ushim: SideResult } {
  const wantDir = opts.tmpdir !== undefined && opts.tmpdir !== false;
  const scratch = wantDir ? new ScratchDir() : undefined;
  let keep = process.env.USHIM_KEEP_TMP === '1';
  const traces: string[] = [];
  try {
    if (scratch && (opts.tmpdir === true || opts.tmpdir === 'arg')) {
      steps = steps.map((s) => ({ ...s, args: [scratch.path, ...s.args] }));
    }
    const native = runSide('native', steps, opts, scratch);
    // sanity: the fixture must behave as intended natively before comparing
    native.steps.forEach((r, i) => {
      const want = steps[i].expectStatus ?? opts.expectStatus ?? 0;
      if (r.error || r.signal || r.status !== want) {
        throw new Error(
          `native run of ${r.command.join(' ')} ended with ${describe(r)}, expected status ${want}\n` +
            `stdout:\n${showBytes(r.stdout)}\nstderr:\n${showBytes(r.stderr)}`,
        );
      }
    });
    const ushim = runSide('ushim', steps, opts, scratch);
    for (const r of ushim.steps) if (r.traceFile) traces.push(r.traceFile);
    const problems: string[] = [];
    steps.forEach((_, i) => {
      const n = native.steps[i];
      const u = ushim.steps[i];
      const label = steps.length > 1 ? `step ${i + 1} (${path.basename(steps[i].cmd)} ${steps[i].args.join(' ')}): ` : '';
      const before = problems.length;
      if (u.error) problems.push(`${label}ushim run failed: ${u.error}`);
      if (n.status !== u.status || n.signal !== u.signal)
        problems.push(`${label}exit differs: native ${describe(n)}, ushim ${describe(u)}`);
      if (!n.stdoutBytes.equals(u.stdoutBytes))
        problems.push(`${label}stdout differs:\n${unifiedDiff(n.stdout, u.stdout)}`);
      if (!n.stderrBytes.equals(u.stderrBytes))
        problems.push(`${label}stderr differs:\n${unifiedDiff(n.stderr, u.stderr)}`);
      if (problems.length > before) {
        problems.push(`command: ${u.command.join(' ')}` + (u.traceFile ? `\nstrace: ${u.traceFile}` : ''));
      }
    });
    if (native.tree !== undefined && native.tree !== ushim.tree)
      problems.push(`scratch directory contents differ:\n${unifiedDiff(native.tree, ushim.tree ?? '')}`);
    if (problems.length) {
      keep = true;
      const where = scratch ? `\n\nscratch dir (kept with ushim's results): ${scratch.path}` : '';
      throw new Error(`${problems.join('\n\n')}${where}`);
    }
    return { native, ushim };
  } finally {
    if (!keep) {
      scratch?.remove();
      for (const f of traces) fs.rmSync(f, { force: true });
    }
  }
}

/** Run one program both ways and require identical behaviour. */
export function compare(cmd: string, args: string[], opts: CompareOptions = {}): { native: RunResult; ushim: RunResult } {
  const { native, ushim } = compareSteps([{ cmd, args }], opts);
  return { native: native.steps[0], ushim: ushim.steps[0] };
}

/**
 * For programs Linux cannot run (ushim-only ABIs such as trampfd): run under ushim only and
 * require stdout to equal a checked-in file (fixtures/expected/<name>.out) and the exit
 * status to be expectStatus (default 0). stderr must be empty.
 */
export function compareExpected(cmd: string, args: string[], expectedFile: string, opts: CompareOptions = {}): RunResult {
  return compareWithText(cmd, args, fs.readFileSync(expectedFile, 'utf8'), path.relative(REPO_ROOT, expectedFile), opts);
}

/** compareExpected with the expected stdout given as text; `source` names where it comes from. */
export function compareWithText(cmd: string, args: string[], want: string, source: string, opts: CompareOptions = {}): RunResult {
  const wantDir = opts.tmpdir !== undefined && opts.tmpdir !== false;
  const scratch = wantDir ? new ScratchDir() : undefined;
  let keep = process.env.USHIM_KEEP_TMP === '1';
  try {
    if (scratch && (opts.tmpdir === true || opts.tmpdir === 'arg')) args = [scratch.path, ...args];
    const side = runSide('ushim', [{ cmd, args }], opts, scratch);
    const r = side.steps[0];
    const problems: string[] = [];
    if (r.error) problems.push(`ushim run failed: ${r.error}`);
    const status = opts.expectStatus ?? 0;
    if (r.signal || r.status !== status) problems.push(`exit: ${describe(r)}, expected status ${status}`);
    if (r.stdout !== want) problems.push(`stdout differs from ${source}:\n${unifiedDiff(want, r.stdout, 'expected', 'ushim')}`);
    if (r.stderr !== '') problems.push(`stderr is not empty:\n${showBytes(r.stderr)}`);
    if (problems.length) {
      keep = true;
      problems.push(`command: ${r.command.join(' ')}` + (r.traceFile ? `\nstrace: ${r.traceFile}` : ''));
      throw new Error(problems.join('\n\n'));
    }
    return r;
  } finally {
    if (!keep) scratch?.remove();
  }
}

// ---------------------------------------------------------------- misc

/** True when the ELF file has no PT_INTERP, i.e. runs without a dynamic loader. */
export function isStaticElf(file: string): boolean {
  const buf = fs.readFileSync(file);
  if (buf.length < 64 || buf.readUInt32BE(0) !== 0x7f454c46 || buf[4] !== 2) return false;
  const phoff = Number(buf.readBigUInt64LE(0x20));
  const phentsize = buf.readUInt16LE(0x36);
  const phnum = buf.readUInt16LE(0x38);
  for (let i = 0; i < phnum; i++) {
    if (buf.readUInt32LE(phoff + i * phentsize) === 3 /* PT_INTERP */) return false;
  }
  return true;
}
