// The part of elfy 1.0.0 (CommonJS, untyped) that loader/elf.ts uses.
declare module 'elfy' {
  namespace elfy {
    interface Header {
      class: string;
      endian: string;
      /** Name from elfy's table ('exec', 'dyn', ...), undefined when unknown. */
      type: string | undefined;
      machine: string | undefined;
      entry: number;
      phoff: number;
      shoff: number;
      flags: number;
      ehsize: number;
      phentsize: number;
      phnum: number;
      shentsize: number;
      shnum: number;
      shstrndx: number;
    }

    interface Program {
      /** Name from elfy's table, undefined for types it does not know. */
      type: string | undefined;
      offset: number;
      vaddr: number;
      paddr: number;
      filesz: number;
      memsz: number;
      /** p_flags as a set: PF_R => r, PF_W => w, PF_X => x, other bits by number. */
      flags: { r?: true; w?: true; x?: true };
      align: number;
      data: Buffer;
    }

    class Parser {
      parseHeader(buf: Buffer): Header;
      parsePrograms(buf: Buffer, header: Header): Program[];
    }
  }

  export = elfy;
}
