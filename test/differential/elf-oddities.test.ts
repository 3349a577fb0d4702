// ELF files Linux runs although they bend the format: a PT_LOAD whose p_filesz reaches past
// the end of the file (Linux maps it anyway; only pages wholly past the end would fault).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FIXTURES_BUILD, compare } from './harness.js';

const PT_LOAD = 1;
const PF_X = 1;

/** A copy of an ELF whose executable PT_LOAD claims `extra` more file bytes than the file has. */
function withLongCodeSegment(source: string, extra: number): string {
  const bytes = fs.readFileSync(source);
  const phoff = Number(bytes.readBigUInt64LE(32));
  const phnum = bytes.readUInt16LE(56);
  for (let i = 0; i < phnum; i++) {
    const at = phoff + 56 * i;
    if (bytes.readUInt32LE(at) !== PT_LOAD || !(bytes.readUInt32LE(at + 4) & PF_X)) continue;
    const end = bytes.readBigUInt64LE(at + 8) + bytes.readBigUInt64LE(at + 32) + BigInt(extra);
    if (end <= BigInt(bytes.length)) throw new Error('the segment must reach past the end of the file');
    bytes.writeBigUInt64LE(bytes.readBigUInt64LE(at + 32) + BigInt(extra), at + 32);
    bytes.writeBigUInt64LE(bytes.readBigUInt64LE(at + 40) + BigInt(extra), at + 40);
  }
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ushim-elf-')), path.basename(source));
  fs.writeFileSync(out, bytes, { mode: 0o755 });
  return out;
}

describe('ELF files Linux runs anyway', function () {
  it('a PT_LOAD with p_filesz past the end of the file', function () {
    const program = withLongCodeSegment(path.join(FIXTURES_BUILD, 'nolibc', 'low_address'), 0x800);
    try {
      compare(program, []);
    } finally {
      fs.rmSync(path.dirname(program), { recursive: true, force: true });
    }
  });
});
