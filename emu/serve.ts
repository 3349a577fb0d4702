// `ushim --serve SOCKET [--workers N]`: the warm path for many short runs (a test suite
// starting a program per test). It listens on an AF_UNIX socket and keeps N ushim worker
// processes started ahead (the bundle compiled, Unicorn and koffi loaded), each waiting to
// accept one client (client/ushimc.c), serving its run in a fresh kernel of its own
// (emu/serve-worker.ts) and exiting; a new worker takes each one's place. No state passes
// from one run to the next, and a crash ends one run.
import { spawn } from 'node:child_process';
import { lstatSync, readdirSync, unlinkSync } from 'node:fs';
import { libcCalls } from '../host/libc.js';
import { hostBind, hostListen, hostSocket } from '../host/socket.js';
import { hostPathSockaddr } from '../host/unix-socket.js';
import { textByteString } from '../kernel-shim/abi/bytes.js';
import { WorkerPool } from './serve-pool.js';

export const SERVE_OPTION = '--serve';
/** How a worker is started; the listening socket is its fd 3. */
export const WORKER_OPTION = '--serve-worker';
const DEFAULT_WORKERS = 4;
const AF_UNIX = 1;
const SOCK_STREAM = 1;
const BACKLOG = 128;
const F_SETFD = 2, FD_CLOEXEC = 1;

function fail(message: string): void {
  process.stderr.write(`ushim: ${message}\n`);
  process.exitCode = 2;
}

/** SOCKET [--workers N] [--runs-per-worker K], or undefined. */
function parseServeArgs(args: string[]): { path: string; workers: number; runsPerWorker: number } | undefined {
  const [path, ...rest] = args;
  const numbers = new Map([['--workers', DEFAULT_WORKERS], ['--runs-per-worker', 1]]);
  for (let i = 0; i < rest.length; i += 2) {
    if (!numbers.has(rest[i]) || !/^[1-9][0-9]{0,5}$/.test(rest[i + 1] ?? '')) return undefined;
    numbers.set(rest[i], Number(rest[i + 1]));
  }
  if (path === undefined || path.startsWith('-')) return undefined;
  return { path, workers: numbers.get('--workers')!, runsPerWorker: numbers.get('--runs-per-worker')! };
}

export function serve(args: string[]): Promise<void> {
  const parsed = parseServeArgs(args);
  if (parsed === undefined) {
    fail(`usage: ushim ${SERVE_OPTION} SOCKET [--workers N] [--runs-per-worker K]`);
    return Promise.resolve();
  }
  const { path, workers, runsPerWorker } = parsed;
  // The server's own inherited fds are not its clients': its workers must not pass them on.
  closeOnExecInherited();
  const listener = listen(path);
  if (typeof listener === 'string') {
    fail(listener);
    return Promise.resolve();
  }
  // Detached: a terminal's Ctrl-C for the server does not reach a worker serving a client.
  const pool = new WorkerPool(workers, () => spawn(process.execPath, [...process.execArgv, process.argv[1], WORKER_OPTION, String(runsPerWorker)], {
    stdio: ['ignore', 'inherit', 'inherit', listener, 'pipe'], detached: true,
  }));
  pool.fill();
  process.stderr.write(`ushim: serving on ${path} (${workers} workers)\n`);
  return new Promise((resolve) => {
    const stop = (): void => {
      pool.close();
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
