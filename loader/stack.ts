// The initial process stack, laid out byte for byte as Linux's exec (fs/exec.c) and
// create_elf_tables (fs/binfmt_elf.c) do, minus the random stack offset: libc and
// /proc/self/{auxv,cmdline,environ} read it directly.

export const AT_NULL = 0;
export const AT_PHDR = 3;
export const AT_PHENT = 4;
export const AT_PHNUM = 5;
export const AT_PAGESZ = 6;
export const AT_BASE = 7;
export const AT_FLAGS = 8;
export const AT_ENTRY = 9;
export const AT_UID = 11;
export const AT_EUID = 12;
export const AT_GID = 13;
export const AT_EGID = 14;
export const AT_PLATFORM = 15;
export const AT_HWCAP = 16;
export const AT_CLKTCK = 17;
export const AT_SECURE = 23;
export const AT_RANDOM = 25;
export const AT_HWCAP2 = 26;
export const AT_RSEQ_FEATURE_SIZE = 27;
export const AT_RSEQ_ALIGN = 28;
export const AT_EXECFN = 31;
export const AT_SYSINFO_EHDR = 33;
export const AT_MINSIGSTKSZ = 51;

export type AuxvEntry = readonly [type: number, value: number | bigint];

export interface StackInput {
  /** Exclusive end of the stack mapping. */
  stackTop: number;
  /** Strings are encoded as UTF-8; byte arrays are copied as they are (no NUL inside). */
  argv: ReadonlyArray<string | Uint8Array>;
  envp: ReadonlyArray<string | Uint8Array>;
  /** The path given to execve (AT_EXECFN). */
  execfn: string;
  platform: 'x86_64';
  /** The 16 AT_RANDOM bytes (stack protector and pointer guard seeds). */
  random: Uint8Array;
  /** Entries in order, without AT_RANDOM, AT_EXECFN, AT_PLATFORM and AT_NULL. */
  auxv: ReadonlyArray<AuxvEntry>;
}

export interface InitialStack {
  /** What to write at sp; bytes.length === stackTop - sp. */
  bytes: Uint8Array;
  /** 16-byte aligned, pointing at argc: the initial RSP. */
  sp: number;
  argvAddr: number;
  envpAddr: number;
  /** The auxv pairs, AT_NULL included, are auxvSize bytes at auxvAddr. */
  auxvAddr: number;
  auxvSize: number;
  execfnAddr: number;
  randomAddr: number;
  platformAddr: number;
  /** The argv and envp strings, NULs included, as mm->arg_start/arg_end/env_start/env_end. */
  argStart: number;
  argEnd: number;
  envStart: number;
  envEnd: number;
}

const BUILDER_OWNED = new Set([AT_NULL, AT_RANDOM, AT_EXECFN, AT_PLATFORM]);

function cString(s: string | Uint8Array): Uint8Array {
  const body = typeof s === 'string' ? Buffer.from(s, 'latin1') : s; // a byte string: one char per byte
  const out = new Uint8Array(body.length + 1);
  out.set(body);
  return out;
}

const totalLength = (strings: Uint8Array[]): number => strings.reduce((n, s) => n + s.length, 0);
const align16 = (n: number): number => n - (n % 16);

function insertAfter(list: AuxvEntry[], anchor: number, entries: AuxvEntry[]): void {
  const i = list.findIndex(([type]) => type === anchor);
  list.splice(i < 0 ? list.length : i + 1, 0, ...entries);
}

/** The caller's entries plus the builder's, in the order Linux emits them. */
function completeAuxv(auxv: ReadonlyArray<AuxvEntry>, random: number, execfn: number, platform: number): AuxvEntry[] {
  const out = [...auxv];
  insertAfter(out, AT_SECURE, [[AT_RANDOM, random]]);
  const anchor = out.some(([type]) => type === AT_HWCAP2) ? AT_HWCAP2 : AT_RANDOM;
  insertAfter(out, anchor, [[AT_EXECFN, execfn], [AT_PLATFORM, platform]]);
  out.push([AT_NULL, 0]);
  return out;
}

export function buildInitialStack(input: StackInput): InitialStack {
  if (input.random.length !== 16) throw new RangeError('AT_RANDOM needs exactly 16 bytes');
  for (const [type] of input.auxv) {
    if (BUILDER_OWNED.has(type)) throw new RangeError(`auxv type ${type} is supplied by buildInitialStack`);
  }
  const execfn = cString(input.execfn);
  const argv = input.argv.map(cString);
  const envp = input.envp.map(cString);
  const platform = cString(input.platform);

  // Top down: an 8-byte NULL end marker, execfn, envp strings, argv strings (each list in
  // ascending order), then from a 16-byte boundary the platform string and random bytes.
  const execfnAddr = input.stackTop - 8 - execfn.length;
  const envEnd = execfnAddr;
  const envStart = envEnd - totalLength(envp);
  const argEnd = envStart;
  const argStart = argEnd - totalLength(argv);
  const platformAddr = align16(argStart) - platform.length;
  const randomAddr = platformAddr - 16;
  const auxv = completeAuxv(input.auxv, randomAddr, execfnAddr, platformAddr);
  // argc, argv + NULL, envp + NULL, auxv pairs; padding goes above them, below the random bytes.
  const words = 1 + argv.length + 1 + envp.length + 1 + 2 * auxv.length;
  const sp = align16(randomAddr - 8 * words);

  const bytes = new Uint8Array(input.stackTop - sp);
  const view = new DataView(bytes.buffer);
  const put = (addr: number, data: Uint8Array): void => bytes.set(data, addr - sp);
  let cursor = sp;
  const push = (value: number | bigint): void => {
    view.setBigUint64(cursor - sp, BigInt.asUintN(64, BigInt(value)), true);
    cursor += 8;
  };
  const pushStrings = (strings: Uint8Array[], start: number): void => {
    let addr = start;
    for (const s of strings) {
      put(addr, s);
      push(addr);
      addr += s.length;
    }
    push(0);
  };

  put(execfnAddr, execfn);
  put(platformAddr, platform);
  put(randomAddr, input.random);
  push(argv.length);
  const argvAddr = cursor;
  pushStrings(argv, argStart);
  const envpAddr = cursor;
  pushStrings(envp, envStart);
  const auxvAddr = cursor;
  for (const [type, value] of auxv) {
    push(type);
    push(value);
  }
  return {
    bytes, sp, argvAddr, envpAddr, auxvAddr, auxvSize: cursor - auxvAddr,
    execfnAddr, randomAddr, platformAddr, argStart, argEnd, envStart, envEnd,
  };
}
