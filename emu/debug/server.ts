// `--gdb PORT`, `--gdb HOST:PORT` or `--gdb unix:PATH`: listen, accept one gdb connection,
// and connect it to a GdbStub driving the target. Further connections are refused while one
// is open; after it closes the listener stays up (a later gdb may attach again) until
// close() is called.

import { EventEmitter } from 'node:events';
import { lstatSync, unlinkSync } from 'node:fs';
import net from 'node:net';
import { GdbStub, type SessionEnd, type StubOptions } from './stub.js';
import type { Target } from './target.js';

export type GdbListenSpec = { kind: 'tcp'; host: string; port: number } | { kind: 'unix'; path: string };

/** Parse the argument of --gdb: "1234", "localhost:1234", ":1234" or "unix:/path/to/socket". */
export function parseGdbListenSpec(spec: string): GdbListenSpec {
  if (spec.startsWith('unix:')) {
    const path = spec.slice(5);
    if (path === '') throw new Error('--gdb unix: needs a socket path');
    return { kind: 'unix', path };
  }
  const colon = spec.lastIndexOf(':');
  const host = colon < 0 ? '127.0.0.1' : spec.slice(0, colon) || '127.0.0.1';
  const portText = colon < 0 ? spec : spec.slice(colon + 1);
  if (!/^\d+$/.test(portText)) throw new Error(`--gdb: bad port '${spec}'`);
  const port = Number(portText);
  if (port > 65535) throw new Error(`--gdb: bad port '${spec}'`);
  return { kind: 'tcp', host, port };
}

/** What happens to the process when gdb disconnects without D or k. */
export type DisconnectPolicy = 'detach' | 'kill' | 'keep';

export interface GdbServerOptions extends Omit<StubOptions, 'onEnd'> {
  /** Default 'detach': the program runs on untraced. 'keep' leaves it stopped for the next gdb. */
  onDisconnect?: DisconnectPolicy;
}

export interface GdbServerEvents {
  listening: [address: string];
  connection: [stub: GdbStub];
  /** The gdb connection closed; how the session ended (or 'disconnected' if gdb just went). */
  disconnect: [how: SessionEnd | 'disconnected'];
  error: [err: Error];
}

export class GdbServer extends EventEmitter<GdbServerEvents> {
  private readonly server: net.Server;
  private socket: net.Socket | null = null;
  private stub: GdbStub | null = null;
  private sessionEnd: SessionEnd | null = null;
  private unixPath: string | null = null;

  constructor(
    private readonly target: Target,
    private readonly options: GdbServerOptions = {},
  ) {
    super();
    this.server = net.createServer((socket) => this.accept(socket));
    this.server.on('error', (err) => this.emit('error', err));
  }

  /** The stub of the current connection, if any. */
  get current(): GdbStub | null {
    return this.stub;
  }

  /** Start listening; resolves with a printable address ("127.0.0.1:1234" or the socket path). */
  listen(spec: GdbListenSpec | string): Promise<string> {
    const s = typeof spec === 'string' ? parseGdbListenSpec(spec) : spec;
    return new Promise((resolve, reject) => {
      const onError = (err: Error): void => reject(err);
      this.server.once('error', onError);
      const done = (): void => {
        this.server.off('error', onError);
        const a = this.server.address();
        const text = typeof a === 'string' ? a : a === null ? '' : `${a.address}:${a.port}`;
        this.emit('listening', text);
        resolve(text);
      };
      if (s.kind === 'unix') {
        try {
          if (lstatSync(s.path).isSocket()) unlinkSync(s.path); // a stale socket from an earlier run
        } catch {
          // none there
        }
        this.unixPath = s.path;
        this.server.listen(s.path, done);
      } else {
        this.server.listen(s.port, s.host, done);
      }
    });
  }

  /** Stop listening and drop the connection, if any. */
  close(): Promise<void> {
    this.socket?.destroy();
    return new Promise((resolve) => {
      this.server.close(() => {
        if (this.unixPath !== null) {
          try {
            unlinkSync(this.unixPath);
          } catch {
            // already gone
          }
        }
        resolve();
      });
    });
  }

  private accept(socket: net.Socket): void {
    if (this.socket !== null) {
      socket.destroy(); // one debugger at a time
      return;
    }
    this.socket = socket;
    this.sessionEnd = null;
    socket.setNoDelay?.(true);
    const stub = new GdbStub(
      this.target,
      {
        write: (data) => {
          if (!socket.destroyed) socket.write(data);
        },
        close: () => socket.end(),
      },
      { ...this.options, onEnd: (how) => (this.sessionEnd = how) },
    );
    this.stub = stub;
    socket.on('data', (chunk: Buffer) => stub.feed(chunk));
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      stub.dispose();
      const how = this.sessionEnd ?? 'disconnected';
      if (how === 'disconnected' && !stub.processGone) {
        const policy = this.options.onDisconnect ?? 'detach';
        if (policy === 'detach') this.target.detach();
        else if (policy === 'kill') this.target.kill();
      }
      this.socket = null;
      this.stub = null;
      this.emit('disconnect', how);
    });
    this.emit('connection', stub);
  }
}
