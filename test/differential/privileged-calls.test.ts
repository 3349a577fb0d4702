// The privileged calls (mount, umount2, pivot_root, swap, reboot, host names, modules,
// kexec, acct, vhangup, the new mount API, adjtimex) as an unprivileged process gets them
// answered: fixtures/src/privcalls.c runs natively and under ushim as uid 65534 in a user
// namespace without capabilities (bubblewrap, the host read-only; the checkout stays
// readable wherever it lives, even in a 0700 temporary directory, which a real uid 65534
// could not enter), and the outputs must be the same. As root the native side
// would mount or reboot, so fixtures.test.ts leaves this fixture out. ushim answers so
// whatever it runs as: the guest never has a capability in the initial user namespace.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { hasTool, requireFile, requireHost } from '../host-requirements.js';
import { FIXTURES_BUILD, REPO_ROOT, USHIM_BIN } from './harness.js';
import { openSyscallLog, syscallLogArgs } from './syscall-log.js';

const JAIL = [
  '--unshare-user', '--uid', '65534', '--gid', '65534',
  '--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--tmpfs', '/tmp', '--ro-bind', REPO_ROOT, REPO_ROOT, '--chdir', '/tmp',
];

/** The syscall log stays writable inside the read-only jail. */
function logBind(): string[] {
  const file = openSyscallLog(false);
  return file === undefined ? [] : ['--bind', file, file];
}

function run(command: string[]): string {
  const r = spawnSync('bwrap', [...JAIL, ...logBind(), ...command], { encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.error, undefined);
  return `${r.stdout}${r.stderr}exit ${r.status}\n`;
}

describe('differential: privileged calls as uid 65534 without capabilities (bubblewrap)', function () {
  this.timeout(180_000);

  for (const variant of ['glibc', 'musl']) {
    it(`${variant}: answers as Linux does without capabilities`, function () {
      requireHost(this, hasTool('bwrap'), 'bubblewrap (apt-get install bubblewrap)');
      const bin = path.join(FIXTURES_BUILD, variant, 'privcalls');
      requireFile(this, bin, 'npm run fixtures');
      const native = run([bin]);
      assert.match(native, /^uid 65534\n/);
      assert.equal(run([process.execPath, USHIM_BIN, '--crash-report=off', ...syscallLogArgs(), bin]), native);
    });
  }

  it('refuses the module, kexec and I/O port calls as a kernel with them does (this host may lack them)', function () {
    requireHost(this, hasTool('bwrap'), 'bubblewrap (apt-get install bubblewrap)');
    const bin = path.join(FIXTURES_BUILD, 'glibc', 'privcalls');
    requireFile(this, bin, 'npm run fixtures');
    const lines = run([process.execPath, USHIM_BIN, '--crash-report=off', ...syscallLogArgs(), bin, 'modules']).split('\n');
    for (const call of ['init_module', 'finit_module', 'finit_module bad flags', 'delete_module', 'kexec_load', 'kexec_file_load']) {
      assert.ok(lines.includes(`${call}: EPERM`), `${call}: EPERM missing from:\n${lines.join('\n')}`);
    }
    // Linux with CONFIG_X86_IOPL_IOPERM (arch/x86/kernel/ioport.c), without CAP_SYS_RAWIO.
    for (const answer of ['iopl 0: = 0', 'iopl 3: EPERM', 'iopl 4: EINVAL', 'ioperm on: EPERM', 'ioperm off: = 0', 'ioperm past 65536: EINVAL']) {
      assert.ok(lines.includes(answer), `${answer} missing from:\n${lines.join('\n')}`);
    }
  });
});
