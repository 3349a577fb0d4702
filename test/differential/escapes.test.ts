// Escape attempts from `--root R` (issue 12): fixtures/src/escape.c tries every technique
// that once reached the host (magic links to symlinks, names replaced by symlinks, removed or
// renamed working directories and dirfds, device nodes) and those that were always contained,
// with a sentinel directory OUT outside R (R = OUT/root). The guest is hostile, so every run
// is contained by bubblewrap with the host read-only and only OUT writable: ushim runs
// unprivileged (a user namespace, uid 65534) and as root. Nothing outside R may be read,
// listed, created, appended to or executed, and the guest's answers must be those of the same
// program run natively with R as its root in an unprivileged container.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { hasTool, requireFile, requireHost } from '../host-requirements.js';
import { FIXTURES_BUILD, REPO_ROOT, USHIM_BIN } from './harness.js';

const FIXTURE = path.join(FIXTURES_BUILD, 'glibc', 'escape');
const SENTINEL = 'SENTINEL\n';
const UNPRIVILEGED = ['--unshare-user', '--uid', '65534', '--gid', '65534'];

/** OUT with the sentinel, a directory to list, a program to run, and the root R inside it. */
function prepare(): string {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'ushim-escape-'));
  fs.mkdirSync(path.join(out, 'root', 'work'), { recursive: true });
  fs.mkdirSync(path.join(out, 'listme'));
  fs.writeFileSync(path.join(out, 'secret'), SENTINEL);
  fs.writeFileSync(path.join(out, 'listme', 'OUTSIDE-MARKER'), '');
  fs.copyFileSync(FIXTURE, path.join(out, 'prog'));
  fs.copyFileSync(FIXTURE, path.join(out, 'root', 'escape'));
  // Everything writable by everyone: an escape would be free to append and create.
  for (const p of ['', 'root', 'root/work', 'listme']) fs.chmodSync(path.join(out, p), 0o777);
  for (const p of ['secret', 'prog', 'root/escape']) fs.chmodSync(path.join(out, p), p === 'secret' ? 0o666 : 0o755);
  return out;
}

/** The host's view of OUT outside R: it must not change. (Not walked recursively: R holds symlinks to OUT.) */
function outside(out: string): string[] {
  const top = fs.readdirSync(out).filter((p) => p !== 'root');
  const listed = fs.readdirSync(path.join(out, 'listme')).map((p) => `listme/${p}`);
  return [...top, ...listed].sort();
}

function run(args: string[]): string {
  const r = spawnSync('bwrap', args, { encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.error, undefined);
  return `${r.stdout}${r.stderr}exit ${r.status}\n`;
}

/**
 * The guest under ushim in bubblewrap: the host read-only, OUT writable. `outer`: what runs
 * ushim (nothing, or ushim itself running node).
 */
function underUshim(out: string, privilege: string[], outer: string[] = []): string {
  // The checkout may itself live under /tmp: it is bound back read-only over the fresh /tmp.
  const jail = ['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--tmpfs', '/tmp', '--ro-bind', REPO_ROOT, REPO_ROOT, '--bind', out, out, ...privilege];
  return run([...jail, '--chdir', path.join(out, 'root', 'work'), ...outer, process.execPath, USHIM_BIN, '--root', path.join(out, 'root'), '/escape', out, 'attempt']);
}

/** The same program natively, with R as the root of an unprivileged container. */
function natively(out: string): string {
  return run(['--bind', path.join(out, 'root'), '/', '--dev', '/dev', '--proc', '/proc', ...UNPRIVILEGED, '--chdir', '/work', '/escape', out, 'attempt']);
}

function assertContained(out: string, output: string): void {
  for (const leak of ['SENTINEL', 'OUTSIDE-MARKER', 'EXECUTED-OUTSIDE']) assert.ok(!output.includes(leak), `${leak} reached the guest:\n${output}`);
  assert.equal(fs.readFileSync(path.join(out, 'secret'), 'utf8'), SENTINEL, 'the sentinel was written to');
  assert.deepEqual(outside(out), ['listme', 'listme/OUTSIDE-MARKER', 'prog', 'secret'], 'something was created outside the root');
}

describe('escapes from --root (bubblewrap, host read-only)', function () {
  this.timeout(300_000);
  const dirs: string[] = [];
  let expected: string;

  before(function () {
    requireHost(this, hasTool('bwrap'), 'bwrap (apt-get install bubblewrap)');
    requireFile(this, FIXTURE, 'npm run fixtures');
    const out = prepare();
    dirs.push(out);
    expected = natively(out);
    // The native run is the reference only if the container held it in the first place.
    assertContained(out, expected);
  });

  after(() => {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  for (const [label, privilege] of [
    ['unprivileged (uid 65534 in a user namespace)', UNPRIVILEGED],
    ['as root', []],
  ] as const) {
    it(`holds every attempt ${label}, answering as Linux does in an unprivileged container`, function () {
      const out = prepare();
      dirs.push(out);
      const output = underUshim(out, [...privilege]);
      assertContained(out, output);
      assert.equal(output, expected);
    });
  }

  // The inner ushim confines its --root with openat2(RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS),
  // which the outer one answers. getcwd after a rename of the working directory is left out:
  // the outer ushim's /proc/self/fd/N links name a directory where it was opened, and the
  // inner one reads its working directory's path there.
  it('holds every attempt when ushim itself runs inside ushim, answering as Linux does but for getcwd after a rename', function () {
    const out = prepare();
    dirs.push(out);
    const output = underUshim(out, [], [process.execPath, USHIM_BIN]);
    assertContained(out, output);
    const sansRenamedCwd = (text: string): string => text.split('\n').filter((l) => !/^renamed .*getcwd: /.test(l)).join('\n');
    assert.equal(sansRenamedCwd(output), sansRenamedCwd(expected));
  });

});
