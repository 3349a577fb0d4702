// BusyBox's network applets, each run natively and under ushim against the same Node peer on
// 127.0.0.1 (issue 11): httpd serving a file to a Node client, nc listening for a Node
// client, and wget and nc fetching from a Node server. Ports are picked free by the host.
import * as assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { BASE_ENV, emulatorCommand } from './harness.js';

const BUSYBOX = '/bin/busybox';

interface Ended {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
}

/** A port nobody listens on right now (the host picks it). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

function start(command: string[], cwd: string): { child: ChildProcess; ended: Promise<Ended> } {
  const child = spawn(command[0], command.slice(1), { env: { ...BASE_ENV }, cwd, timeout: 60_000, killSignal: 'SIGKILL' });
  let stdout = '';
  child.stdout!.on('data', (b: Buffer) => (stdout += b.toString()));
  child.stderr!.resume();
  const ended = new Promise<Ended>((resolve) => child.on('close', (status, signal) => resolve({ status, signal, stdout })));
  return { child, ended };
}

/** Connects to port until something listens (the server under test may take a while to start). */
async function connectWhenListening(port: number): Promise<net.Socket> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await new Promise<net.Socket>((resolve, reject) => {
        const s = net.connect(port, '127.0.0.1', () => resolve(s));
        s.on('error', reject);
      });
    } catch (e) {
      if (attempt > 200) throw e;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

function httpGet(port: number, file: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path: file, agent: false }, (res) => {
      let body = '';
      res.on('data', (b: Buffer) => (body += b.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

/** Runs `run` once natively and once under ushim (the command prefix it is given) and returns both results. */
async function bothWays<T>(run: (prefix: string[]) => Promise<T>): Promise<{ native: T; ushim: T }> {
  const native = await run([]);
  const ushim = await run([...emulatorCommand(), '--crash-report=off']);
  return { native, ushim };
}

describe('busybox network applets on loopback (native vs ushim)', function () {
  this.timeout(120_000);
  let dir: string;

  before(function () {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ushim-bbnet-'));
    fs.writeFileSync(path.join(dir, 'hello.txt'), 'hello from busybox httpd\n');
  });

  after(function () {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('httpd serves a file and a 404 to a Node client', async function () {
    const { native, ushim } = await bothWays(async (prefix) => {
      const port = await freePort();
      const server = start([...prefix, BUSYBOX, 'httpd', '-f', '-p', `127.0.0.1:${port}`, '-h', dir], dir);
      (await connectWhenListening(port)).destroy();
      const found = await httpGet(port, '/hello.txt');
      const missing = await httpGet(port, '/missing.txt');
      server.child.kill('SIGTERM');
      const ended = await server.ended;
      return { found, missing: missing.status, signal: ended.signal };
    });
    assert.equal(native.found.status, 200);
    assert.deepEqual(ushim, native);
  });

  it('nc -l prints what a Node client sends', async function () {
    const { native, ushim } = await bothWays(async (prefix) => {
      const port = await freePort();
      const nc = start([...prefix, BUSYBOX, 'nc', '-l', '-p', String(port)], dir);
      const client = await connectWhenListening(port);
      client.end('line one\nline two\n');
      return nc.ended;
    });
    assert.equal(native.stdout, 'line one\nline two\n');
    assert.deepEqual(ushim, native);
  });

  it('wget and nc fetch from a Node server', async function () {
    const server = http.createServer((req, res) => {
      res.writeHead(req.url === '/data' ? 200 : 404, { 'Content-Type': 'text/plain' });
      res.end(req.url === '/data' ? 'served by node\n' : 'no\n');
    });
    const raw = net.createServer((s) => s.end('raw bytes from node\n'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    await new Promise<void>((r) => raw.listen(0, '127.0.0.1', r));
    const httpPort = (server.address() as net.AddressInfo).port;
    const rawPort = (raw.address() as net.AddressInfo).port;
    try {
      const { native, ushim } = await bothWays(async (prefix) => {
        const wget = await start([...prefix, BUSYBOX, 'wget', '-q', '-O', '-', `http://127.0.0.1:${httpPort}/data`], dir).ended;
        const missing = await start([...prefix, BUSYBOX, 'wget', '-q', '-O', '-', `http://127.0.0.1:${httpPort}/nothing`], dir).ended;
        const nc = await start([...prefix, BUSYBOX, 'nc', '127.0.0.1', String(rawPort)], dir).ended;
        return { wget, missing: missing.status, nc };
      });
      assert.equal(native.wget.stdout, 'served by node\n');
      assert.deepEqual(ushim, native);
    } finally {
      server.close();
      raw.close();
    }
  });
});
