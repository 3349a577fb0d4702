// The x87/SSE state as a 512-byte FXSAVE image (what signal frames and fork carry), read and
// written through Unicorn's per-register API.
import { check, uc, uc_x86_reg } from './unicorn.js';

export const FXSAVE_SIZE = 512;
const ST_OFFSET = 32;
const XMM_OFFSET = 160;

function readRaw(engine: bigint, reg: number, size: number): Buffer {
  const b = Buffer.alloc(size);
  check(uc.regReadRaw(engine, reg, b), 'uc_reg_read');
  return b;
}

function writeRaw(engine: bigint, reg: number, b: Uint8Array): void {
  check(uc.regWriteRaw(engine, reg, b), 'uc_reg_write');
}

export function readFxsave(engine: bigint): Uint8Array {
  const image = new Uint8Array(FXSAVE_SIZE);
  const dv = new DataView(image.buffer);
  const u32 = (reg: number): number => readRaw(engine, reg, 8).readUInt32LE(0);
  dv.setUint16(0, u32(uc_x86_reg.X86_REG_FPCW), true);
  dv.setUint16(2, u32(uc_x86_reg.X86_REG_FPSW), true);
  const tags = u32(uc_x86_reg.X86_REG_FPTAG);
  let abridged = 0;
  for (let i = 0; i < 8; i++) if (((tags >> (2 * i)) & 3) !== 3) abridged |= 1 << i;
  dv.setUint8(4, abridged);
  dv.setUint16(6, u32(uc_x86_reg.X86_REG_FOP), true);
  dv.setBigUint64(8, readRaw(engine, uc_x86_reg.X86_REG_FIP, 8).readBigUInt64LE(0), true);
  dv.setBigUint64(16, readRaw(engine, uc_x86_reg.X86_REG_FDP, 8).readBigUInt64LE(0), true);
  dv.setUint32(24, u32(uc_x86_reg.X86_REG_MXCSR), true);
  dv.setUint32(28, 0xffff, true);
  for (let i = 0; i < 8; i++) image.set(readRaw(engine, uc_x86_reg.X86_REG_ST0 + i, 16).subarray(0, 10), ST_OFFSET + 16 * i);
  for (let i = 0; i < 16; i++) image.set(readRaw(engine, uc_x86_reg.X86_REG_XMM0 + i, 16), XMM_OFFSET + 16 * i);
  return image;
}

/** Loads an FXSAVE image; null restores the initial state (as execve and fpstate == 0 do). */
export function writeFxsave(engine: bigint, image: Uint8Array | null): void {
  const src = image ?? initialImage;
  const dv = new DataView(src.buffer, src.byteOffset, FXSAVE_SIZE);
  const u64 = (v: number | bigint): Buffer => {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(v));
    return b;
  };
  writeRaw(engine, uc_x86_reg.X86_REG_FPCW, u64(dv.getUint16(0, true)));
  writeRaw(engine, uc_x86_reg.X86_REG_FPSW, u64(dv.getUint16(2, true)));
  const abridged = dv.getUint8(4);
  let tags = 0;
  for (let i = 0; i < 8; i++) if (!(abridged & (1 << i))) tags |= 3 << (2 * i);
  writeRaw(engine, uc_x86_reg.X86_REG_FPTAG, u64(tags));
  writeRaw(engine, uc_x86_reg.X86_REG_MXCSR, u64(dv.getUint32(24, true) & 0xffff));
  for (let i = 0; i < 8; i++) {
    const st = Buffer.alloc(16);
    st.set(src.subarray(ST_OFFSET + 16 * i, ST_OFFSET + 16 * i + 10));
    writeRaw(engine, uc_x86_reg.X86_REG_ST0 + i, st);
  }
  for (let i = 0; i < 16; i++) writeRaw(engine, uc_x86_reg.X86_REG_XMM0 + i, src.subarray(XMM_OFFSET + 16 * i, XMM_OFFSET + 16 * i + 16));
}

const initialImage = (() => {
  const image = new Uint8Array(FXSAVE_SIZE);
  const dv = new DataView(image.buffer);
  dv.setUint16(0, 0x037f, true);
  dv.setUint32(24, 0x1f80, true);
  dv.setUint32(28, 0xffff, true);
  return image;
})();
