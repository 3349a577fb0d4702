// Command-line options of the ushim CLI.
import { textByteString } from '../kernel-shim/abi/bytes.js';
import { MAX_GUEST_RAM } from '../kernel-shim/mm/frames.js';

/** Paths, the program, its arguments and -E values are byte strings (kernel-shim/abi/bytes.ts). */
export interface CliOptions {
  root: string;
  /** -L DIR (qemu-user, QEMU_LD_PREFIX): absolute paths are looked up under DIR first. */
  libraryPrefix?: string;
  env: Map<string, string>;
  unset: string[];
  argv0?: string;
  strace?: string | true;
  /** --stats: true for stderr, or a file the counters are appended to. */
  stats: boolean | string;
  deterministic: boolean;
  /** Print a crash report (registers, disassembly, backtrace, maps) when a guest dies of a fault. */
  crashReport: boolean;
  /** --gdb: listen for gdb (PORT, HOST:PORT or unix:PATH) and wait before the first instruction. */
  gdb?: string;
  /** --gdb-on-crash: run freely; listen for gdb when the guest gets a fatal signal. */
  gdbOnCrash?: string;
  /** --wx: W^X policy (off = Linux, strict = no W+X, no exec of once-writable private memory). */
  wx: 'off' | 'strict';
  /** --memory SIZE: bytes of guest RAM (absent: the kernel's default). */
  memory?: number;
  /** --hugepages N: vm.nr_hugepages at start (2 MiB pages set aside from guest RAM; absent: 0). */
  hugePages?: number;
  /** --net: 'host' (AF_INET/AF_INET6 through host sockets) or 'none' (an empty network namespace's view). */
  net: 'host' | 'none';
  /** --time-slice MS: every time slice (absent: the scheduler's, short under contention). */
  timeSliceMs?: number;
  /** --trampfd=off: the trampfd syscalls answer -ENOSYS. */
  trampfd: 'on' | 'off';
  /** --trampfd-440: syscall 440 is trampfd v1 or v2 (the RFC patches' number) instead of process_madvise. */
  trampfd440?: 'v1' | 'v2';
  /** --trace=insn[,regs] / block: execution tracing (emu/debug/trace.ts); absent: no hooks at all. */
  trace?: { insn: boolean; regs: boolean; block: boolean };
  /** --trace-range START-END (hex, END exclusive; repeatable): only code there is traced. */
  traceRanges: { start: number; end: number }[];
  /** --trace-file FILE: trace output (default stderr). */
  traceFile?: string;
  /** --version: print the version and exit. */
  version?: true;
  program: string;
  args: string[];
}

export class UsageError extends Error {}

function choice<T extends string>(name: string, v: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(v)) throw new UsageError(`${name} takes ${allowed.join(' or ')}, not '${v}'`);
  return v as T;
}

export const USAGE = `usage: ushim [options] PROGRAM [ARGS...]
  --root DIR          guest root directory (default /): the guest's whole file system view
  --net=host|none     host (default): AF_INET/AF_INET6 sockets are host sockets, as
                      qemu-user's; none: as in an empty network namespace with lo up: the
                      guest's sockets reach only each other on the loopback
  -L DIR              look up absolute paths (the ELF interpreter, libraries) under DIR
                      first and everything else in the root, as qemu-user's -L
  -E VAR=VALUE        set an environment variable for the guest
  -U VAR              remove an environment variable for the guest
  --argv0 NAME        argv[0] for the guest (default: PROGRAM)
  --strace[=FILE]     trace syscalls, strace-style, to stderr or FILE
  --stats[=FILE]      print counters at exit (page faults, syscalls, unimplemented calls)
                      to stderr or append them to FILE
  --deterministic     fixed time, randomness, pids and addresses: identical runs
  --crash-report=off  no crash report on stderr when a guest is killed by a fatal signal
  --gdb PORT          debug with gdb: listen on PORT (or HOST:PORT, or unix:PATH) and wait
                      for gdb before the first instruction ('target remote :PORT')
  --gdb-on-crash PORT run freely; on a fatal signal, stop at the faulting instruction and
                      wait for gdb on PORT (or HOST:PORT, or unix:PATH)
  --wx=off|strict     W^X policy: off (Linux, default); strict refuses writable+executable
                      mappings and executing private memory that was ever writable (EACCES)
  --memory SIZE       guest RAM: SIZE bytes, or with a K, M or G suffix, up to 512G (default:
                      the host's MemTotal); a single mmap/brk larger than it fails with
                      ENOMEM (overcommit heuristic) and a guest that touches more is killed
                      as by Linux's OOM killer (SIGKILL)
  --hugepages N       start with N 2 MiB huge pages reserved from guest RAM for MAP_HUGETLB
                      and MFD_HUGETLB (vm.nr_hugepages; default 0, as a host with none
                      reserved; root in the guest may change it in /proc/sys/vm/nr_hugepages)
  --time-slice MS     every run of a guest task lasts at most MS milliseconds (default 4
                      while tasks share the CPU, 20 otherwise); not with --deterministic
  --trampfd=on|off    off: the trampfd syscalls (1000, 1001) return -ENOSYS
  --trampfd-440=v1|v2 also answer syscall 440 as trampfd v1 or v2, as the RFC patches did
                      (440 is process_madvise upstream)
  --trace=WHAT        trace execution: insn (each instruction, disassembled), insn,regs
                      (and the registers it changed), block (each translated block run)
  --trace-range S-E   trace only code in [S, E) (hex addresses; repeatable)
  --trace-file FILE   write the trace to FILE instead of stderr
  --version           print ushim's version
  -h, --help          this text
qemu-user spellings: -0 NAME (--argv0), -g PORT (--gdb), -strace (--strace),
  -D FILE (--strace and --trace output to FILE), -d in_asm|exec|cpu|strace (--trace=block,
  --trace=block, --trace=insn,regs, --strace), -cpu MODEL (accepted; one CPU model),
  -version, -help; environment QEMU_LD_PREFIX (-L), QEMU_GDB (-g), QEMU_STRACE (-strace)`;

