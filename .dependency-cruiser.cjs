// The layering, checked by `npm run depcruise` (part of `npm test`). Imports point one way:
//
//   emu/ (front ends: CLI, API, gdb stub, tracing)
//     -> syscalls/ (decode, dispatch, encode)
//       -> kernel-shim/ (all Linux semantics; defines the CPU port, kernel-shim/cpu-port.ts)
//         -> loader/ (pure ELF -> load plan)      -> host/ (the host libc through koffi)
//   cpu/ (the Unicorn engine) implements the port: it may import host/ and the port (its types and
//   the few constants it defines, such as the access kinds).
//
// test/, bench/ and scripts/ may import anything.

// Production folders; everything else (test/, bench/, scripts/) is free.
const LAYERS = '^(emu|syscalls|kernel-shim|cpu|host|loader)/';
const PORT = '^kernel-shim/cpu-port\\.ts$';


function forbid(name, comment, from, to) {
  return { name, comment, severity: 'error', from, to };
}

module.exports = {
  forbidden: [
    forbid('syscalls-not-to-emu', 'syscalls/ sits below the front ends', { path: '^syscalls/' }, { path: '^emu/' }),
    forbid('syscalls-not-to-cpu', 'syscalls/ reaches the CPU only through the kernel', { path: '^syscalls/' }, { path: '^cpu/' }),
    forbid('syscalls-not-to-host', 'host calls belong to the kernel: syscalls/ asks kernel-shim/', { path: '^syscalls/' }, { path: '^host/' }),
    forbid('kernel-shim-not-up', 'kernel-shim/ knows nothing of the front ends or the syscall layer', { path: '^kernel-shim/' }, { path: '^(emu|syscalls)/' }),
    forbid('kernel-shim-not-to-cpu', 'kernel-shim/ talks to the CPU through its own port (kernel-shim/cpu-port.ts)', { path: '^kernel-shim/' }, { path: '^cpu/' }),
    forbid('cpu-only-host-and-port', 'cpu/ implements the kernel\'s port: of the project it imports only host/ and the port', { path: '^cpu/' }, { path: '^(emu|syscalls|kernel-shim|loader)/', pathNot: PORT }),
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
