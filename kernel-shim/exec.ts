// exec: turns a program file into a fresh address space and initial register state, by
// carrying out the loader's plan (map segments, bss, brk, stack with argv/envp/auxv).
import { fstatSync } from 'node:fs';
import { LoadError, type LoadedImage, imageSpan, parseShebang, planImage } from '../loader/index.js';
import {
  AT_BASE, AT_CLKTCK, AT_EGID, AT_ENTRY, AT_EUID, AT_FLAGS, AT_GID, AT_HWCAP, AT_HWCAP2, AT_MINSIGSTKSZ, AT_PAGESZ,
  AT_PHDR, AT_PHENT, AT_PHNUM, AT_SECURE, AT_UID, buildInitialStack,
} from '../loader/index.js';
import { stringBytes } from './abi/bytes.js';
import { Errno } from './errno.js';
import { AddressSpace, type MmStats } from './mm/addrspace.js';
import { type MappedFile, VmArea } from './mm/areas.js';
import { MAP_ANONYMOUS, MAP_FIXED, MAP_GROWSDOWN, MAP_PRIVATE, PAGE_SIZE, PROT_EXEC, PROT_READ, PROT_WRITE, TASK_SIZE, pageCeil, pageFloor } from './mm/constants.js';
import type { FrameAllocator } from './mm/frames.js';
import { findFree, mmap } from './mm/mapping.js';
import type { SharedObject } from './mm/shared.js';
import type { RandomSource } from './clock.js';

/** An executable opened through the guest's root. */
export interface ExecutableFile {
  guestPath: string;
  hostPath: string;
  bytes: Uint8Array;
  mapped: MappedFile;
  sharedObject(): SharedObject;
}

/** Opens a guest path for exec: a file, or a negative errno (ENOENT, EACCES, ...). */
export type OpenExecutable = (path: string) => ExecutableFile | number;

export interface ExecRequest {
  path: string;
  argv: Uint8Array[];
  envp: Uint8Array[];
  uid: number;
  gid: number;
  deterministic: boolean;
  /** The lowest mappable address (AddressSpace.minAddr). */
  mmapMinAddr: number;
}

export interface ExecResult {
  mm: AddressSpace;
  entry: number;
  sp: number;
  exeGuestPath: string;
  exeHostPath: string;
  argv: Uint8Array[];
  envp: Uint8Array[];
  auxv: Uint8Array;
}

/** Static-pie and interpreter-less ET_DYN programs load here when not randomised (ELF_ET_DYN_BASE). */
const ET_DYN_BASE = 0x555555554000;
/** mmap_base with an 8 MiB stack limit: TASK_SIZE minus the 128 MiB minimum gap. */
const MMAP_BASE = TASK_SIZE - 0x8000000;
const STACK_TOP = TASK_SIZE;
/** Linux maps 128 KiB of stack below the arguments at exec (stack_expand). */
const STACK_EXPAND = 128 << 10;
/** Linux runs at most 6 binary handlers for one exec (exec_binprm): 5 scripts, then the ELF. */
const MAX_SCRIPT_DEPTH = 5;
/** What CPUID leaf 1 EDX reports on the emulated CPU; AT_HWCAP mirrors it as Linux does. */
const HWCAP = 0x178bfbff;
const MINSIGSTKSZ = 2048;

function randomPages(random: RandomSource, maxPages: number): number {
  const b = random.bytes(4);
  return (((b[0] | (b[1] << 8) | (b[2] << 16)) >>> 0) % maxPages) * PAGE_SIZE;
}

