// Who started ushim, as the CLI sees it: the arguments, the environment and the inherited
// state the first guest process starts with, where host signals come from, and how ushim's
// end reaches its starter. A cold ushim's starter is its own parent process; a warm one's is
// a client of `ushim --serve` (emu/serve-worker.ts).
import type { ExitStatus } from '../kernel-shim/process.js';
import type { Machine, MachineOptions } from './machine.js';
import { hostArguments, hostEnvironment } from './host-args.js';
import { exitLikeGuest } from './host-exit.js';
import { type HostInheritance, hostInheritance } from './host-inheritance.js';
import { type HostSession, hostSession } from './host-session.js';

/** What the first guest process inherits from the program that started ushim. */
export interface InheritedState {
  ppid: number;
  /** Its process group and session (undefined: unknown, the kernel's own stand). */
  session: HostSession | undefined;
  /** Its umask, resource limits and ignored signals (undefined: the kernel's defaults). */
  inheritance: HostInheritance | undefined;
}

export interface HostContext {
  /** ushim's arguments (options, the program and its arguments) as byte strings. */
  argv: string[];
  /** The starter's environment, NAME=VALUE byte strings. */
  env: string[];
  inherited: InheritedState;
  /** From now on, every signal sent to ushim goes to forward(signo). */
  forwardSignals(forward: (signo: number) => void): void;
  /** Only stopped guest processes remain: ushim stops, as a stopped native program would. */
  stop(): void;
  /** The guest is gone: ushim ends as it did (its exit status, or death by its signal). */
  exit(status: ExitStatus): void;
  /** A machine made ahead for these options, or undefined: one is made now. */
  preparedMachine?(options: MachineOptions): Machine | undefined;
}

/** Host signals forwarded to the guest's process group, as a terminal would send them. */
const HOST_SIGNALS: readonly [NodeJS.Signals, number][] = [
  ['SIGHUP', 1], ['SIGINT', 2], ['SIGQUIT', 3], ['SIGUSR1', 10], ['SIGUSR2', 12], ['SIGALRM', 14], ['SIGTERM', 15],
  ['SIGWINCH', 28],
];

/** What ushim's own process inherited: its parent is the starter. */
export function ownInheritedState(): InheritedState {
  return { ppid: process.ppid, session: hostSession(), inheritance: hostInheritance() };
}

/** The CLI run as a program: its own command line, environment and signals. */
export function processHost(decodedArgv: string[]): HostContext {
  return {
    argv: hostArguments(decodedArgv),
    env: hostEnvironment(),
    inherited: ownInheritedState(),
    // Every signal a process could be sent goes to the guest (none opens Node's inspector).
    forwardSignals(forward) {
      for (const [name, nr] of HOST_SIGNALS) process.on(name, () => forward(nr));
    },
    stop: () => process.kill(process.pid, 'SIGSTOP'),
    exit(status) {
      // The guest is gone; a signal arriving while ushim exits must neither reach it nor find
      // Node's own disposition (SIGUSR1 would open the inspector).
      for (const [name] of HOST_SIGNALS) {
        process.removeAllListeners(name);
        process.on(name, () => {});
      }
      exitLikeGuest(status);
    },
  };
}
