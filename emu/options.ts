// Command-line options of the ushim CLI.
export interface CliOptions {
  root: string;
  env: Map<string, string>;
  unset: string[];
  argv0?: string;
  strace?: string | true;
  stats: boolean;
  deterministic: boolean;
  program: string;
  args: string[];
}

export class UsageError extends Error {}

export const USAGE = `usage: ushim [options] PROGRAM [ARGS...]
  --root DIR          guest root directory (default /)
  -E VAR=VALUE        set an environment variable for the guest
  -U VAR              remove an environment variable for the guest
  --argv0 NAME        argv[0] for the guest (default: PROGRAM)
  --strace[=FILE]     trace syscalls, strace-style, to stderr or FILE
  --stats             print counters at exit (page faults, syscalls, unimplemented calls)
  --deterministic     fixed time, randomness, pids and addresses: identical runs
  -h, --help          this text`;

export function parseOptions(argv: string[]): CliOptions {
  const opts: CliOptions = { root: '/', env: new Map(), unset: [], stats: false, deterministic: false, program: '', args: [] };
  let i = 0;
  const value = (name: string): string => {
    const v = argv[++i];
    if (v === undefined) throw new UsageError(`${name} needs a value`);
    return v;
  };
  for (; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('-') || arg === '-') break;
    if (arg === '--') {
      i++;
      break;
    }
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const inline = arg.startsWith('--') && eq > 0 ? arg.slice(eq + 1) : undefined;
    switch (name) {
      case '--root': opts.root = inline ?? value(name); break;
      case '-E': {
        const kv = value(name);
        const at = kv.indexOf('=');
        if (at <= 0) throw new UsageError(`-E takes VAR=VALUE, got '${kv}'`);
        opts.env.set(kv.slice(0, at), kv.slice(at + 1));
        break;
      }
      case '-U': opts.unset.push(value(name)); break;
      case '--argv0': opts.argv0 = inline ?? value(name); break;
      case '--strace': opts.strace = inline ?? true; break;
      case '--stats': opts.stats = true; break;
      case '--deterministic': opts.deterministic = true; break;
      case '-h': case '--help': throw new UsageError('');
      default: throw new UsageError(`unknown option '${arg}'`);
    }
  }
  if (i >= argv.length) throw new UsageError('no program given');
  opts.program = argv[i];
  opts.args = argv.slice(i + 1);
  return opts;
}
