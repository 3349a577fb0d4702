// The warm path's server for the benchmarks: `ushim --serve` on a socket of its own, whose
// client (dist/ushimc) is the 'warm' runner. Started before the benchmarks, stopped after.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { waitForPath } from './wait-for-path.js';

const START_TIMEOUT_MS = 60_000;

export class WarmServer {
  private constructor(
    private readonly server: ChildProcess,
    /** The command prefix that runs a program through this server. */
    readonly command: string[],
  ) {}

  /** A server with `workers` idle workers of `runsPerWorker` runs each, ready for clients; null without a built client. */
  static start(root: string, socket: string, workers: number, runsPerWorker: number): WarmServer | null {
    const client = join(root, 'dist', 'ushimc');
    if (!existsSync(client)) return null;
    const server = spawn(process.execPath, [join(root, 'bin', 'ushim'), '--serve', socket, '--workers', String(workers), '--runs-per-worker', String(runsPerWorker)], {
      stdio: 'ignore',
    });
    waitForPath(socket, START_TIMEOUT_MS, 'ushim --serve did not start');
    return new WarmServer(server, [client, '--socket', socket]);
  }

  stop(): void {
    this.server.kill('SIGTERM');
  }
}
