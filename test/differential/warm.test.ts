// The warm path: `ushim --serve SOCKET` and its client (dist/ushimc, client/ushimc.c). Programs
// run through the client must behave as they do natively, as through a cold ushim: stdout,
// stderr, exit status or death by signal, the scratch directory, and what the client passes
// on (arguments, environment, stdin, working directory, umask, limits, ignored signals).
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FIXTURES_BUILD, REPO_ROOT, USHIM_BIN, compare, runNative, runUshim } from './harness.js';

const CLIENT = path.join(REPO_ROOT, 'dist', 'ushimc');
const BUSYBOX = '/bin/busybox';
const START_TIMEOUT_MS = 60_000;

function fixture(name: string): string {
  return path.join(FIXTURES_BUILD, 'glibc', name);
}

for (const runsPerWorker of [1, 50]) describe(`warm path: ushim --serve and ushimc, ${runsPerWorker} run(s) per worker`, function () {
  this.timeout(120_000);
  let server: ChildProcess | undefined;
  let dir = '';
  let savedCommand: string | undefined;
  let socket = '';

  before(async function () {
    if (!fs.existsSync(CLIENT)) this.skip();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ushim-serve-'));
    socket = path.join(dir, 'ushim.sock');
    const started = spawn(process.execPath, [USHIM_BIN, '--serve', socket, '--workers', '1', '--runs-per-worker', String(runsPerWorker)], { stdio: ['ignore', 'ignore', 'pipe'] });
    server = started;
    await new Promise<void>((resolve, reject) => {
      let said = '';
      const timer = setTimeout(() => reject(new Error(`ushim --serve did not start: ${said}`)), START_TIMEOUT_MS);
      started.stderr.on('data', (chunk: Buffer) => {
        said += chunk.toString();
        if (said.includes('serving on')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    savedCommand = process.env.USHIM_CMD;
    process.env.USHIM_CMD = `${CLIENT} --socket ${socket}`;
  });

  after(async () => {
    if (savedCommand === undefined) delete process.env.USHIM_CMD;
    else process.env.USHIM_CMD = savedCommand;
    if (server !== undefined && server.exitCode === null) {
      const exited = new Promise((resolve) => server!.once('exit', resolve));
      server.kill('SIGTERM');
      await exited;
      assert.ok(!fs.existsSync(socket), 'the server removes its socket');
    }
    if (dir !== '') fs.rmSync(dir, { recursive: true, force: true });
  });

  it('arguments and environment, with their exact bytes', () => {
    compare(fixture('args_env'), ['', 'a b', '-x', 'h\u00e9llo', '--', 'last'], { env: { USHIM_A: 'alpha', USHIM_B: ' spaced  value ' } });
  });

  it('stdin, stdout and stderr are the client\'s', () => {
    compare(fixture('stdio'), [], { stdin: 'one line\n\nlast line without newline' });
  });

  it('the working directory and files written there', () => {
    compare(fixture('files_rw'), ['{TMP}'], { tmpdir: true });
  });

  it('exit statuses', () => {
    compare(fixture('exit_status'), ['exit3'], { expectStatus: 3 });
    compare(fixture('exit_status'), ['exit265'], { expectStatus: 9 });
  });

  it('a guest killed by a signal kills the client with it', () => {
    const args = ['sh', '-c', 'echo before; kill -TERM $$; echo after'];
    const native = runNative(BUSYBOX, args);
    const client = runUshim(BUSYBOX, args);
    assert.deepEqual([client.signal, client.status, client.stdout], [native.signal, native.status, native.stdout]);
    assert.equal(native.signal, 'SIGTERM');
  });

  it('the umask, resource limits, ignored signals, parent and working directory of the client', () => {
    const script = 'umask; ulimit -n; ulimit -s; grep -E "^SigIgn" /proc/self/status; echo $PPID; pwd';
    const run = (prefix: string) => spawnSync('/bin/sh', ['-c', `umask 027; ulimit -n 200; trap '' USR1; exec ${prefix} ${BUSYBOX} sh -c '${script}'`], {
      cwd: '/usr', encoding: 'utf8',
    });
    const native = run('');
    const client = run(process.env.USHIM_CMD!);
    assert.deepEqual([client.status, client.stdout, client.stderr], [native.status, native.stdout, native.stderr]);
    assert.match(native.stdout, /^0027\n200\n/);
  });

  it('signals sent to the client reach the guest', async () => {
    const [command, ...options] = process.env.USHIM_CMD!.split(' ');
    const started = performance.now();
    const client = spawn(command, [...options, BUSYBOX, 'sh', '-c', 'trap "echo got USR1" USR1; sleep 20 & wait; echo woke; exec sleep 20'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    client.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const ended = new Promise<NodeJS.Signals | null>((resolve) => client.once('exit', (_code, signal) => resolve(signal)));
    await new Promise((resolve) => setTimeout(resolve, 3000));
    client.kill('SIGUSR1');
    await new Promise((resolve) => setTimeout(resolve, 2000));
    client.kill('SIGTERM');
    assert.equal(await ended, 'SIGTERM');
    assert.equal(out, 'got USR1\nwoke\n');
    assert.ok(performance.now() - started < 15_000, 'the sleeps were cut short');
  });

  it('a pipeline of more runs than idle workers gets a worker for each', () => {
    const client = process.env.USHIM_CMD!;
    const stages = [1, 2, 3, 4].map(() => `${client} ${BUSYBOX} cat`).join(' | ');
    const r = spawnSync('/bin/sh', ['-c', stages], { input: 'through four workers\n', encoding: 'utf8', timeout: 60_000 });
    assert.deepEqual([r.status, r.stdout], [0, 'through four workers\n']);
  });

  it('nothing of a run reaches the next: umask, working directory, stdio', () => {
    const client = process.env.USHIM_CMD!;
    const first = spawnSync('/bin/sh', ['-c', `umask 077; cd /tmp && ${client} ${BUSYBOX} sh -c 'umask; pwd'`], { encoding: 'utf8' });
    const second = spawnSync('/bin/sh', ['-c', `umask 022; cd /usr && ${client} ${BUSYBOX} sh -c 'umask; pwd; cat'`], { encoding: 'utf8', input: 'mine\n' });
    assert.deepEqual([first.stdout, second.stdout], ['0077\n/tmp\n', '0022\n/usr\nmine\n']);
  });

  it('a missing program is 127 and a usage error 2, with the messages of a cold ushim', () => {
    for (const args of [['/nonexistent/program'], ['--no-such-option', BUSYBOX]]) {
      const client = runUshim(args[0], args.slice(1));
      const cold = spawnSync(process.execPath, [USHIM_BIN, '--crash-report=off', ...args], { encoding: 'utf8' });
      assert.deepEqual([client.status, client.stdout, client.stderr], [cold.status, cold.stdout, cold.stderr]);
      assert.ok(client.status === 127 || client.status === 2);
    }
  });
});
