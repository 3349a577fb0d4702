// The ushim command for one starter (emu/host-context.ts): parse options, load the program,
// run it, end with the guest's status.
import { RootUnconfinable } from '../kernel-shim/fs/hostat.js';
import { appendFileSync, openSync, writeSync } from 'node:fs';
import { LoadError } from '../loader/index.js';
import { GuestRamUnavailable } from '../host/physmem.js';
import { UnicornError, UnicornUnavailable } from '../cpu/engine.js';
import { Machine, type MachineOptions } from './machine.js';
import { type CliOptions, USAGE, UsageError, parseOptions } from './options.js';
import { StraceWriter } from './strace-writer.js';
import { ushimVersion } from './version.js';
import { printStats } from './stats.js';
import { defaultAction, signalDescription } from '../kernel-shim/signal/numbers.js';
import { crashReport } from './debug/crash-report.js';
import { runWithGdb } from './debug/session.js';
import { instrumentTrampolines, setTraceSink } from '../kernel-shim/trampfd/events.js';
import { InstrumentHooks } from '../cpu/trace-hooks.js';
import { ExecutionTracer } from './debug/trace.js';
import type { HostContext } from './host-context.js';
import { stringBytes } from '../kernel-shim/abi/bytes.js';

/** The starter's environment with -E/-U applied; entries keep their order and exact bytes. */
function guestEnvironment(starter: string[], set: Map<string, string>, unset: string[]): string[] {
  const nameOf = (entry: string) => entry.slice(0, entry.indexOf('=') < 0 ? entry.length : entry.indexOf('='));
  const env = starter.filter((e) => !unset.includes(nameOf(e)) && !set.has(nameOf(e)));
  return [...env, ...[...set].map(([k, v]) => `${k}=${v}`)];
}

/** The starter's environment as Node's process.env has it (UTF-8 text), for the QEMU_* variables. */
function textEnvironment(env: string[]): NodeJS.ProcessEnv {
  const entries = env.map((e) => stringBytes(e).toString('utf8')).filter((e) => e.includes('='));
  return Object.fromEntries(entries.map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]));
}

/** A message naming guest paths (byte strings), written with their exact bytes. */
function writeMessage(text: string): void {
  process.stderr.write(stringBytes(text));
}

/** The machine the options ask for; `stopHost` stops the starter (HostContext.stop). */
export function machineOptions(opts: CliOptions, stopHost: () => void): MachineOptions {
  return {
    root: opts.root, libraryPrefix: opts.libraryPrefix, deterministic: opts.deterministic, timeSliceMs: opts.timeSliceMs, physicalMemory: opts.memory, hugePages: opts.hugePages, wx: opts.wx, net: opts.net, trampfd: opts.trampfd, trampfd440: opts.trampfd440,
    stopHost, hostSignalsWake: true,
  };
}

/** Runs the command line of `host`; returns the machine it made (a warm worker closes it). */
export async function runCli(host: HostContext): Promise<Machine | undefined> {
  let opts;
  try {
    opts = parseOptions(host.argv, textEnvironment(host.env));
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    if (e.message) writeMessage(`ushim: ${e.message}\n`);
    process.stderr.write(USAGE + '\n');
    host.exit({ code: e.message ? 2 : 0 });
    return undefined;
  }
  if (opts.version) {
    process.stdout.write(`ushim ${ushimVersion()} (x86_64 Linux user-mode emulator; qemu-x86_64 options accepted)\n`);
    host.exit({ code: 0 });
    return undefined;
  }
  let machine: Machine;
  let made: Machine | undefined;
  try {
    const options = machineOptions(opts, () => host.stop());
    machine = made = host.preparedMachine?.(options) ?? new Machine(options);
    machine.load({
      program: opts.program, argv: [opts.argv0 ?? opts.program, ...opts.args], env: guestEnvironment(host.env, opts.env, opts.unset),
      inherited: host.inherited,
    });
  } catch (e) {
    if (e instanceof LoadError) {
      writeMessage(`ushim: ${e.message}\n`);
      host.exit({ code: e.status });
      return made;
    }
    if (e instanceof UnicornUnavailable || e instanceof UnicornError || e instanceof RootUnconfinable || e instanceof GuestRamUnavailable) {
      writeMessage(`ushim: ${e.message}\n`);
      host.exit({ code: 1 });
      return made;
    }
    throw e;
  }
  // -D FILE sends strace and trace output to one file, opened once.
  const logFd = opts.strace !== undefined && opts.strace !== true && opts.strace === opts.traceFile ? openSync(stringBytes(opts.strace), 'w') : undefined;
  if (opts.strace !== undefined) {
    const fd = opts.strace === true ? 2 : logFd ?? openSync(stringBytes(opts.strace), 'w');
    const writer = new StraceWriter(machine.kernel, (line) => writeSync(fd, line + '\n'));
    machine.tracer = writer;
    setTraceSink(machine.kernel, (task, text) => writer.event(task, text));
  }
  // Trampoline invocations and W^X refusals (kernel-shim/trampfd/events.ts).
  if (opts.stats !== false) instrumentTrampolines(machine.kernel);
  // --trace: execution tracing; without it no instrumentation hook exists.
  let tracer: ExecutionTracer | undefined;
  if (opts.trace !== undefined) {
    const fd = opts.traceFile === undefined ? 2 : logFd ?? openSync(stringBytes(opts.traceFile), 'w');
    tracer = new ExecutionTracer(machine.kernel, { ...opts.trace, ranges: opts.traceRanges, write: (text) => writeSync(fd, text) });
    tracer.attach(new InstrumentHooks(machine.engine));
  }
  if (opts.crashReport) {
    machine.kernel.onFatalSignal = (task, info) => {
      tracer?.flush();
      if (defaultAction(info.signo) === 'core') process.stderr.write(crashReport(task, info));
    };
  }
  host.forwardSignals((signo) => machine.hostSignal(signo));
  const gdb = opts.gdb ?? opts.gdbOnCrash;
  const status = gdb === undefined
    ? await machine.runAsync()
    : await runWithGdb(machine, { listen: gdb, mode: opts.gdb !== undefined ? 'start' : 'crash', log: (line) => process.stderr.write(line + '\n') });
  tracer?.flush();
  if (opts.stats !== false) {
    const statsFile = opts.stats;
    const lines: string[] = [];
    printStats(machine.kernel, (line) => lines.push(line + '\n'), machine.syscallName);
    if (statsFile === true) process.stderr.write(lines.join(''));
    else {
      try {
        appendFileSync(statsFile, lines.join(''));
      } catch (e) {
        process.stderr.write(`ushim: --stats: cannot write ${statsFile}: ${(e as Error).message}\n`);
      }
    }
  }
  // A shell says itself that a program was killed; only a crash (a core-dumping signal) gets
  // ushim's line, beside its crash report.
  if (status.signal !== undefined && opts.crashReport && defaultAction(status.signal) === 'core') {
    process.stderr.write(`ushim: guest killed by signal ${status.signal} (${signalDescription(status.signal)})${status.core ? ' - core dumped' : ''}\n`);
  }
  host.exit(status);
  return machine;
}
