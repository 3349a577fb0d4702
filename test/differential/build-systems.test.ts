// ushim where build systems put qemu-x86_64: the project in test/projects/hello is configured,
// built and tested twice, natively and as a cross build whose tests run through bin/ushim
// (CMake's CMAKE_CROSSCOMPILING_EMULATOR with ctest, meson's exe_wrapper with `meson test`),
// configured with the README's examples as written (ushim's path put in).
// Every test must end as it does natively, including the one that fails on purpose. The
// emulator's command line adds `-E HELLO_EMULATED=ushim`, which the args test prints: the logs
// show that ushim, not the host, ran the programs.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { hasTool, requireHost } from '../host-requirements.js';
import { readmeBlocks } from '../readme-blocks.js';
import { REPO_ROOT, runNative, USHIM_BIN } from './harness.js';

const PROJECT = path.join(REPO_ROOT, 'test', 'projects', 'hello');
const EMULATOR = [USHIM_BIN, '-E', 'HELLO_EMULATED=ushim'];
/** Where ushim is in the README's examples. */
const README_USHIM = '/path/to/ushim';

/** The README's example for one build system (its code block in `lang`), ushim's path in it. */
function readmeExample(lang: string): string {
  const block = readmeBlocks('### Drop-in for qemu-x86_64').find((b) => b.lang === lang);
  assert.ok(block !== undefined && block.code.includes(README_USHIM), `the README's drop-in section has a ${lang} block naming ${README_USHIM}`);
  return block.code;
}

/** One test's outcome as the runner reports it, with what the program printed. */
interface Outcome {
  name: string;
  result: string;
  stdout: string;
}

/** Runs a build tool in `cwd`; fails the test with its output when it fails. */
function tool(cwd: string, command: string, args: string[]): string {
  const r = runNative(command, args, { cwd });
  const output = `${r.command.join(' ')}:\n${r.stdout}${r.stderr}${r.error ?? ''}`;
  assert.equal(r.status, 0, output);
  return r.stdout;
}

/** What every test prints, natively (`emulated` is what the args test saw in HELLO_EMULATED). */
function expected(passed: string, expectedFail: string, emulated: string): Outcome[] {
  return [
    { name: 'args', result: passed, stdout: `hello, world\nemulated: ${emulated}\n` },
    { name: 'fails', result: expectedFail, stdout: 'failing on purpose with status 3\n' },
    { name: 'greet', result: passed, stdout: 'greet: 0 failures\n' },
  ];
}

/** Configures, builds and runs ctest; returns each test's outcome and command line. */
function ctest(build: string, configure: string[]): { outcomes: Outcome[]; commands: string[] } {
  tool(os.tmpdir(), 'cmake', ['-S', PROJECT, '-B', build, '-G', 'Ninja', ...configure]);
  tool(build, 'cmake', ['--build', '.']);
  const junit = path.join(build, 'junit.xml');
  const log = tool(build, 'ctest', ['--verbose', '--output-junit', junit]);
  // The JUnit report holds each test's status ("run" when it passed, WILL_FAIL counted) and output.
  const testcase = /<testcase name="([^"]*)"[^>]*status="([^"]*)">\s*<system-out>([^<]*)<\/system-out>/g;
  const outcomes = [...fs.readFileSync(junit, 'utf8').matchAll(testcase)].map(([, name, result, stdout]) => ({ name, result, stdout }));
  const commands = [...log.matchAll(/^\d+: Test command: (.*)$/gm)].map((m) => m[1]);
  return { outcomes: outcomes.sort((a, b) => a.name.localeCompare(b.name)), commands };
}

/** Sets up a meson build (with `cross` as its cross file if given) and runs `meson test`. */
function mesonTest(build: string, cross?: string): { outcomes: Outcome[]; returncodes: number[]; commands: string[][] } {
  tool(os.tmpdir(), 'meson', ['setup', ...(cross ? ['--cross-file', cross] : []), build, PROJECT]);
  tool(build, 'meson', ['test']);
  const lines = fs.readFileSync(path.join(build, 'meson-logs', 'testlog.json'), 'utf8').trim().split('\n');
  const tests = lines.map((line) => JSON.parse(line) as Outcome & { returncode: number; command: string[] });
  tests.sort((a, b) => a.name.localeCompare(b.name));
  return {
    outcomes: tests.map(({ name, result, stdout }) => ({ name, result, stdout })),
    returncodes: tests.map((t) => t.returncode),
    commands: tests.map((t) => t.command),
  };
}

describe('build systems run their tests through ushim', function () {
  this.timeout(120_000);
  let dir: string;
  // The real path: the build tools print resolved paths.
  beforeEach(() => (dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'ushim-build-systems-')))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('CMake: ctest runs every test through CMAKE_CROSSCOMPILING_EMULATOR, ending as natively', function () {
    requireHost(this, hasTool('cmake') && hasTool('ctest') && hasTool('ninja'), 'cmake, ctest and ninja (apt-get install cmake ninja-build)');
    const native = ctest(path.join(dir, 'native'), []);
    assert.deepEqual(native.outcomes, expected('run', 'run', 'no'));
    assert.equal(native.commands.length, 3);
    for (const command of native.commands) assert.ok(command.startsWith(`${dir}/native/test_`), command);

    const cross = [...readmeExample('sh').matchAll(/-D\S+/g)].map(([option]) => option.replace(README_USHIM, EMULATOR.join(';')));
    const emulated = ctest(path.join(dir, 'ushim'), cross);
    assert.deepEqual(emulated.outcomes, expected('run', 'run', 'ushim'));
    assert.equal(emulated.commands.length, 3);
    for (const command of emulated.commands) assert.ok(command.startsWith(`${USHIM_BIN} "-E" "HELLO_EMULATED=ushim" "${dir}/ushim/test_`), command);
  });

  it('meson: `meson test` runs every test through the exe_wrapper, ending as natively', function () {
    requireHost(this, hasTool('meson') && hasTool('ninja'), 'meson and ninja (apt-get install meson ninja-build)');
    const native = mesonTest(path.join(dir, 'native'));
    assert.deepEqual(native.outcomes, expected('OK', 'EXPECTEDFAIL', 'no'));
    assert.deepEqual(native.returncodes, [0, 3, 0]);
    for (const command of native.commands) assert.ok(command[0].startsWith(`${dir}/native/test_`), command.join(' '));

    const crossFile = path.join(dir, 'ushim.ini');
    fs.writeFileSync(crossFile, readmeExample('ini').replace(`'${README_USHIM}'`, EMULATOR.map((a) => `'${a}'`).join(', ')));
    const emulated = mesonTest(path.join(dir, 'ushim'), crossFile);
    assert.deepEqual(emulated.outcomes, expected('OK', 'EXPECTEDFAIL', 'ushim'));
    assert.deepEqual(emulated.returncodes, [0, 3, 0]);
    for (const command of emulated.commands) assert.deepEqual(command.slice(0, EMULATOR.length), EMULATOR);
  });
});
