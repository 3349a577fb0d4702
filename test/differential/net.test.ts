// AF_INET/AF_INET6 with peers outside ushim: a guest client talking to a Node server and a
// Node client talking to a guest server, each compared with the same fixture run natively;
// and --net=none compared with the fixture run natively in a fresh network namespace
// (`unshare -rn`, lo up), plus what a host peer gets from an isolated guest.
import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { FIXTURES_BUILD, compareWithText, emulatorCommand, runNative, runUshim } from './harness.js';

const PEER = path.join(FIXTURES_BUILD, 'glibc', 'inet_peer');
const NONE = path.join(FIXTURES_BUILD, 'glibc', 'inet_none');

interface Finished {
  out: string;
  status: number | null;
}

/** Runs a command, handing each stdout line to onLine as it comes; resolves when it exits. */
function run(command: string[], onLine: (line: string) => void = () => {}): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(command[0], command.slice(1), { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    let pending = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      pending += d.toString();
      let nl;
      while ((nl = pending.indexOf('\n')) >= 0) {
        onLine(pending.slice(0, nl));
        pending = pending.slice(nl + 1);
      }
    });
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ out, status });
    });
  });
}

const ushim = (...args: string[]): string[] => [...emulatorCommand(), '--crash-report=off', ...args];

/** A Node server on host:0 that answers each connection's first line reversed; its port. */
async function reversingServer(host: string): Promise<{ server: net.Server; port: number; connections: () => number }> {
  let count = 0;
  const server = net.createServer((sock) => {
    count++;
    sock.once('data', (d) => sock.end(`${d.toString().trim().split('').reverse().join('')}\n`));
    sock.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return { server, port: (server.address() as net.AddressInfo).port, connections: () => count };
}

/** Connects to host:port, sends a line, and resolves with everything received until the end. */
function converse(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    let got = '';
    const sock = net.connect(port, host, () => sock.write('hello guest\n'));
    sock.on('data', (d) => (got += d.toString()));
    sock.on('close', () => resolve(got));
    sock.on('error', (e) => (got += `[${(e as NodeJS.ErrnoException).code}]`));
  });
}

/** Runs inet_peer as a server (under `command`) and talks to it with converse(). */
async function serveOnce(command: string[], host: string): Promise<{ guest: Finished; peer: string }> {
  let talk: Promise<string> = Promise.resolve('(no port printed)');
  const guest = await run(command, (line) => {
    const port = /^port (\d+)$/.exec(line);
    if (port !== null) talk = converse(host, Number(port[1]));
  });
  return { guest, peer: await talk };
}

/** Whether this machine lets an unprivileged user namespace have a network namespace. */
function canUnshareNet(): boolean {
  return spawnSync('unshare', ['-rn', 'sh', '-c', 'ip link set lo up'], { stdio: 'ignore' }).status === 0;
}

describe('sockets with peers outside ushim', function () {
  this.timeout(60_000);
  before(function () {
    if (!fs.existsSync(PEER)) throw new Error(`${PEER} is missing: run fixtures/build.sh`);
  });

  for (const host of ['127.0.0.1', '::1']) {
    it(`a guest client talks to a host server on ${host}`, async function () {
      const { server, port, connections } = await reversingServer(host);
      try {
        const native = await run([PEER, 'client', host, String(port)]);
        const guest = await run(ushim(PEER, 'client', host, String(port)));
        assert.equal(native.out, 'connect: ok\nsend: ok\nreply: gnip\n');
        assert.deepEqual(guest, native);
        assert.equal(connections(), 2);
      } finally {
        server.close();
      }
    });

    it(`a host client talks to a guest server on ${host}`, async function () {
      const native = await serveOnce([PEER, 'server', host], host);
      const guest = await serveOnce(ushim(PEER, 'server', host), host);
      const hidePort = (r: { guest: Finished; peer: string }): unknown => ({ ...r, guest: { ...r.guest, out: r.guest.out.replace(/^port \d+/, 'port N') } });
      assert.deepEqual(hidePort(guest), hidePort(native));
      assert.equal(native.peer, 'HELLO GUEST\n');
    });
  }
});

