// The one module that touches elfy (1.0.0). Where it falls short:
// - 64-bit fields come back as JS Numbers computed as lo + hi * 2^32, so values above 2^53
//   silently lose precision. Every 64-bit field is first read with getBigUint64 and
//   rejected above Number.MAX_SAFE_INTEGER, which makes elfy's Numbers exact.
// - p_type and e_machine go through name tables: PT_GNU_PROPERTY (0x6474e553) and any
//   newer type come back undefined, PT_GNU_EH_FRAME is called 'sunw_eh_frame', RISC-V
//   (243) has no name. Those fields are read raw from the bytes.
// - Bounds: it only checks for 16 bytes of e_ident. A short header makes Node's Buffer
//   reads throw RangeError, a short program-header table throws "Failed to slice chunks",
//   and a segment past end of file is silently clamped (program.data shorter than
//   p_filesz). All sizes are validated here before elfy sees the bytes.
// - elfy.parse() requires a section-header string table: an executable without section
//   headers (sstrip, e_shnum 0) or with e_shstrndx SHN_UNDEF throws TypeError or an
//   assertion. It also reads sh_addralign/sh_entsize at offsets 46/54 instead of 48/56.
//   So only Parser.parseHeader/parsePrograms are used, and readSymbols reads section
//   headers itself.
// - It wants a Node Buffer (buf.readUInt32LE), not a plain Uint8Array.
import elfy from 'elfy';
import { noexec } from './errors.js';

const EHDR_SIZE = 64;
const PHDR_SIZE = 56;
const SHDR_SIZE = 64;
const SYM_SIZE = 24;
/** Linux refuses more program headers than fit in 64 KiB. */
const MAX_PHNUM = Math.floor(65536 / PHDR_SIZE);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

export const ET_EXEC = 2;
const ET_DYN = 3;
const EM_X86_64 = 62;

export const PT_LOAD = 1;
export const PT_INTERP = 3;
export const PT_PHDR = 6;
export const PT_TLS = 7;
export const PT_GNU_STACK = 0x6474e551;

export const PF_X = 1;
export const PF_W = 2;
export const PF_R = 4;

const SHT_SYMTAB = 2;
const SHT_DYNSYM = 11;
const STT_OBJECT = 1;
const STT_FUNC = 2;

const MACHINES: Record<number, string> = {
  3: 'i386', 8: 'MIPS', 20: 'PowerPC', 21: 'PowerPC64', 22: 'S/390', 40: 'ARM',
  43: 'SPARC V9', 50: 'IA-64', 183: 'AArch64', 243: 'RISC-V', 258: 'LoongArch',
};
const TYPES: Record<number, string> = { 0: 'ET_NONE', 1: 'ET_REL', 4: 'ET_CORE' };
/** Segments whose file bytes the loader reads, so they must lie within the file. */
/**
 * Segments whose bytes are read here, which must lie inside the file. A PT_LOAD may reach past
 * the end of the file: Linux maps it anyway, and only an access to a page wholly past the
 * end faults (SIGBUS).
 */
const READ_FROM_FILE: Record<number, string> = { [PT_INTERP]: 'PT_INTERP' };
const PHDR_U64_FIELDS = ['p_offset', 'p_vaddr', 'p_paddr', 'p_filesz', 'p_memsz', 'p_align'];

/** One program header; 64-bit fields are exact Numbers (validated <= 2^53 - 1). */
export interface ProgramHeader {
  /** Raw p_type. */
  type: number;
  /** PF_R | PF_W | PF_X bits of p_flags. */
  flags: number;
  offset: number;
  vaddr: number;
  filesz: number;
  memsz: number;
  align: number;
}

/** A validated little-endian ELF64 x86-64 executable or shared object. */
export interface ElfFile {
  type: typeof ET_EXEC | typeof ET_DYN;
  entry: number;
  phoff: number;
  phentsize: number;
  phnum: number;
  programs: ProgramHeader[];
}

export interface ElfSymbol {
  name: string;
  /** st_value as in the file: add the load bias for ET_DYN. */
  value: number;
  size: number;
  type: 'FUNC' | 'OBJECT';
}

function hex(n: bigint): string {
  return `0x${n.toString(16)}`;
}

