// From ELF bytes to a LoadedImage: which bytes go where, with which protection.
import { ET_EXEC, PF_R, PF_W, PF_X, PT_GNU_STACK, PT_INTERP, PT_LOAD, PT_PHDR, PT_TLS, parseElf } from './elf.js';
import type { ElfFile, ProgramHeader } from './elf.js';
import { noexec } from './errors.js';
import { PROT_EXEC, PROT_READ, PROT_WRITE } from './plan.js';
import type { LoadedImage, LoadSegment } from './plan.js';

const PAGE_SIZE = 4096;
/** x86-64 TASK_SIZE with 4-level paging: the end of the user address space. */
const TASK_SIZE = 0x7ffffffff000;
/** Linux's bound on PT_INTERP's size (PATH_MAX). */
const PATH_MAX = 4096;

const pageDown = (n: number): number => n - (n % PAGE_SIZE);
const pageUp = (n: number): number => pageDown(n + PAGE_SIZE - 1);

function prot(flags: number): number {
  return (flags & PF_R ? PROT_READ : 0) | (flags & PF_W ? PROT_WRITE : 0) | (flags & PF_X ? PROT_EXEC : 0);
}

/** PT_LOAD segments with something to map, relocated by bias and checked as Linux does. */
function loadSegments(elf: ElfFile, bias: number): LoadSegment[] {
  const segments = elf.programs
    .map((p, index) => ({ p, index }))
    .filter(({ p }) => p.type === PT_LOAD && p.memsz > 0)
    .map(({ p, index }): LoadSegment => {
      if (p.filesz > p.memsz) throw noexec(`malformed ELF: segment ${index} has p_filesz > p_memsz`);
      // The kernel maps file pages at page granularity, so offset and address must agree.
      if (p.offset % PAGE_SIZE !== p.vaddr % PAGE_SIZE) {
        throw noexec(`malformed ELF: segment ${index} has p_offset and p_vaddr misaligned to each other`);
      }
      if (p.vaddr + bias + p.memsz > TASK_SIZE) {
        throw noexec(`malformed ELF: segment ${index} lies outside the user address space`);
      }
      return { vaddr: p.vaddr + bias, filesz: p.filesz, memsz: p.memsz, fileOffset: p.offset, prot: prot(p.flags) };
    });
  if (segments.length === 0) throw noexec('ELF has no loadable segments');
  return segments;
}

function interpreterOf(bytes: Uint8Array, p: ProgramHeader | undefined): string | undefined {
  if (!p) return undefined;
  if (p.filesz < 2 || p.filesz > PATH_MAX) throw noexec(`malformed ELF: PT_INTERP is ${p.filesz} bytes`);
  const path = bytes.subarray(p.offset, p.offset + p.filesz);
  if (path[path.length - 1] !== 0) throw noexec('malformed ELF: PT_INTERP is not NUL-terminated');
  return Buffer.from(path.subarray(0, path.indexOf(0))).toString('latin1'); // a path is bytes
}

/** Where the program headers are in memory: PT_PHDR, else the PT_LOAD holding e_phoff. */
function phdrAddress(elf: ElfFile, bias: number): number {
  const phdr = elf.programs.find((p) => p.type === PT_PHDR);
  if (phdr) return phdr.vaddr + bias;
  const load = elf.programs.find(
    (p) => p.type === PT_LOAD && p.offset <= elf.phoff && elf.phoff < p.offset + p.filesz,
  );
  return load ? load.vaddr + (elf.phoff - load.offset) + bias : 0;
}

/**
 * The load plan for an ELF executable or shared object. ET_EXEC ignores opts.bias (it runs
 * where it was linked); ET_DYN is placed at opts.bias (default 0), a page-aligned amount the
 * kernel chose. Throws LoadError (ENOEXEC, status 126) with a one-line reason.
 */
export function planImage(bytes: Uint8Array, opts: { bias?: number } = {}): LoadedImage {
  const elf = parseElf(bytes);
  const bias = elf.type === ET_EXEC ? 0 : (opts.bias ?? 0);
  if (!Number.isSafeInteger(bias) || bias < 0 || bias % PAGE_SIZE !== 0) {
    throw new RangeError(`load bias ${bias} is not a page-aligned address`);
  }
  const segments = loadSegments(elf, bias);
  const entry = elf.entry + bias;
  if (entry >= TASK_SIZE) throw noexec('malformed ELF: entry point lies outside the user address space');
  // Linux honours the first PT_INTERP and PT_TLS but the last PT_GNU_STACK.
  const tls = elf.programs.find((p) => p.type === PT_TLS);
  const stack = elf.programs.filter((p) => p.type === PT_GNU_STACK).at(-1);
  const interpreter = interpreterOf(bytes, elf.programs.find((p) => p.type === PT_INTERP));
  return {
    type: elf.type === ET_EXEC ? 'exec' : 'dyn',
    bias,
    entry,
    segments,
    phdrAddr: phdrAddress(elf, bias),
    phent: elf.phentsize,
    phnum: elf.phnum,
    ...(interpreter !== undefined && { interpreter }),
    execStack: stack ? (stack.flags & PF_X) !== 0 : true,
    brkStart: pageUp(Math.max(...segments.map((s) => s.vaddr + s.memsz))),
    ...(tls && { tls: { vaddr: tls.vaddr + bias, filesz: tls.filesz, memsz: tls.memsz, align: tls.align } }),
  };
}

/**
 * Bytes of address space an image needs: from the page of its lowest segment to the end
 * of the page of its highest. The kernel picks an ET_DYN base from it; the bias is then
 * base - pageDown(lowest p_vaddr), and the lowest p_vaddr is 0 for anything but prelinked
 * objects.
 */
export function imageSpan(bytes: Uint8Array): number {
  const segments = loadSegments(parseElf(bytes), 0);
  const low = Math.min(...segments.map((s) => s.vaddr));
  const high = Math.max(...segments.map((s) => s.vaddr + s.memsz));
  return pageUp(high) - pageDown(low);
}