export function exec(open: OpenExecutable, frames: FrameAllocator, stats: MmStats, random: RandomSource, req: ExecRequest): ExecResult {
  let path = req.path;
  let argv = req.argv;
  let file: ExecutableFile | number = open(path);
  for (let depth = 0; ; depth++) {
    if (typeof file === 'number') throw new LoadError(`${path}: ${file === -Errno.ENOENT ? 'No such file or directory' : 'cannot execute'}`, -file, file === -Errno.ENOENT ? 127 : 126);
    const script = parseShebang(file.bytes);
    if (script === null) break;
    if (depth >= MAX_SCRIPT_DEPTH) throw new LoadError(`${path}: too many levels of #! interpreters`, Errno.ELOOP);
    argv = [stringBytes(script.interpreter), ...(script.arg === undefined ? [] : [stringBytes(script.arg)]), stringBytes(path), ...argv.slice(1)];
    path = script.interpreter;
    file = open(path);
  }
  const program = file;

  const mm = new AddressSpace(frames, stats, req.mmapMinAddr);
  mm.mmapBase = req.deterministic ? MMAP_BASE : MMAP_BASE - randomPages(random, 1 << 16);
  const probe = planImage(program.bytes, { bias: 0 });
  const staticPie = probe.type === 'dyn' && probe.interpreter === undefined;
  let bias = 0;
  if (staticPie) {
    // Like running ld.so directly: the image goes where mmap would put it (top-down).
    const at = findFree(mm, imageSpan(program.bytes), mm.mmapBase);
    if (at < 0) throw new LoadError(`${path}: no room for the program`, Errno.ENOMEM);
    bias = at - lowestVaddr(program.bytes);
  } else if (probe.type === 'dyn') {
    bias = (req.deterministic ? ET_DYN_BASE : ET_DYN_BASE + randomPages(random, 1 << 20)) - lowestVaddr(program.bytes);
  }
  const image = planImage(program.bytes, { bias });
  mapImage(mm, image, program);
  let entry = image.entry;
  let interpBase = 0;
  if (image.interpreter !== undefined) {
    const interp = open(image.interpreter);
    if (typeof interp === 'number') throw new LoadError(`${image.interpreter}: cannot open the ELF interpreter`, -interp, 127);
    const span = imageSpan(interp.bytes);
    interpBase = findFree(mm, span, mm.mmapBase);
    if (interpBase < 0) throw new LoadError(`${image.interpreter}: no room for the ELF interpreter`, Errno.ENOMEM);
    const interpImage = planImage(interp.bytes, { bias: interpBase - lowestVaddr(interp.bytes) });
    mapImage(mm, interpImage, interp);
    entry = interpImage.entry;
    interpBase = interpImage.bias;
  }
  // Linux moves a static-pie's heap out of the mmap region to ELF_ET_DYN_BASE, and
  // randomises the start of every heap by up to 32 MiB.
  const heapBase = staticPie ? ET_DYN_BASE : image.brkStart;
  mm.brkStart = mm.brk = req.deterministic ? heapBase : heapBase + randomPages(random, 1 << 13);

  const stackTop = req.deterministic ? STACK_TOP : STACK_TOP - randomPages(random, 1 << 12);
  const stack = buildInitialStack({
    stackTop,
    argv,
    envp: req.envp,
    execfn: path,
    platform: 'x86_64',
    random: random.bytes(16),
    auxv: [
      [AT_HWCAP, HWCAP], [AT_PAGESZ, PAGE_SIZE], [AT_CLKTCK, 100], [AT_PHDR, image.phdrAddr], [AT_PHENT, image.phent],
      [AT_PHNUM, image.phnum], [AT_BASE, interpBase], [AT_FLAGS, 0], [AT_ENTRY, image.entry], [AT_UID, req.uid],
      [AT_EUID, req.uid], [AT_GID, req.gid], [AT_EGID, req.gid], [AT_SECURE, 0], [AT_HWCAP2, 0],
      [AT_MINSIGSTKSZ, MINSIGSTKSZ],
    ],
  });
  const stackStart = pageFloor(stack.sp) - STACK_EXPAND;
  const stackProt = PROT_READ | PROT_WRITE | (image.execStack ? PROT_EXEC : 0);
  mm.areas.insert(new VmArea(stackStart, stackTop, stackProt, MAP_PRIVATE | MAP_ANONYMOUS | MAP_GROWSDOWN, { kind: 'anon' }, 0, '[stack]'));
  mm.changed();
  if (!mm.write(stack.sp, stack.bytes)) throw new LoadError(`${path}: cannot build the initial stack`, Errno.E2BIG);
  const auxv = mm.read(stack.auxvAddr, stack.auxvSize) ?? new Uint8Array();
  return { mm, entry, sp: stack.sp, exeGuestPath: program.guestPath, exeHostPath: program.hostPath, argv, envp: req.envp, auxv };
}

function lowestVaddr(bytes: Uint8Array): number {
  return Math.min(...planImage(bytes, { bias: 0 }).segments.map((s) => pageFloor(s.vaddr)));
}

/** Maps each PT_LOAD as a private file mapping, zeroes the bss tail and maps the rest anonymous. */
function mapImage(mm: AddressSpace, image: LoadedImage, file: ExecutableFile): void {
  for (const seg of image.segments) {
    const start = pageFloor(seg.vaddr);
    const fileStart = seg.fileOffset - (seg.vaddr - start);
    const fileEnd = pageCeil(seg.vaddr + seg.filesz);
    const memEnd = pageCeil(seg.vaddr + seg.memsz);
    if (fileEnd > start) {
      const r = mmap(mm, {
        addr: start, length: fileEnd - start, prot: seg.prot, flags: MAP_PRIVATE | MAP_FIXED, offset: fileStart,
        file: { file: file.mapped, writable: false, sharedObject: file.sharedObject },
      });
      if (r < 0) throw new LoadError(`${file.guestPath}: cannot map segment at 0x${start.toString(16)}`, -r);
      // Linux's padzero: the rest of the last file-backed page is zero, not file bytes, up to
      // the page end even past p_memsz (ld.so puts its first link_map there and trusts it).
      const bssStart = seg.vaddr + seg.filesz;
      if (seg.memsz > seg.filesz && bssStart < fileEnd && seg.prot & PROT_WRITE) {
        mm.write(bssStart, new Uint8Array(fileEnd - bssStart));
      }
    }
    if (memEnd > Math.max(fileEnd, start)) {
      const from = Math.max(fileEnd, start);
      const r = mmap(mm, { addr: from, length: memEnd - from, prot: seg.prot, flags: MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, offset: 0 });
      if (r < 0) throw new LoadError(`${file.guestPath}: cannot map bss at 0x${from.toString(16)}`, -r);
    }
  }
}

/** Identifies a host file the way /proc/<pid>/maps shows it (major:minor inode). */
export function mappedFileOf(hostFd: number, guestPath: string): MappedFile {
  const st = fstatSync(hostFd, { bigint: true });
  const dev = st.dev;
  const major = Number(((dev >> 8n) & 0xfffn) | ((dev >> 32n) & ~0xfffn));
  const minor = Number((dev & 0xffn) | ((dev >> 12n) & ~0xffn));
  return { hostFd, path: guestPath, devMajor: major, devMinor: minor, ino: st.ino };
}
