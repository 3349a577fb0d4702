// The target description gdb reads with qXfer:features:read: target.xml naming the
// architecture and OS ABI and including one file per feature. The registers, in document
// order, are gdb's remote register numbers and must match AMD64_REGISTERS in target.ts
// (test/unit/gdb-stub.test.ts checks this). The feature files follow gdb's own
// gdb/features/i386/64bit-{core,sse,linux,segments}.xml.

const HEADER = '<?xml version="1.0"?>\n<!DOCTYPE feature SYSTEM "gdb-target.dtd">\n';

const TARGET_XML = `<?xml version="1.0"?>
<!DOCTYPE target SYSTEM "gdb-target.dtd">
<target version="1.0">
  <architecture>i386:x86-64</architecture>
  <osabi>GNU/Linux</osabi>
  <xi:include href="64bit-core.xml"/>
  <xi:include href="64bit-sse.xml"/>
  <xi:include href="64bit-linux.xml"/>
  <xi:include href="64bit-segments.xml"/>
</target>
`;

function flags(id: string, fields: [string, number][]): string {
  const body = fields.map(([name, bit]) => `    <field name="${name}" start="${bit}" end="${bit}"/>\n`).join('');
  return `  <flags id="${id}" size="4">\n${body}  </flags>\n`;
}

function reg(name: string, bitsize: number, type: string, extra = ''): string {
  return `  <reg name="${name}" bitsize="${bitsize}" type="${type}"${extra}/>\n`;
}

const CORE_XML =
  HEADER +
  '<feature name="org.gnu.gdb.i386.core">\n' +
  flags('i386_eflags', [
    ['CF', 0], ['', 1], ['PF', 2], ['AF', 4], ['ZF', 6], ['SF', 7], ['TF', 8], ['IF', 9], ['DF', 10],
    ['OF', 11], ['NT', 14], ['RF', 16], ['VM', 17], ['AC', 18], ['VIF', 19], ['VIP', 20], ['ID', 21],
  ]) +
  ['rax', 'rbx', 'rcx', 'rdx', 'rsi', 'rdi'].map((n) => reg(n, 64, 'int64')).join('') +
  reg('rbp', 64, 'data_ptr') +
  reg('rsp', 64, 'data_ptr') +
  ['r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15'].map((n) => reg(n, 64, 'int64')).join('') +
  reg('rip', 64, 'code_ptr') +
  reg('eflags', 32, 'i386_eflags') +
  ['cs', 'ss', 'ds', 'es', 'fs', 'gs'].map((n) => reg(n, 32, 'int32')).join('') +
  Array.from({ length: 8 }, (_, i) => reg(`st${i}`, 80, 'i387_ext')).join('') +
  ['fctrl', 'fstat', 'ftag', 'fiseg', 'fioff', 'foseg', 'fooff', 'fop'].map((n) => reg(n, 32, 'int', ' group="float"')).join('') +
  '</feature>\n';

const SSE_XML =
  HEADER +
  '<feature name="org.gnu.gdb.i386.sse">\n' +
  '  <vector id="v8bf16" type="bfloat16" count="8"/>\n' +
  '  <vector id="v8h" type="ieee_half" count="8"/>\n' +
  '  <vector id="v4f" type="ieee_single" count="4"/>\n' +
  '  <vector id="v2d" type="ieee_double" count="2"/>\n' +
  '  <vector id="v16i8" type="int8" count="16"/>\n' +
  '  <vector id="v8i16" type="int16" count="8"/>\n' +
  '  <vector id="v4i32" type="int32" count="4"/>\n' +
  '  <vector id="v2i64" type="int64" count="2"/>\n' +
  '  <union id="vec128">\n' +
  '    <field name="v8_bfloat16" type="v8bf16"/>\n' +
  '    <field name="v8_half" type="v8h"/>\n' +
  '    <field name="v4_float" type="v4f"/>\n' +
  '    <field name="v2_double" type="v2d"/>\n' +
  '    <field name="v16_int8" type="v16i8"/>\n' +
  '    <field name="v8_int16" type="v8i16"/>\n' +
  '    <field name="v4_int32" type="v4i32"/>\n' +
  '    <field name="v2_int64" type="v2i64"/>\n' +
  '    <field name="uint128" type="uint128"/>\n' +
  '  </union>\n' +
  flags('i386_mxcsr', [
    ['IE', 0], ['DE', 1], ['ZE', 2], ['OE', 3], ['UE', 4], ['PE', 5], ['DAZ', 6], ['IM', 7],
    ['DM', 8], ['ZM', 9], ['OM', 10], ['UM', 11], ['PM', 12], ['FZ', 15],
  ]) +
  Array.from({ length: 16 }, (_, i) => reg(`xmm${i}`, 128, 'vec128', i === 0 ? ' regnum="40"' : '')).join('') +
  reg('mxcsr', 32, 'i386_mxcsr', ' group="vector"') +
  '</feature>\n';

const LINUX_XML =
  HEADER + '<feature name="org.gnu.gdb.i386.linux">\n' + reg('orig_rax', 64, 'int', ' regnum="57"') + '</feature>\n';

const SEGMENTS_XML =
  HEADER + '<feature name="org.gnu.gdb.i386.segments">\n' + reg('fs_base', 64, 'int') + reg('gs_base', 64, 'int') + '</feature>\n';

/** Every document gdb may ask for by annex, target.xml first. */
export const TDESC_FILES: ReadonlyMap<string, string> = new Map([
  ['target.xml', TARGET_XML],
  ['64bit-core.xml', CORE_XML],
  ['64bit-sse.xml', SSE_XML],
  ['64bit-linux.xml', LINUX_XML],
  ['64bit-segments.xml', SEGMENTS_XML],
]);

/** The document for a qXfer:features:read annex, or null if there is none. */
export function readTdesc(annex: string): string | null {
  return TDESC_FILES.get(annex) ?? null;
}

/**
 * The registers the description defines, in gdb's numbering order (document order across
 * the included files, honouring regnum= attributes): name and size in bits.
 */
export function tdescRegisters(): { regno: number; name: string; bitsize: number }[] {
  const out: { regno: number; name: string; bitsize: number }[] = [];
  let next = 0;
  for (const m of TARGET_XML.matchAll(/<xi:include href="([^"]+)"\/>/g)) {
    const doc = TDESC_FILES.get(m[1]) ?? '';
    for (const tag of doc.matchAll(/<reg [^>]*\/>/g)) {
      const attr = (name: string): string | undefined => new RegExp(` ${name}="([^"]*)"`).exec(tag[0])?.[1];
      const given = attr('regnum');
      const regno = given !== undefined ? Number(given) : next;
      out.push({ regno, name: attr('name') ?? '', bitsize: Number(attr('bitsize')) });
      next = regno + 1;
    }
  }
  return out;
}
