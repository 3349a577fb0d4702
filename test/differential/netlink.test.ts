// rtnetlink and what reads it, natively and under ushim. With --net=host (the default) the
// host's links, addresses and routes: BusyBox's `ip` and glibc's getent (getaddrinfo with
// AI_ADDRCONFIG). With --net=none a fresh network namespace with lo up, which the native side
// gets from `unshare -rn` (the netlink_ifaddrs fixture leaves out its part that needs an
// unprivileged caller, since root in a user namespace is privileged over its own network).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { FIXTURES_BUILD, compare, runNative, runUshim } from './harness.js';
import { requireFile, requireHost } from '../host-requirements.js';

const BUSYBOX = '/bin/busybox';
const GETENT = '/usr/bin/getent';

/** Whether this host lets an unprivileged user namespace bring up lo in a new network namespace. */
function freshNamespacesWork(): boolean {
  return spawnSync('unshare', ['-rn', 'ip', 'link', 'set', 'lo', 'up'], { stdio: 'ignore' }).status === 0;
}

describe('netlink: --net=host reads the host through rtnetlink', function () {
  this.timeout(120_000);

  for (const args of [['ip', 'route'], ['ip', '-6', 'route'], ['ip', 'addr'], ['ip', 'link'], ['ip', '-4', 'addr', 'show', 'dev', 'lo']]) {
    it(`busybox ${args.join(' ')}`, function () {
      requireFile(this, BUSYBOX, 'apt-get install busybox-static');
      compare(BUSYBOX, args, { argv0: 'busybox' });
    });
  }

  for (const what of ['hosts', 'ahosts', 'ahostsv4']) {
    it(`getent ${what} localhost`, function () {
      requireFile(this, GETENT, 'libc-bin');
      compare(GETENT, [what, 'localhost']);
    });
  }
});

describe('netlink: --net=none answers as a fresh network namespace with lo up', function () {
  this.timeout(120_000);

  for (const variant of ['glibc', 'musl', 'glibc-dyn']) {
    for (const extra of [[], ['--deterministic']]) {
      it(`${variant} netlink_ifaddrs ${extra.join(' ')}`.trimEnd(), function () {
        const bin = path.join(FIXTURES_BUILD, variant, 'netlink_ifaddrs');
        requireFile(this, bin, 'npm run fixtures');
        requireHost(this, freshNamespacesWork(), 'unshare -rn with ip (util-linux, iproute2; user namespaces enabled)');
        const native = runNative('unshare', ['-rn', 'sh', '-c', 'ip link set lo up && exec "$0" fresh-netns', bin]);
        assert.equal(native.status, 0, `native run failed: ${native.stderr}`);
        const ushim = runUshim(bin, ['fresh-netns'], { ushimArgs: ['--net=none', ...extra] });
        assert.equal(ushim.stderr, native.stderr);
        assert.equal(ushim.stdout, native.stdout);
        assert.equal(ushim.status, native.status);
      });
    }
  }

  it('busybox ip addr and ip route', function () {
    requireFile(this, BUSYBOX, 'apt-get install busybox-static');
    requireHost(this, freshNamespacesWork(), 'unshare -rn with ip (util-linux, iproute2; user namespaces enabled)');
    for (const args of [['ip', 'addr'], ['ip', 'link'], ['ip', 'route', 'show', 'table', 'local'], ['ip', '-6', 'route', 'show', 'table', 'local']]) {
      const native = runNative('unshare', ['-rn', 'sh', '-c', 'ip link set lo up && exec "$0" "$@"', BUSYBOX, ...args]);
      const ushim = runUshim(BUSYBOX, args, { ushimArgs: ['--net=none'] });
      assert.equal(ushim.stdout, native.stdout, `busybox ${args.join(' ')}`);
      assert.equal(ushim.status, native.status);
    }
  });
});
