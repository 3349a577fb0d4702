// `ushim --gdb SPEC` and `--gdb-on-crash SPEC`: a gdb server over the running machine.
import type { ExitStatus } from '../../kernel-shim/process.js';
import { signalDescription } from '../../kernel-shim/signal/numbers.js';
import type { Machine } from '../machine.js';
import { runDebugged } from './driver.js';
import { MachineTarget } from './machine-target.js';
import { GdbServer } from './server.js';
import type { StopEvent } from './target.js';

export interface GdbSessionOptions {
  /** Where to listen: "PORT", "HOST:PORT" or "unix:PATH". */
  listen: string;
  /** 'start': wait for gdb before the first instruction; 'crash': only at a fatal signal. */
  mode: 'start' | 'crash';
  /** One line for the user (stderr). */
  log: (line: string) => void;
  /** How long to let gdb see the end before closing its connection (ms). */
  lingerMs?: number;
}

export async function runWithGdb(machine: Machine, options: GdbSessionOptions): Promise<ExitStatus> {
  const proc = machine.process;
  if (proc === undefined) throw new Error('runWithGdb before load');
  let server: GdbServer | null = null;
  let connected = false;
  const disconnected: (() => void)[] = [];

  const start = async (initialStop: StopEvent | undefined, why: string): Promise<void> => {
    const s = new GdbServer(target, { initialStop, onDisconnect: 'detach' });
    server = s;
    s.on('connection', () => (connected = true));
    s.on('disconnect', () => {
      connected = false;
      for (const f of disconnected.splice(0)) f();
    });
    s.on('error', (err) => options.log(`ushim: gdb server: ${err.message}`));
    try {
      const address = await s.listen(options.listen);
      options.log(`ushim: ${why}; waiting for gdb on ${address}`);
    } catch (err) {
      options.log(`ushim: cannot listen for gdb on ${options.listen}: ${(err as Error).message}`);
      target.kill();
    }
  };

  const target = new MachineTarget(machine.kernel, machine.engine, proc, {
    mode: options.mode,
    onCrash: (event) => {
      const sig = event.reason === 'signal' ? event.signal : 5;
      void start(event, `process ${proc.pid} got signal ${sig} (${signalDescription(sig)})`);
    },
  });
  if (options.mode === 'start') await start(undefined, `process ${proc.pid} stopped before its first instruction`);

  const status = await runDebugged(machine, target);
  const s = server as GdbServer | null;
  if (s !== null) {
    if (connected) {
      // gdb closes the connection itself once it has seen the exit (or after D/k).
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, options.lingerMs ?? 2000);
        disconnected.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    await s.close();
  }
  return status;
}