/** qemu-user's environment variables, applied before the options (which win). */
function fromQemuEnvironment(opts: CliOptions, env: NodeJS.ProcessEnv): void {
  if (env.QEMU_LD_PREFIX) opts.libraryPrefix = textByteString(env.QEMU_LD_PREFIX);
  if (env.QEMU_GDB) opts.gdb = env.QEMU_GDB;
  if (env.QEMU_STRACE !== undefined) opts.strace = true;
}

/** qemu's -d items, as the tracing ushim has. */
function applyQemuLog(opts: CliOptions, items: string): void {
  for (const item of items.split(',')) {
    if (item === 'in_asm' || item === 'exec') opts.trace = { ...(opts.trace ?? { insn: false, regs: false }), block: true };
    else if (item === 'cpu') opts.trace = { ...(opts.trace ?? { block: false }), insn: true, regs: true };
    else if (item === 'strace') opts.strace ??= true;
    else throw new UsageError(`-d takes in_asm, exec, cpu or strace (comma-separated), not '${item}'`);
  }
}

export function parseOptions(argv: string[], env: NodeJS.ProcessEnv = process.env): CliOptions {
  const opts: CliOptions = { root: '/', env: new Map(), unset: [], stats: false, deterministic: false, crashReport: true, wx: 'off', net: 'host', trampfd: 'on', traceRanges: [], program: '', args: [] };
  fromQemuEnvironment(opts, env);
  let logFile: string | undefined;
  let i = 0;
  const value = (name: string): string => {
    const v = argv[++i];
    if (v === undefined) throw new UsageError(`${name} needs a value`);
    return v;
  };
  for (; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('-') || arg === '-') break;
    if (arg === '--') {
      i++;
      break;
    }
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const inline = arg.startsWith('--') && eq > 0 ? arg.slice(eq + 1) : undefined;
    switch (name) {
      case '--root': opts.root = inline ?? value(name); break;
      case '-L': opts.libraryPrefix = value(name); break;
      case '-0': opts.argv0 = value(name); break;
      case '-g': opts.gdb = value(name); break;
      case '-strace': opts.strace = true; break;
      case '-D': logFile = value(name); break;
      case '-d': applyQemuLog(opts, value(name)); break;
      case '-cpu': value(name); break;
      case '--version': case '-version': opts.version = true; break;
      case '-E': {
        const kv = value(name);
        const at = kv.indexOf('=');
        if (at <= 0) throw new UsageError(`-E takes VAR=VALUE, got '${kv}'`);
        opts.env.set(kv.slice(0, at), kv.slice(at + 1));
        break;
      }
      case '-U': opts.unset.push(value(name)); break;
      case '--argv0': opts.argv0 = inline ?? value(name); break;
      case '--strace': opts.strace = inline ?? true; break;
      case '--stats': opts.stats = inline === undefined || inline === '' ? true : inline; break;
      case '--deterministic': opts.deterministic = true; break;
      case '--crash-report': {
        const v = inline ?? 'on';
        if (v !== 'on' && v !== 'off') throw new UsageError(`--crash-report takes on or off, not '${v}'`);
        opts.crashReport = v === 'on';
        break;
      }
      case '--gdb': opts.gdb = inline ?? value(name); break;
      case '--gdb-on-crash': opts.gdbOnCrash = inline ?? value(name); break;
      case '--wx': opts.wx = choice(name, inline ?? value(name), ['off', 'strict'] as const); break;
      case '--memory': opts.memory = parseMemory(inline ?? value(name)); break;
      case '--hugepages': opts.hugePages = parseHugePages(inline ?? value(name)); break;
      case '--net': opts.net = choice(name, inline ?? value(name), ['host', 'none'] as const); break;
      case '--time-slice': opts.timeSliceMs = parseTimeSlice(inline ?? value(name)); break;
      case '--trampfd': opts.trampfd = choice(name, inline ?? value(name), ['on', 'off'] as const); break;
      case '--trampfd-440': opts.trampfd440 = choice(name, inline ?? value(name), ['v1', 'v2'] as const); break;
      case '--trace': opts.trace = parseTrace(inline ?? value(name)); break;
      case '--trace-range': opts.traceRanges.push(parseTraceRange(inline ?? value(name))); break;
      case '--trace-file': opts.traceFile = inline ?? value(name); break;
      case '-h': case '--help': case '-help': throw new UsageError('');
      default: throw new UsageError(`unknown option '${arg}'`);
    }
  }
  if (logFile !== undefined) {
    if (opts.strace === true) opts.strace = logFile;
    if (opts.trace !== undefined) opts.traceFile ??= logFile;
  }
  if (opts.version) return opts;
  if (opts.gdb !== undefined && opts.gdbOnCrash !== undefined) throw new UsageError('--gdb and --gdb-on-crash exclude each other');
  if (opts.trace === undefined && (opts.traceRanges.length > 0 || opts.traceFile !== undefined)) {
    throw new UsageError('--trace-range and --trace-file need --trace');
  }
  if (i >= argv.length) throw new UsageError('no program given');
  opts.program = argv[i];
  opts.args = argv.slice(i + 1);
  return opts;
}

