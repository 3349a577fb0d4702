// x86-64 disassembly through Debian's libcapstone (loaded with koffi like Unicorn, so no
// second toolchain: the npm builds of Capstone are emscripten ports, larger and slower).
import koffi from 'koffi';

const CS_ARCH_X86 = 3;
const CS_MODE_64 = 1 << 3;

const Insn = koffi.struct('cs_insn', {
  id: 'uint32_t',
  address: 'uint64_t',
  size: 'uint16_t',
  bytes: koffi.array('uint8_t', 16),
  mnemonic: koffi.array('char', 32, 'String'),
  op_str: koffi.array('char', 160, 'String'),
  detail: 'void *',
});

interface Capstone {
  handle: bigint;
  disasm: (handle: bigint, code: Uint8Array, size: number, address: bigint, count: number, out: [bigint | null]) => number;
  free: (insn: bigint, count: number) => void;
}

let loaded: Capstone | null | undefined;

function capstone(): Capstone | null {
  if (loaded !== undefined) return loaded;
  try {
    const lib = koffi.load('libcapstone.so.4');
    const open = lib.func('int cs_open(int arch, int mode, _Out_ size_t *handle)');
    const out: [bigint | number] = [0];
    if (open(CS_ARCH_X86, CS_MODE_64, out) !== 0) throw new Error('cs_open failed');
    loaded = {
      handle: BigInt(out[0]),
      disasm: lib.func('size_t cs_disasm(size_t handle, const uint8_t *code, size_t size, uint64_t address, size_t count, _Out_ void **insn)'),
      free: lib.func('void cs_free(void *insn, size_t count)'),
    };
  } catch {
    loaded = null;
  }
  return loaded;
}

export interface Instruction {
  address: bigint;
  size: number;
  bytes: Uint8Array;
  text: string;
}

/** Up to `count` instructions decoded from `code` (at `address`); [] when Capstone is missing. */
export function disassemble(code: Uint8Array, address: bigint, count = 1): Instruction[] {
  const cs = capstone();
  if (cs === null || code.length === 0) return [];
  const out: [bigint | null] = [null];
  const n = Number(cs.disasm(cs.handle, code, code.length, address, count, out));
  if (n <= 0 || out[0] === null) return [];
  const decoded = koffi.decode(out[0], Insn, n) as { address: bigint | number; size: number; bytes: number[]; mnemonic: string; op_str: string }[];
  cs.free(out[0], n);
  return decoded.map((i) => ({
    address: BigInt(i.address),
    size: i.size,
    bytes: Uint8Array.from(i.bytes.slice(0, i.size)),
    text: i.op_str === '' ? i.mnemonic : `${i.mnemonic} ${i.op_str}`,
  }));
}
