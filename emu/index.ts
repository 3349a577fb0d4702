// ushim's programmable API, the package entry ("main": dist/emu/index.js): load a static
// x86-64 program, run it to completion or to breakpoints, read and write its registers and
// memory, hook syscalls, instructions and memory accesses, single-step, and snapshot/restore
// the whole guest. README.md, "Programmable API", documents it with a runnable example.
export { Emulator, Snapshot } from './api/emulator.js';
export type {
  Address, CodeEvent, CodeLocation, ExitStatus, HookHandle, LoadOptions, MemoryEvent, RegisterName, Registers,
  StopEvent, SymbolInfo, SyscallEnterEvent, SyscallExitEvent, SyscallHooks,
} from './api/types.js';
export { LoadError } from '../loader/index.js';
