// rtnetlink and what reads it, natively and under ushim. With --net=host (the default) the
// host's links, addresses and routes: BusyBox's `ip` and glibc's getent (getaddrinfo with
// AI_ADDRCONFIG). With --net=none a fresh network namespace with lo up, which the native side
// gets from `unshare -rn` (the netlink_ifaddrs fixture leaves out its part that needs an
// unprivileged caller, since root in a user namespace is privileged over its own network).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
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

describe('netlink: --strace', function () {
  this.timeout(60_000);

  it('decodes netlink addresses (a short one as sa_data), the name length as it was and became, options and flags', function () {
    const bin = path.join(FIXTURES_BUILD, 'glibc', 'netlink_ifaddrs');
    requireFile(this, bin, 'npm run fixtures');
    const trace = path.join(os.tmpdir(), `ushim-netlink-${process.pid}.strace`);
    try {
      const r = runUshim(bin, [], { ushimArgs: ['--deterministic', `--strace=${trace}`] });
      assert.equal(r.status, 0, r.stderr);
      const lines = fs.readFileSync(trace, 'utf8').split('\n');
      const expected = [
        /^socket\(AF_NETLINK, SOCK_RAW\|SOCK_CLOEXEC, NETLINK_ROUTE\) += \d+$/,
        /^bind\(\d+, \{sa_family=AF_NETLINK, sa_data="(\\0){9}"\}, 11\) += -1 EINVAL /,
        /^getsockname\(\d+, \{sa_family=AF_NETLINK, nl_pid=1000, nl_groups=00000000\}, \[12\]\) += 0$/,
        /^getsockname\(\d+, \{sa_family=AF_NETLINK, nl_pid=1000, nl_groups=00000000\}, \[128 => 12\]\) += 0$/,
        /^sendto\(\d+, "\\24\\0\\0\\0\\22\\0\\1\\3.*", 20, 0, \{sa_family=AF_NETLINK, nl_pid=0, nl_groups=00000000\}, 12\) += 20$/,
        /^recvmsg\(\d+, \{msg_name=\{sa_family=AF_NETLINK, nl_pid=0, nl_groups=00000000\}, msg_namelen=12, msg_iov=\[\{iov_base=".*", iov_len=\d+\}\], msg_iovlen=1, msg_controllen=0, msg_flags=0\}, MSG_DONTWAIT\) += \d+$/,
        /^setsockopt\(\d+, SOL_NETLINK, NETLINK_PKTINFO, \[1\], 4\) += 0$/,
        /^shutdown\(\d+, SHUT_RDWR\) += -1 EOPNOTSUPP /,
      ];
      for (const re of expected) assert.ok(lines.some((l) => re.test(l)), `no line matches ${re}`);
    } finally {
      fs.rmSync(trace, { force: true });
    }
  });
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
