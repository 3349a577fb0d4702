// One differential test per fixture binary per variant: every program under
// fixtures/build/<variant>/ runs natively and under ushim and must behave the
// same (stdout, stderr, exit status, and the contents of its scratch dir).
// Build the fixtures first: fixtures/build.sh (npm test does it).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { type CompareOptions, FIXTURES_BUILD, REPO_ROOT, compare, compareExpected, compareWithText } from './harness.js';
import { withHostHugePages } from './host-hugepages.js';
import { trampfdFfiExpected } from './trampfd-ffi-expected.js';
import { trampfdV1CallExpected } from './trampfd-v1-call-expected.js';
import { trampfdV1Expected } from './trampfd-v1-expected.js';
import { trampfdV2Expected } from './trampfd-v2-expected.js';

/** tramp_v1's and tramp_v1_call's output as the trampfd v1 RFC (spec section 1) makes it. */
const TRAMPFD_V1 = { text: trampfdV1Expected, source: 'the trampfd v1 spec (test/differential/trampfd-v1-expected.ts)' };
const TRAMPFD_V1_CALL = { text: trampfdV1CallExpected, source: 'the trampfd v1 spec (test/differential/trampfd-v1-call-expected.ts)' };
/** tramp_v2's output as the trampfd v2 RFC (../shared/spec/trampfd.md section 2) makes it. */
const TRAMPFD_V2 = { text: trampfdV2Expected, source: 'the trampfd v2 spec (test/differential/trampfd-v2-expected.ts)' };
/** tramp_ffi_tfd's output: its closures' results on every backend (trampfd-ffi-expected.ts). */
const TRAMPFD_FFI = { text: trampfdFfiExpected, source: 'test/differential/trampfd-ffi-expected.ts' };

interface FixtureCase {
  /** Appended to the test title when a fixture has several cases. */
  label?: string;
  args?: string[];
  stdin?: string;
  env?: Record<string, string>;
  /** Pass a fresh scratch directory as argv[1] (default true). */
  tmpdir?: boolean;
  /** Exit status the fixture must have natively (default 0). */
  expectStatus?: number;
  /** Extra ushim options for this case. */
  ushimArgs?: string[];
  /**
   * Linux cannot run it (ushim-only ABIs): compare ushim's stdout with this file in
   * fixtures/expected/ instead of with a native run.
   */
  expected?: string;
  /** Like expected, with the output derived from the spec (test/differential/trampfd-*-expected.ts). */
  specExpected?: { text: () => string; source: string };
  /** Only in these build variants (default: every variant). */
  variants?: string[];
  /** A longer limit than the suite's, for stress runs. */
  timeoutMs?: number;
  /**
   * Free 2 MiB huge pages it needs: ushim runs with --hugepages N, the host gets them for
   * the native run (host-hugepages.ts). ushim's stdout must also equal fixtures/expected/
   * NAME.out, which is all that is compared on a host that cannot reserve them.
   */
  hugePages?: number;
}

/** Input for the stdio fixture: a long line, an empty line, no final newline. */
const STDIN_TEXT =
  'hello world\n' +
  '\n' +
  'this is a much longer line that fgets has to split into several pieces\n' +
  'tab\there, UTF-8 \u00e9\u00e8 and trailing spaces   \n' +
  'last line without newline';

/**
 * Fixtures that need something other than the default (scratch dir as
 * argv[1], no stdin, exit status 0).  Add new fixtures here when they do.
 */
