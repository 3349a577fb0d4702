// The loader's public surface: pure functions from bytes to plans, no kernel state.
export { LoadError, PROT_EXEC, PROT_READ, PROT_WRITE } from './plan.js';
export type { LoadedImage, LoadSegment, Shebang } from './plan.js';
export { ENOEXEC } from './errors.js';
export { readSymbols } from './elf.js';
export type { ElfSymbol } from './elf.js';
export { imageSpan, planImage } from './image.js';
export * from './stack.js';
export { parseShebang } from './script.js';