/** Magic, header size, ELFCLASS64, little-endian: what every reader here relies on. */
function checkIdent(bytes: Uint8Array): DataView {
  if (bytes.length < 4 || bytes[0] !== 0x7f || bytes[1] !== 0x45 || bytes[2] !== 0x4c || bytes[3] !== 0x46) {
    throw noexec('not an ELF file');
  }
  if (bytes.length < EHDR_SIZE) {
    throw noexec(`truncated ELF: header is ${bytes.length} bytes, expected ${EHDR_SIZE}`);
  }
  if (bytes[4] === 1) throw noexec('ELF is 32-bit (ELFCLASS32): only x86-64 is supported');
  if (bytes[4] !== 2) throw noexec(`ELF has invalid class ${bytes[4]}`);
  if (bytes[5] === 2) throw noexec('ELF is big-endian (ELFDATA2MSB): only x86-64 is supported');
  if (bytes[5] !== 1) throw noexec(`ELF has invalid data encoding ${bytes[5]}`);
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function checkU64(view: DataView, offset: number, what: string): bigint {
  const value = view.getBigUint64(offset, true);
  if (value > MAX_SAFE) throw noexec(`malformed ELF: ${what} ${hex(value)} is out of range`);
  return value;
}

/** Validates everything elfy would trip over or get wrong, before it runs. */
function checkHeaders(bytes: Uint8Array): { view: DataView; type: number } {
  const view = checkIdent(bytes);
  const machine = view.getUint16(18, true);
  if (machine !== EM_X86_64) {
    const name = MACHINES[machine];
    throw noexec(`ELF is for machine ${machine}${name ? ` (${name})` : ''}, not x86-64`);
  }
  const type = view.getUint16(16, true);
  if (type !== ET_EXEC && type !== ET_DYN) {
    const name = TYPES[type];
    throw noexec(`ELF type ${type}${name ? ` (${name})` : ''} is not executable: expected ET_EXEC or ET_DYN`);
  }
  checkU64(view, 24, 'e_entry');
  const phoff = checkU64(view, 32, 'e_phoff');
  const phentsize = view.getUint16(54, true);
  if (phentsize !== PHDR_SIZE) throw noexec(`ELF program header size is ${phentsize}, expected ${PHDR_SIZE}`);
  const phnum = view.getUint16(56, true);
  if (phnum === 0) throw noexec('ELF has no program headers');
  if (phnum > MAX_PHNUM) throw noexec(`ELF has ${phnum} program headers, at most ${MAX_PHNUM} are supported`);
  if (phoff + BigInt(phnum * PHDR_SIZE) > BigInt(bytes.length)) {
    throw noexec('truncated ELF: program headers extend past end of file');
  }
  for (let i = 0; i < phnum; i++) {
    const at = Number(phoff) + i * PHDR_SIZE;
    const [offset, , , filesz] = PHDR_U64_FIELDS.map((field, k) =>
      checkU64(view, at + 8 + 8 * k, `program header ${i} ${field}`),
    );
    const name = READ_FROM_FILE[view.getUint32(at, true)];
    if (name && offset + filesz > BigInt(bytes.length)) {
      throw noexec(`truncated ELF: segment ${i} (${name}) extends past end of file`);
    }
  }
  return { view, type };
}

/** Parses and validates the ELF and program headers; throws LoadError (ENOEXEC). */
export function parseElf(bytes: Uint8Array): ElfFile {
  const { view, type } = checkHeaders(bytes);
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const parser = new elfy.Parser();
  const header = parser.parseHeader(buf);
  const programs = parser.parsePrograms(buf, header).map((p, i): ProgramHeader => ({
    type: view.getUint32(header.phoff + i * PHDR_SIZE, true),
    flags: (p.flags.r ? PF_R : 0) | (p.flags.w ? PF_W : 0) | (p.flags.x ? PF_X : 0),
    offset: p.offset,
    vaddr: p.vaddr,
    filesz: p.filesz,
    memsz: p.memsz,
    align: p.align,
  }));
  return {
    type: type === ET_EXEC ? ET_EXEC : ET_DYN,
    entry: header.entry,
    phoff: header.phoff,
    phentsize: header.phentsize,
    phnum: header.phnum,
    programs,
  };
}

interface Section {
  type: number;
  offset: number;
  size: number;
  link: number;
}

/** Section headers, or [] when the table is absent or does not fit in the file. */
function readSections(view: DataView): Section[] {
  const shoff = view.getBigUint64(40, true);
  const shnum = view.getUint16(60, true);
  if (shnum === 0 || view.getUint16(58, true) !== SHDR_SIZE) return [];
  if (shoff + BigInt(shnum * SHDR_SIZE) > BigInt(view.byteLength)) return [];
  const sections: Section[] = [];
  for (let i = 0; i < shnum; i++) {
    const at = Number(shoff) + i * SHDR_SIZE;
    const offset = view.getBigUint64(at + 24, true);
    const size = view.getBigUint64(at + 32, true);
    const inFile = offset + size <= BigInt(view.byteLength);
    sections.push({
      type: view.getUint32(at + 4, true),
      offset: inFile ? Number(offset) : 0,
      size: inFile ? Number(size) : 0,
      link: view.getUint32(at + 40, true),
    });
  }
  return sections;
}

/**
 * FUNC and OBJECT symbols from .symtab (or .dynsym when stripped), sorted by value, for
 * crash backtraces. Best effort: a missing or damaged symbol table gives [].
 */
export function readSymbols(bytes: Uint8Array): ElfSymbol[] {
  const view = checkIdent(bytes);
  const sections = readSections(view);
  const table = sections.find((s) => s.type === SHT_SYMTAB) ?? sections.find((s) => s.type === SHT_DYNSYM);
  const strtab = table && sections[table.link];
  if (!table || !strtab) return [];
  const strings = bytes.subarray(strtab.offset, strtab.offset + strtab.size);
  const decoder = new TextDecoder();
  const symbols: ElfSymbol[] = [];
  for (let at = table.offset; at + SYM_SIZE <= table.offset + table.size; at += SYM_SIZE) {
    const kind = view.getUint8(at + 4) & 0xf;
    const shndx = view.getUint16(at + 6, true);
    const value = view.getBigUint64(at + 8, true);
    const size = view.getBigUint64(at + 16, true);
    const nameOff = view.getUint32(at, true);
    if ((kind !== STT_FUNC && kind !== STT_OBJECT) || shndx === 0) continue;
    if (value > MAX_SAFE || size > MAX_SAFE || nameOff >= strings.length) continue;
    const end = strings.indexOf(0, nameOff);
    const name = decoder.decode(strings.subarray(nameOff, end < 0 ? strings.length : end));
    if (!name) continue;
    symbols.push({
      name,
      value: Number(value),
      size: Number(size),
      type: kind === STT_FUNC ? 'FUNC' : 'OBJECT',
    });
  }
  return symbols.sort((a, b) => a.value - b.value);
}