const CASES: Record<string, FixtureCase[]> = {
  args_env: [
    {
      tmpdir: false,
      args: ['', 'a b', '-x', 'h\u00e9llo', '--', 'last'],
      env: { USHIM_A: 'alpha', USHIM_B: ' spaced  value ' },
    },
  ],
  procfs: [{ tmpdir: false, args: ['alpha', 'two words'], env: { USHIM_FIXTURE: 'procfs' } }],
  // glibc's own rseq registration off, so that the fixture registers its area.
  rseq: [{ tmpdir: false, env: { GLIBC_TUNABLES: 'glibc.pthread.rseq=0' } }],
  stdio: [{ tmpdir: false, stdin: STDIN_TEXT }],
  exit_status: [
    { label: 'exit(3)', args: ['exit3'], expectStatus: 3 },
    { label: 'return 42', args: ['ret42'], expectStatus: 42 },
    { label: '_exit(5) loses buffered stdout', args: ['_exit5'], expectStatus: 5 },
    { label: 'exit_group(7)', args: ['exit_group7'], expectStatus: 7 },
    { label: 'raw exit(8)', args: ['exit_raw8'], expectStatus: 8 },
    { label: 'exit(265) -> 9', args: ['exit265'], expectStatus: 9 },
    { label: 'exit(-1) -> 255', args: ['exitneg'], expectStatus: 255 },
  ].map((c) => ({ ...c, tmpdir: false })),
  asm_hello: [{ tmpdir: false, expectStatus: 7 }],
  low_address: [{ tmpdir: false }],
  // Run by its own test (fuzz.test.ts): native and ushim inside bubblewrap, compared per call.
  fuzz_syscalls: [],
  // Run by signal-inheritance.test.ts, under starters that ignore signals.
  sig_inherit: [],
  // Run by its own test (privileged-calls.test.ts): natively as root it would mount and reboot.
  privcalls: [],
  asm_entry: [{ tmpdir: false, args: ['one', 'two words', ''] }],
  time: [{ tmpdir: false }],
  identity: [{ tmpdir: false }],
  random: [{ tmpdir: false }],
  mremap: [{ tmpdir: false }],
  brk: [{ tmpdir: false }],
  malloc: [{ tmpdir: false }],
  compute: [{ tmpdir: false }],
  selfmod: [{ tmpdir: false }],
  fxsave: [{ tmpdir: false }],
  pipe_poll: [{ tmpdir: false }],
  // Edge-triggered epoll of host sockets on the loopback (net.test.ts runs it under --net=none too).
  inet_epoll_et: [{ tmpdir: false }],
  // rtnetlink with --net=host: the host's links and addresses (netlink.test.ts runs --net=none).
  netlink_ifaddrs: [{ tmpdir: false }],
  netlink_names: [{ tmpdir: false }],
  // Threads, processes and signals.
  threads_basic: [
    { tmpdir: false },
    { label: 'exit(7) from a non-main thread', tmpdir: false, args: ['exit-from-thread'], expectStatus: 7 },
  ],
  threads_sync: [{ tmpdir: false }],
  threads_spin: [{ tmpdir: false }],
  threads_cancel: [{ tmpdir: false }],
  futex2: [{ tmpdir: false }],
  ioprio: [{ tmpdir: false }],
  pkeys: [{ tmpdir: false }],
  numa: [{ tmpdir: false }],
  mseal: [{ tmpdir: false }],
  pipeline: [{ tmpdir: false }],
  orphans: [{ tmpdir: false }],
  signals_basic: [{ tmpdir: false }],
  signals_syscalls: [{ tmpdir: false }],
  signals_default: [{ tmpdir: false }],
  // Trampolines and W^X (issue 4). trampfd exists only in ushim: outputs derived from the spec
  // (trampfd-*-expected.ts); tramp_wx's is a file in fixtures/expected/.
  tramp_static: [{ tmpdir: false }, { label: '--wx=strict', tmpdir: false, ushimArgs: ['--wx=strict'] }],
  tramp_ffi: [
    { tmpdir: false },
    { label: '--wx=strict (libffi falls back to a double-mapped memfd)', tmpdir: false, ushimArgs: ['--wx=strict'] },
  ],
  tramp_ffi_tfd: [
    { label: 'closures on trampfd v2 and v1', tmpdir: false, specExpected: TRAMPFD_FFI },
    { label: '--trampfd=off falls back as on Linux', tmpdir: false, ushimArgs: ['--trampfd=off'] },
  ],
  tramp_v1: [
    { tmpdir: false, specExpected: TRAMPFD_V1 },
    { label: '--trampfd-440=v1 (the RFC number)', tmpdir: false, args: ['rfc440'], ushimArgs: ['--trampfd-440=v1'], specExpected: TRAMPFD_V1 },
    { label: '--trampfd=off: ENOSYS as on Linux', tmpdir: false, ushimArgs: ['--trampfd=off'] },
  ],
  tramp_v1_call: [
    { tmpdir: false, specExpected: TRAMPFD_V1_CALL },
    { label: '--trampfd-440=v1 (the RFC number)', tmpdir: false, args: ['rfc440'], ushimArgs: ['--trampfd-440=v1'], specExpected: TRAMPFD_V1_CALL },
    { label: '--trampfd=off: ENOSYS as on Linux', tmpdir: false, ushimArgs: ['--trampfd=off'] },
  ],
  tramp_v2: [
    { tmpdir: false, specExpected: TRAMPFD_V2 },
    { label: '--trampfd-440=v2 (the RFC number)', tmpdir: false, args: ['rfc440'], ushimArgs: ['--trampfd-440=v2'], specExpected: TRAMPFD_V2 },
    { label: '--trampfd=off: ENOSYS as on Linux', tmpdir: false, ushimArgs: ['--trampfd=off'] },
  ],
  tramp_wx: [{ label: '--wx=strict', ushimArgs: ['--wx=strict'], expected: 'tramp_wx.out' }],
  // Code-cache coherence (issue 14): 1e5 rounds of each JIT pattern in one variant, fewer in the others.
  // Preemption without system calls (issue 13): 'forever' is the SIGINT test's (preemption.test.ts).
  spin: ['alarm', 'itimer', 'posix-timer', 'threads'].map((mode) => ({ label: mode, tmpdir: false, args: [mode] })),
  slice_boundary: [{ tmpdir: false }, { label: '--deterministic (counted slices end after 0xf4 bytes)', tmpdir: false, ushimArgs: ['--deterministic'] }],
  privileged: [{ tmpdir: false }],
  // Half a million chained blocks, several times Unicorn's code buffer (issue 14: 2.1.1 wrapped
  // it without a flush and chained a zeroed block, a host SIGSEGV in tb_set_jmp_target).
  code_cache_fill: [{ tmpdir: false, variants: ['glibc'], timeoutMs: 300_000 }],
  jit_stress: [
    { label: '1e5 rounds of each pattern', tmpdir: false, args: ['100000'], variants: ['glibc'], timeoutMs: 900_000 },
    { label: '--wx=strict: the memfd double mapping, 1e5 rounds', tmpdir: false, args: ['100000', 'memfd', 'memfd-data'], ushimArgs: ['--wx=strict'], variants: ['glibc'] },
    { label: '--deterministic (counted slices)', tmpdir: false, args: ['5000'], ushimArgs: ['--deterministic'], variants: ['glibc'] },
    { label: '2000 rounds of each pattern', tmpdir: false, args: ['2000'], variants: ['glibc-pie', 'musl', 'glibc-dyn'] },
  ],
  // Guest memory (issue 12): frames past 4 GiB of guest RAM (MAP_POPULATE hands them out
  // without the host committing memory; 256 MiB elsewhere), and the overcommit heuristic
  // against the guest's /proc/meminfo, host-sized by default or from --memory.
  highmem: [
    { label: '--memory 5G: 4.5 GiB populated, frames past 4 GiB', args: ['4608'], ushimArgs: ['--memory', '5G'], variants: ['glibc'], timeoutMs: 300_000 },
    { label: '256 MiB', variants: ['glibc-pie', 'musl', 'glibc-dyn'] },
  ],
  overcommit: [{ tmpdir: false }, { label: '--memory 6G: the limit follows guest RAM', tmpdir: false, ushimArgs: ['--memory', '6G'], variants: ['glibc'] }],
  // userfaultfd (issue 6): run natively as root too (the host kernel has userfaultfd).
  uffd_missing: [{ tmpdir: false }],
  uffd_resolve: [{ tmpdir: false }],
  uffd_wp: [{ tmpdir: false }],
  uffd_minor: [{ tmpdir: false }],
  uffd_sigbus: [{ tmpdir: false }],
  uffd_events: [{ tmpdir: false }],
  uffd_read: [{ tmpdir: false }],
  uffd_stress: [{ label: '64 MiB, 8 threads, 2 handlers, 3 rounds', tmpdir: false, args: ['3'] }],
  // Huge pages (issue 10): the host's pool natively, --hugepages under ushim.
  hugetlb: [{ tmpdir: false, hugePages: 8 }],
  uffd_hugetlb: [{ tmpdir: false, hugePages: 8 }],
};

