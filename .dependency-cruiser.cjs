// The layering, checked by `npm run depcruise` (part of `npm test`). Imports point one way:
//
//   emu/ (front ends: CLI, API, gdb stub, tracing)
//     -> syscalls/ (decode, dispatch, encode)
//       -> kernel-shim/ (all Linux semantics; defines the CPU port, kernel-shim/cpu-port.ts)
//         -> loader/ (pure ELF -> load plan)      -> host/ (the host libc through koffi)
//   cpu/ (the Unicorn engine) implements the port: it may import host/ and, type-only, the port.
//
// test/, bench/ and scripts/ may import anything.

// Production folders; everything else (test/, bench/, scripts/) is free.
const LAYERS = '^(emu|syscalls|kernel-shim|cpu|host|loader)/';
const PORT = '^kernel-shim/cpu-port\\.ts$';

// Edges that break a rule today and are being removed by the issue 9 work in progress
// (H-cpu: the CPU port replaces kernel-shim's and syscalls' imports of cpu/ and host/).
// Each entry names one rule and the importing files still allowed to break it; delete
// the entry when the edge is gone. Nothing may be added here.
const KNOWN = {
  'kernel-shim-not-to-cpu': [
    'kernel-shim/kernel.ts', 'kernel-shim/process.ts', 'kernel-shim/task.ts', 'kernel-shim/sched.ts',
    'kernel-shim/signal/frame.ts', 'kernel-shim/signal/deliver.ts',
    'kernel-shim/trampfd/v1.ts', 'kernel-shim/trampfd/v2.ts', 'kernel-shim/trampfd/events.ts',
    'kernel-shim/mm/addrspace.ts', 'kernel-shim/mm/debugger-access.ts', 'kernel-shim/mm/fault-address.ts',
    'kernel-shim/mm/frames.ts', 'kernel-shim/mm/mapping.ts', 'kernel-shim/mm/page-fault.ts',
    'kernel-shim/uffd/fault.ts', 'kernel-shim/uffd/markers.ts',
  ],
  'syscalls-not-to-cpu': ['syscalls/types.ts'],
  'syscalls-not-to-host': ['syscalls/poll.ts', 'syscalls/blocking.ts'],
  'unicorn-only-in-cpu': ['emu/cli.ts'],
};

function forbid(name, comment, from, to) {
  const known = (KNOWN[name] ?? []).map((file) => `^${file.replace(/[.]/g, '\\.')}$`);
  const pathNot = [from.pathNot, ...known].filter(Boolean).join('|');
  return { name, comment, severity: 'error', from: pathNot ? { ...from, pathNot } : from, to };
}

module.exports = {
  forbidden: [
    forbid('syscalls-not-to-emu', 'syscalls/ sits below the front ends', { path: '^syscalls/' }, { path: '^emu/' }),
    forbid('syscalls-not-to-cpu', 'syscalls/ reaches the CPU only through the kernel', { path: '^syscalls/' }, { path: '^cpu/' }),
    forbid('syscalls-not-to-host', 'host calls belong to the kernel: syscalls/ asks kernel-shim/', { path: '^syscalls/' }, { path: '^host/' }),
    forbid('kernel-shim-not-up', 'kernel-shim/ knows nothing of the front ends or the syscall layer', { path: '^kernel-shim/' }, { path: '^(emu|syscalls)/' }),
    forbid('kernel-shim-not-to-cpu', 'kernel-shim/ talks to the CPU through its own port (kernel-shim/cpu-port.ts)', { path: '^kernel-shim/' }, { path: '^cpu/' }),
    forbid('cpu-only-host-and-port', 'cpu/ implements the kernel\'s port: of the project it imports only host/ and the port', { path: '^cpu/' }, { path: '^(emu|syscalls|kernel-shim|loader)/', pathNot: PORT }),
    forbid('cpu-port-type-only', 'cpu/ imports the port for its types only', { path: '^cpu/' }, { path: PORT, dependencyTypesNot: ['type-only'] }),
    forbid('host-is-a-leaf', 'host/ is the libc binding: it imports nothing of the project', { path: '^host/' }, { path: '^(emu|syscalls|kernel-shim|cpu|loader)/' }),
    forbid('loader-is-a-leaf', 'loader/ is pure (ELF -> load plan): it imports nothing of the project', { path: '^loader/' }, { path: '^(emu|syscalls|kernel-shim|cpu|host)/' }),
    forbid('loader-no-native-addon', 'loader/ stays pure: no native addon', { path: '^loader/' }, { path: '(^|/)node_modules/koffi/|\\.node$' }),
    forbid('unicorn-only-in-cpu', 'only cpu/ touches the Unicorn binding', { path: LAYERS, pathNot: '^cpu/' }, { path: '^cpu/unicorn(-consts)?\\.ts$' }),
    forbid('koffi-only-in-cpu-and-host', 'native calls go through cpu/ (Unicorn, capstone) or host/ (libc)', { path: LAYERS, pathNot: '^(cpu|host)/' }, { path: '(^|/)node_modules/koffi/' }),
    forbid('production-not-to-tests', 'shipped code does not import tests or benchmarks', { path: LAYERS }, { path: '^(test|bench|scripts)/' }),
    forbid('no-unresolvable', 'every import resolves', { path: LAYERS }, { couldNotResolve: true }),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|vendor)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.d.ts', '.js', '.mjs', '.cjs'],
    },
  },
};
