// One warm ushim of `ushim --serve` (emu/serve.ts): started ahead with the listening socket
// as fd 3, it waits for a client, takes on what the client would have given a ushim it
// started itself (stdin, stdout and stderr, the working directory, the umask, resource
// limits, ignored signals, process group and session, the arguments and the environment),
// runs the CLI for it (emu/cli-run.ts), forwards the signals the client passes on, and
// answers with the guest's end; then it exits, so the next run gets a fresh process.
import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { Socket } from 'node:net';
import { libcCalls } from '../host/libc.js';
import { receiveWithFds } from '../host/passed-fds.js';
import { pollHostFds } from '../host/poll.js';
import { hostAccept } from '../host/socket.js';
import { machineOptions, runCli } from './cli-run.js';
import { BUSY, CONTINUE, CONTROL_FD, IDLE_AGAIN } from './serve-pool.js';
import { Machine, type MachineOptions } from './machine.js';
import { parseOptions } from './options.js';
import type { HostContext } from './host-context.js';
import { HEADER_BYTES, ProtocolError, type ServeRequest, decodeRequest, exitRecord, payloadLength, stopRecord } from './serve-protocol.js';

const LISTEN_FD = 3;
const F_GETFL = 3, F_SETFL = 4, F_SETFD = 2, FD_CLOEXEC = 1, O_NONBLOCK = 0o4000;
const EAGAIN = 11, EINTR = 4;
const MAX_SIGNAL = 64;
/** The client's working directory and its fds 0, 1 and 2. */
const MAX_PASSED_FDS = 4;
/** A program name for parsing an option-less command line: only the options matter. */
const PLACEHOLDER_PROGRAM = 'program';
/** Signals the server sends its workers when it shuts down: one serving a client finishes. */
const SERVER_SIGNALS: NodeJS.Signals[] = ['SIGTERM', 'SIGINT', 'SIGHUP'];

/**
 * Serves `runs` clients one after the other, each in a machine of its own, then exits (1:
 * every run in a fresh process). After a run the machine is closed and fds 0, 1 and 2 go
 * back to /dev/null, so that the client's pipes see their end.
 */
export async function serveClients(runs: number): Promise<void> {
  // The guest inherits this process's fds without close-on-exec (inherited-fds.ts): not this one.
  libcCalls.fcntl(LISTEN_FD, F_SETFD, FD_CLOEXEC);
  for (let served = 1; ; served++) {
    // The machine of a run without options, CPU engine and guest RAM included, made ahead.
    const starter: { client?: ClientHost } = {};
    const defaults = machineOptions(parseOptions([PLACEHOLDER_PROGRAM], {}), () => starter.client?.stop());
    const prepared = new Machine(defaults);
    void prepared.engine;
    const conn = acceptClient();
    // Busy: the server starts another worker, and its shutdown no longer ends this one.
    for (const name of SERVER_SIGNALS) process.on(name, ignore);
    writeSync(CONTROL_FD, BUSY);
    libcCalls.fcntl(conn, F_SETFL, libcCalls.fcntl(conn, F_GETFL, 0) & ~O_NONBLOCK);
    let request: ServeRequest;
    try {
      request = receiveRequest(conn);
    } catch (e) {
      if (!(e instanceof ProtocolError)) throw e;
      process.stderr.write(`ushim: --serve: ${e.message}\n`);
      process.exit(1);
    }
    const last = served >= runs;
    starter.client = clientHost(conn, request, (options) => (sameOptions(options, defaults) ? prepared : undefined), last);
    const machine = await runCli(starter.client);
    machine?.kernel.close();
    if (machine !== prepared) prepared.kernel.close();
    starter.client.release();
    stdioToNull();
    if (!goOn()) process.exit(0);
    for (const name of SERVER_SIGNALS) process.removeListener(name, ignore);
  }
}

function ignore(): void {}

/** Asks the server whether this worker serves another run (or enough others are idle). */
function goOn(): boolean {
  writeSync(CONTROL_FD, IDLE_AGAIN);
  const answer = Buffer.alloc(1);
  for (;;) {
    pollHostFds([CONTROL_FD], -1n);
    try {
      if (readSync(CONTROL_FD, answer, 0, 1, null) === 0) return false;
      return answer.toString('latin1') === CONTINUE;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') return false;
    }
  }
}

