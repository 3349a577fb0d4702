// A host process a benchmark talks to (bench/src/tcp_sink.c for tcp_to_host): started
// natively before the benchmark's runs and stopped after them, it listens on 127.0.0.1 and
// writes its port to a file, which every runner's command gets in BENCH_PEER_PORT.
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { waitForPath } from './wait-for-path.js';

const START_TIMEOUT_MS = 10_000;

export class HostPeer {
  private constructor(
    private readonly peer: ChildProcess,
    /** The environment variables that tell a benchmark where the peer listens. */
    readonly env: Record<string, string>,
  ) {}

  /** Starts `program` with the file it writes its port to; returns once it listens. */
  static start(program: string, portFile: string): HostPeer {
    const peer = spawn(program, [portFile], { stdio: 'ignore' });
    try {
      waitForPath(portFile, START_TIMEOUT_MS, `${program} did not start listening`);
    } catch (e) {
      peer.kill('SIGKILL');
      throw e;
    }
    return new HostPeer(peer, { BENCH_PEER_PORT: readFileSync(portFile, 'utf8').trim() });
  }

  stop(): void {
    this.peer.kill('SIGTERM');
  }
}
