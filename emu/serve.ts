// `ushim --serve SOCKET [--workers N]`: the warm path for many short runs (a test suite
// starting a program per test). It listens on an AF_UNIX socket and keeps N ushim worker
// processes started ahead (the bundle compiled, Unicorn and koffi loaded), each waiting to
// accept one client (client/ushimc.c), serving its run in a fresh kernel of its own
// (emu/serve-worker.ts) and exiting; a new worker takes each one's place. No state passes
// from one run to the next, and a crash ends one run.
import { type ChildProcess, spawn } from 'node:child_process';
import { lstatSync, readdirSync, unlinkSync } from 'node:fs';
import { libcCalls } from '../host/libc.js';
import { hostBind, hostListen, hostSocket } from '../host/socket.js';
import { hostPathSockaddr } from '../host/unix-socket.js';
import { textByteString } from '../kernel-shim/abi/bytes.js';

export const SERVE_OPTION = '--serve';
/** How a worker is started; the listening socket is its fd 3. */
export const WORKER_OPTION = '--serve-worker';
const DEFAULT_WORKERS = 4;
const AF_UNIX = 1;
const SOCK_STREAM = 1;
const BACKLOG = 128;
const F_SETFD = 2, FD_CLOEXEC = 1;
/** A worker that ends sooner than this after its start is replaced only after this long. */
const RESPAWN_DELAY_MS = 1000;

function fail(message: string): void {
  process.stderr.write(`ushim: ${message}\n`);
  process.exitCode = 2;
}

export function serve(args: string[]): Promise<void> {
  const [path, ...rest] = args;
  let workers = DEFAULT_WORKERS;
  if (rest.length === 2 && rest[0] === '--workers' && /^[1-9][0-9]{0,2}$/.test(rest[1])) workers = Number(rest[1]);
  else if (path === undefined || rest.length !== 0) {
    fail(`usage: ushim ${SERVE_OPTION} SOCKET [--workers N]`);
    return Promise.resolve();
  }
  // The server's own inherited fds are not its clients': its workers must not pass them on.
  closeOnExecInherited();
  const listener = listen(path);
  if (typeof listener === 'string') {
    fail(listener);
    return Promise.resolve();
  }
  const pool = new Set<ChildProcess>();
  let closing = false;
  const start = (): void => {
    if (closing) return;
    const started = performance.now();
    // Detached: a terminal's Ctrl-C for the server does not reach a worker serving a client.
    const worker = spawn(process.execPath, [...process.execArgv, process.argv[1], WORKER_OPTION], {
      stdio: ['ignore', 'inherit', 'inherit', listener], detached: true,
    });
    pool.add(worker);
    worker.on('exit', () => {
      pool.delete(worker);
      setTimeout(start, performance.now() - started < RESPAWN_DELAY_MS ? RESPAWN_DELAY_MS : 0);
    });
  };
  for (let i = 0; i < workers; i++) start();
  process.stderr.write(`ushim: serving on ${path} (${workers} workers)\n`);
  return new Promise((resolve) => {
    const stop = (): void => {
      closing = true;
      // Idle workers end; a worker serving a client ignores this and finishes its run.
      for (const worker of pool) worker.kill('SIGTERM');
      try {
        unlinkSync(path);
      } catch {
        // Removed by someone else already.
      }
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

function closeOnExecInherited(): void {
  for (const name of readdirSync('/proc/self/fd')) {
    if (Number(name) > 2) libcCalls.fcntl(Number(name), F_SETFD, FD_CLOEXEC);
  }
}

/** The listening socket's fd, or why there is none. A socket file left by an earlier server is replaced. */
function listen(path: string): number | string {
  const addr = hostPathSockaddr(textByteString(path));
  if (typeof addr === 'number') return `${path}: name too long for a socket`;
  try {
    if (lstatSync(path).isSocket()) unlinkSync(path);
  } catch {
    // Nothing there yet.
  }
  const fd = hostSocket(AF_UNIX, SOCK_STREAM, 0);
  if (fd < 0) return `cannot make a socket (errno ${-fd})`;
  const bound = hostBind(fd, addr);
  if (bound < 0) return `cannot bind ${path} (errno ${-bound})`;
  const listening = hostListen(fd, BACKLOG);
  return listening < 0 ? `cannot listen on ${path} (errno ${-listening})` : fd;
}