const MIN_MEMORY = 2 ** 20;

/** --time-slice MS: 1 to 1000 milliseconds. */
function parseTimeSlice(v: string): number {
  const ms = Number(v);
  if (!Number.isInteger(ms) || ms < 1 || ms > 1000) throw new UsageError(`--time-slice takes 1 to 1000 (milliseconds), not '${v}'`);
  return ms;
}

/** --memory SIZE: a byte count with an optional K, M or G suffix, rounded up to whole pages. */
function parseMemory(v: string): number {
  const m = /^([0-9]+)([KMG]?)$/i.exec(v);
  const unit = m === null ? 0 : { '': 1, K: 2 ** 10, M: 2 ** 20, G: 2 ** 30 }[m[2].toUpperCase()]!;
  const bytes = m === null ? NaN : Math.ceil((Number(m[1]) * unit) / 4096) * 4096;
  if (!(bytes >= MIN_MEMORY && bytes <= MAX_GUEST_RAM)) throw new UsageError(`--memory takes a size from 1M to 512G (K, M or G suffix), not '${v}'`);
  return bytes;
}

/** --hugepages N: a page count that fits in the largest guest RAM. */
function parseHugePages(v: string): number {
  const n = /^[0-9]+$/.test(v) ? Number(v) : NaN;
  if (!(n <= MAX_GUEST_RAM / 2 ** 21)) throw new UsageError(`--hugepages takes a count of 2 MiB pages from 0 to ${MAX_GUEST_RAM / 2 ** 21}, not '${v}'`);
  return n;
}

/** --trace=insn, insn,regs, block (comma-separated; regs implies insn). */
function parseTrace(v: string): { insn: boolean; regs: boolean; block: boolean } {
  const what = { insn: false, regs: false, block: false };
  for (const part of v.split(',')) {
    if (part !== 'insn' && part !== 'regs' && part !== 'block') throw new UsageError(`--trace takes insn, insn,regs or block, not '${v}'`);
    what[part] = true;
  }
  if (what.regs) what.insn = true;
  return what;
}

/** --trace-range START-END: hex addresses (0x optional), END exclusive as in /proc/self/maps. */
function parseTraceRange(v: string): { start: number; end: number } {
  const m = /^(?:0x)?([0-9a-f]+)-(?:0x)?([0-9a-f]+)$/i.exec(v);
  const start = m === null ? NaN : parseInt(m[1], 16);
  const end = m === null ? NaN : parseInt(m[2], 16);
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || end <= start) {
    throw new UsageError(`--trace-range takes START-END in hex with START < END, not '${v}'`);
  }
  return { start, end };
}
