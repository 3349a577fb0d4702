// The running program's ELF symbol table (loader readSymbols), relocated by its load bias, for
// --trace (<symbol+offset> on each line) and the programmable API (breakpoints by name).
import { readFileSync } from 'node:fs';
import type { ImageInfo, Process } from '../../kernel-shim/process.js';
import { type ElfSymbol, planImage, readSymbols } from '../../loader/index.js';
import { stringBytes } from '../../kernel-shim/abi/bytes.js';

export interface ResolvedSymbol {
  name: string;
  /** Run-time address (static-pie programs: link-time value + load bias). */
  address: number;
  size: number;
  type: 'FUNC' | 'OBJECT';
}

export class SymbolTable {
  /** FUNC symbols by address, for describe(). */
  private readonly functions: ResolvedSymbol[];
  private readonly byName = new Map<string, ResolvedSymbol>();

  constructor(symbols: readonly ElfSymbol[], readonly bias: number) {
    const all = symbols.map((s) => ({ name: s.name, address: s.value + bias, size: s.size, type: s.type }));
    this.functions = all.filter((s) => s.type === 'FUNC').sort((a, b) => a.address - b.address);
    // The first definition of a name wins (local symbols of the same name come later in .symtab
    // only by accident; FUNC before OBJECT for the same name).
    for (const s of [...all].sort((a, b) => (a.type === b.type ? 0 : a.type === 'FUNC' ? -1 : 1))) {
      if (!this.byName.has(s.name)) this.byName.set(s.name, s);
    }
  }

  static readonly empty = new SymbolTable([], 0);

  lookup(name: string): ResolvedSymbol | undefined {
    return this.byName.get(name);
  }

  /** The function containing addr (a zero-size symbol covers just its first byte). */
  containing(addr: number): ResolvedSymbol | undefined {
    const fns = this.functions;
    let lo = 0;
    let hi = fns.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (fns[mid].address <= addr) lo = mid + 1;
      else hi = mid;
    }
    // Nested or aliased symbols: look back over a few candidates starting at or below addr.
    for (let i = lo - 1; i >= 0 && i >= lo - 8; i--) {
      const s = fns[i];
      if (addr < s.address + Math.max(s.size, 1)) return s;
    }
    return undefined;
  }

  /** ' <name+0x1f>' (or ' <name>' at its start), or '' outside every function. */
  describe(addr: number): string {
    const s = this.containing(addr);
    if (s === undefined) return '';
    const off = addr - s.address;
    return off === 0 ? ` <${s.name}>` : ` <${s.name}+0x${off.toString(16)}>`;
  }
}

/** Symbol tables of the programs processes run, read once per exec image (one per user: a tracer, an Emulator). */
export class SymbolTables {
  private readonly cache = new WeakMap<ImageInfo, SymbolTable>();

  /** Symbols of the program `proc` runs now (empty when it has none or cannot be read). */
  of(proc: Process): SymbolTable {
    const image = proc.image;
    if (image === undefined) return SymbolTable.empty;
    let table = this.cache.get(image);
    if (table !== undefined) return table;
    try {
      const bytes = readFileSync(stringBytes(image.exeHostPath));
      const type = planImage(bytes).type;
      // A static-pie program is loaded at the start of its first file mapping.
      const first = proc.mm.areas.items.find((a) => a.backing.kind === 'file' && a.backing.file.path === image.exeGuestPath && a.offset === 0);
      const bias = type === 'dyn' && first !== undefined ? first.start : 0;
      table = new SymbolTable(readSymbols(bytes), bias);
    } catch {
      table = SymbolTable.empty;
    }
    // A static-pie image whose mappings are gone (exited) gets no bias: do not cache that.
    if (proc.mm.areas.items.length > 0 || table === SymbolTable.empty) this.cache.set(image, table);
    return table;
  }
}