function stdioToNull(): void {
  const fd = openSync('/dev/null', 'r+');
  for (const stdio of [0, 1, 2]) libcCalls.dup2(fd, stdio);
  closeSync(fd);
}

function sameOptions(a: MachineOptions, b: MachineOptions): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)] as (keyof MachineOptions)[]);
  return [...keys].every((key) => key === 'stopHost' || a[key] === b[key]);
}

/** Waits for a client; other workers may take a connection first (EAGAIN). */
function acceptClient(): number {
  for (;;) {
    // The server only ever answers on the control pipe: anything there now is its end (EOF).
    if (pollHostFds([LISTEN_FD, CONTROL_FD], -1n).includes(CONTROL_FD)) process.exit(0);
    const accepted = hostAccept(LISTEN_FD);
    if (typeof accepted !== 'number') return accepted.fd;
    if (accepted !== -EAGAIN && accepted !== -EINTR) throw new Error(`--serve: accept failed (errno ${-accepted})`);
  }
}

/** Reads the request and takes on the client's fds and working directory. */
function receiveRequest(conn: number): ServeRequest {
  const first = receiveWithFds(conn, HEADER_BYTES, MAX_PASSED_FDS);
  if (typeof first === 'number') throw new ProtocolError(`receiving the request failed (errno ${-first})`);
  const header = Buffer.concat([first.data, readExactly(conn, HEADER_BYTES - first.data.length)]);
  const request = decodeRequest(readExactly(conn, payloadLength(header)));
  const [cwd, ...stdio] = first.fds;
  if (cwd === undefined || stdio.length !== request.stdio.filter(Boolean).length) {
    throw new ProtocolError('the fds passed do not match the request');
  }
  if (libcCalls.fchdir(cwd) !== 0) throw new ProtocolError(`cannot enter the client's working directory (errno ${libcCalls.errno()})`);
  libcCalls.close(cwd);
  request.stdio.forEach((passed, fd) => {
    if (passed) {
      const received = stdio.shift()!;
      libcCalls.dup2(received, fd);
      libcCalls.close(received);
    } else libcCalls.close(fd);
  });
  process.umask(request.inherited.inheritance?.umask ?? 0o022);
  return request;
}

function readExactly(fd: number, length: number): Buffer {
  const out = Buffer.alloc(length);
  for (let at = 0; at < length;) {
    const n = readSync(fd, out, at, length - at, null);
    if (n === 0) throw new ProtocolError('the client went away');
    at += n;
  }
  return out;
}

interface ClientHost extends HostContext {
  /** The run is over: the connection is closed. */
  release(): void;
}

/**
 * The client as the starter of this run: signals come from it, the guest's end goes back to
 * it; after the `last` run the worker exits.
 */
function clientHost(conn: number, request: ServeRequest, preparedMachine: HostContext['preparedMachine'], last: boolean): ClientHost {
  let socket: Socket | undefined;
  return {
    preparedMachine,
    argv: request.argv,
    env: request.env,
    inherited: request.inherited,
    forwardSignals(forward) {
      socket = new Socket({ fd: conn, readable: true, writable: false });
      let pending = Buffer.alloc(0);
      socket.on('data', (chunk: Buffer) => {
        pending = Buffer.concat([pending, chunk]);
        for (; pending.length >= 4; pending = pending.subarray(4)) {
          const signo = pending.readUInt32LE(0);
          if (signo >= 1 && signo <= MAX_SIGNAL) forward(signo);
        }
      });
      // The client is gone (killed): so is its run, as a ushim killed with its guest.
      socket.on('close', () => process.exit(1));
    },
    stop: () => void writeSync(conn, stopRecord()),
    exit(status) {
      writeSync(conn, exitRecord(status));
      if (last) process.exit(0);
    },
    release() {
      if (socket === undefined) libcCalls.close(conn);
      else {
        socket.removeAllListeners('close');
        socket.destroy();
      }
    },
  };
}