/** python3's http.server in a thread, fetched with urllib: the standard library's sockets end to end. */
const PYTHON_HTTP = `
import http.server, threading, urllib.request
class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args): pass
srv = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Quiet)
threading.Thread(target=srv.serve_forever, daemon=True).start()
for path in ['/', '/missing']:
    try:
        r = urllib.request.urlopen('http://127.0.0.1:%d%s' % (srv.server_address[1], path))
        print(path, r.status, len(r.read()) > 0)
    except urllib.error.HTTPError as e:
        print(path, e.code)
srv.shutdown()
`;

describe('a dynamic program serving and fetching HTTP', function () {
  this.timeout(60_000);

  it('python3 http.server with urllib prints what it prints natively', function () {
    if (!fs.existsSync('/usr/bin/python3')) this.skip();
    const native = runNative('/usr/bin/python3', ['-c', PYTHON_HTTP]);
    assert.equal(native.stdout, '/ 200 True\n/missing 404\n', native.stderr);
    compareWithText('/usr/bin/python3', ['-c', PYTHON_HTTP], native.stdout, 'python3 run natively');
  });
});

describe('--net=none', function () {
  this.timeout(60_000);

  it('answers as a fresh network namespace with lo up (unshare -rn)', function () {
    if (!canUnshareNet()) this.skip();
    const native = runNative('unshare', ['-rn', 'sh', '-c', `ip link set lo up && exec ${NONE} isolated`]);
    assert.equal(native.status, 0, native.stderr);
    compareWithText(NONE, ['isolated'], native.stdout, 'inet_none run natively under unshare -rn', { ushimArgs: ['--net=none'] });
  });

  it('keeps a guest client from a host server', async function () {
    const { server, port, connections } = await reversingServer('127.0.0.1');
    try {
      const guest = await run(ushim('--net=none', PEER, 'client', '127.0.0.1', String(port)));
      assert.deepEqual(guest, { out: 'connect: ECONNREFUSED\n', status: 0 });
      assert.equal(connections(), 0);
    } finally {
      server.close();
    }
  });

  it('keeps a host client from a guest server', async function () {
    // The port the guest sees is its own namespace's: on the host it leads elsewhere or nowhere.
    const r = await serveOnce(ushim('--net=none', PEER, 'server', '127.0.0.1'), '127.0.0.1');
    assert.equal(r.guest.out.replace(/^port \d+/, 'port N'), 'port N\naccept: EAGAIN\n');
    assert.ok(!r.peer.includes('HELLO'), r.peer);
  });

  for (const name of ['inet_echo', 'inet_errors', 'inet_epoll', 'inet_epoll_et', 'inet_signals', 'inet_none']) {
    it(`runs ${name} as natively (it stays on the loopback)`, function () {
      const bin = path.join(FIXTURES_BUILD, 'glibc', name);
      const native = runNative(bin, []);
      assert.equal(native.status, 0, native.stderr);
      compareWithText(bin, [], native.stdout, `${name} run natively`, { ushimArgs: ['--net=none'] });
    });
  }

  it('runs a Go net/http server and client as natively', function () {
    const bin = path.join(FIXTURES_BUILD, 'go', 'http_loopback');
    if (!fs.existsSync(bin)) this.skip();
    compareWithText(bin, [], runNative(bin, []).stdout, 'http_loopback run natively', { ushimArgs: ['--net=none'] });
  });

  it('picks the same ports in every --deterministic run', function () {
    const runs = [1, 2].map(() => runUshim(PEER, ['server', '127.0.0.1'], { ushimArgs: ['--net=none', '--deterministic'] }).stdout);
    assert.equal(runs[0], 'port 32768\naccept: EAGAIN\n');
    assert.equal(runs[1], runs[0]);
  });

});
