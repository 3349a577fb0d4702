// The load plan: everything exec needs to map a program, computed from the ELF bytes alone.
// The loader imports nothing of the kernel; kernel-shim's exec carries the plan out.

export const PROT_READ = 1;
export const PROT_WRITE = 2;
export const PROT_EXEC = 4;

/** One PT_LOAD segment, with addresses already relocated by the load bias. */
export interface LoadSegment {
  /** Virtual address of the segment's first byte (p_vaddr + bias; not page-aligned in general). */
  vaddr: number;
  /** Bytes backed by the file (p_filesz) starting at fileOffset. */
  filesz: number;
  /** Bytes in memory (p_memsz >= p_filesz); the tail is zero-filled (.bss). */
  memsz: number;
  fileOffset: number;
  /** PROT_* bits from p_flags. */
  prot: number;
}

export interface LoadedImage {
  /** 'exec' for ET_EXEC, 'dyn' for ET_DYN (static-pie or shared object/interpreter). */
  type: 'exec' | 'dyn';
  /** The bias added to every p_vaddr (0 for ET_EXEC). */
  bias: number;
  entry: number;
  segments: LoadSegment[];
  /** Address of the program headers in memory (for AT_PHDR), 0 if not mapped. */
  phdrAddr: number;
  phent: number;
  phnum: number;
  /** PT_INTERP path, when the program is dynamically linked. */
  interpreter?: string;
  /** PT_GNU_STACK: true when the stack must be executable (missing header => executable, as Linux). */
  execStack: boolean;
  /** Page-aligned end of the highest segment: where brk starts. */
  brkStart: number;
  /** PT_TLS, informational (libc reads it through AT_PHDR). */
  tls?: { vaddr: number; filesz: number; memsz: number; align: number };
}

/** A #! line: interpreter path and at most one optional argument, as Linux parses it. */
export interface Shebang {
  interpreter: string;
  arg?: string;
}

/** A load error: the message is one line for the user, status is what a shell would return. */
export class LoadError extends Error {
  constructor(
    message: string,
    readonly errno: number,
    readonly status: 126 | 127 = 126,
  ) {
    super(message);
  }
}