/** A hugetlb fixture: native vs ushim where the host has the pages, and ushim vs its expected output always. */
function compareHuge(name: string, bin: string, args: string[], count: number, opts: CompareOptions): void {
  const expected = path.join(REPO_ROOT, 'fixtures', 'expected', `${name}.out`);
  const withPages = { ...opts, ushimArgs: [...(opts.ushimArgs ?? []), '--hugepages', String(count)] };
  withHostHugePages(count, (available) => {
    if (!available) {
      compareExpected(bin, args, expected, withPages);
      return;
    }
    const { ushim } = compare(bin, args, withPages);
    if (ushim.stdout !== fs.readFileSync(expected, 'utf8')) throw new Error(`ushim's stdout differs from ${path.relative(REPO_ROOT, expected)}`);
  });
}

function listDir(dir: string): string[] {
  try {
    return fs.readdirSync(dir).sort();
  } catch {
    return [];
  }
}

const variants = listDir(FIXTURES_BUILD).filter((v) => fs.statSync(path.join(FIXTURES_BUILD, v)).isDirectory());

describe('differential: fixtures (native vs ushim)', function () {
  this.timeout(180_000);

  if (variants.length === 0) {
    it('fixtures are built', function () {
      throw new Error(`no fixtures in ${FIXTURES_BUILD}: run fixtures/build.sh first`);
    });
    return;
  }

  for (const variant of variants) {
    describe(variant, function () {
      const dir = path.join(FIXTURES_BUILD, variant);
      for (const name of listDir(dir)) {
        const bin = path.join(dir, name);
        if (!fs.statSync(bin).isFile()) continue;
        const cases = (CASES[name] ?? [{}]).filter((c) => c.variants === undefined || c.variants.includes(variant));
        for (const c of cases) {
          it(c.label ? `${name}: ${c.label}` : name, function () {
            if (c.timeoutMs !== undefined) this.timeout(c.timeoutMs);
            const opts = {
              tmpdir: c.tmpdir ?? true,
              stdin: c.stdin,
              env: c.env,
              expectStatus: c.expectStatus ?? 0,
              ushimArgs: c.ushimArgs,
            };
            if (c.hugePages !== undefined) compareHuge(name, bin, c.args ?? [], c.hugePages, opts);
            else if (c.specExpected !== undefined) compareWithText(bin, c.args ?? [], c.specExpected.text(), c.specExpected.source, opts);
            else if (c.expected !== undefined) compareExpected(bin, c.args ?? [], path.join(REPO_ROOT, 'fixtures', 'expected', c.expected), opts);
            else compare(bin, c.args ?? [], opts);
          });
        }
      }
    });
  }
});
