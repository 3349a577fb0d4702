// The register (g, G, p, P) and memory (m, M, X) packets, answered from a Target for one
// thread. The stub answers E01 itself once the process is gone.
import { fromHex, toHex, unescapeBinary } from './packet.js';
import { parseHexAddress, parseHexNumber } from './packet-args.js';
import { AMD64_REGISTERS, type Target } from './target.js';

const PAGE = 0x1000n;

export function readAllRegisters(target: Target, tid: number): string {
  let out = '';
  for (const r of AMD64_REGISTERS) {
    const v = target.readRegister(tid, r.regno);
    out += v !== null && v.length === r.size ? toHex(v) : 'xx'.repeat(r.size);
  }
  return out;
}

export function writeAllRegisters(target: Target, tid: number, data: string): string {
  let pos = 0;
  for (const r of AMD64_REGISTERS) {
    if (pos >= data.length) break;
    const chunk = data.slice(pos, pos + r.size * 2);
    pos += r.size * 2;
    if (chunk.length < r.size * 2) return 'E01';
    if (/^x+$/i.test(chunk)) continue; // unavailable: leave it
    const bytes = fromHex(chunk);
    if (bytes === null) return 'E01';
    if (!target.writeRegister(tid, r.regno, bytes)) return 'E01';
  }
  return 'OK';
}

export function readRegister(target: Target, tid: number, s: string): string {
  const regno = parseHexNumber(s);
  if (regno === null || regno >= AMD64_REGISTERS.length) return 'E01';
  const r = AMD64_REGISTERS[regno];
  const v = target.readRegister(tid, regno);
  return v !== null && v.length === r.size ? toHex(v) : 'xx'.repeat(r.size);
}

export function writeRegister(target: Target, tid: number, s: string): string {
  const eq = s.indexOf('=');
  const regno = eq < 0 ? null : parseHexNumber(s.slice(0, eq));
  if (regno === null || regno >= AMD64_REGISTERS.length) return 'E01';
  const bytes = fromHex(s.slice(eq + 1));
  if (bytes === null || bytes.length !== AMD64_REGISTERS[regno].size) return 'E01';
  return target.writeRegister(tid, regno, bytes) ? 'OK' : 'E01';
}

function parseAddrLen(s: string): { addr: bigint; len: number } | null {
  const comma = s.indexOf(',');
  if (comma < 0) return null;
  const addr = parseHexAddress(s.slice(0, comma));
  const len = parseHexNumber(s.slice(comma + 1));
  if (addr === null || len === null) return null;
  return { addr, len };
}

/** Read as much of [addr, addr+len) as is readable from addr on; null if not even the first byte. */
function readPrefix(target: Target, addr: bigint, len: number): Uint8Array | null {
  const whole = target.readMemory(addr, len);
  if (whole !== null) return whole;
  const parts: Uint8Array[] = [];
  let got = 0;
  let a = addr;
  while (got < len) {
    const n = Math.min(len - got, Number(PAGE - (a % PAGE)));
    const part = target.readMemory(a, n);
    if (part === null) break;
    parts.push(part);
    got += n;
    a += BigInt(n);
  }
  return got === 0 ? null : Buffer.concat(parts);
}

/** m: at most what fits in a packet of packetSize bytes. */
export function readMemory(target: Target, s: string, packetSize: number): string {
  const req = parseAddrLen(s);
  if (req === null) return 'E01';
  const len = Math.min(req.len, Math.floor((packetSize - 8) / 2));
  if (len === 0) return '';
  const data = readPrefix(target, req.addr, len);
  return data === null ? 'E01' : toHex(data);
}

export function writeMemoryHex(target: Target, s: string): string {
  const colon = s.indexOf(':');
  const req = colon < 0 ? null : parseAddrLen(s.slice(0, colon));
  if (req === null) return 'E01';
  const data = fromHex(s.slice(colon + 1));
  if (data === null || data.length !== req.len) return 'E01';
  if (data.length === 0) return 'OK';
  return target.writeMemory(req.addr, data) ? 'OK' : 'E01';
}

/** X: the whole packet, whose data is binary-escaped. */
export function writeMemoryBinary(target: Target, raw: Buffer): string {
  const colon = raw.indexOf(0x3a);
  const req = colon < 0 ? null : parseAddrLen(raw.subarray(1, colon).toString('latin1'));
  if (req === null) return 'E01';
  const data = unescapeBinary(raw.subarray(colon + 1));
  if (data === null || data.length !== req.len) return 'E01';
  if (data.length === 0) return 'OK'; // gdb's probe for X support
  return target.writeMemory(req.addr, data) ? 'OK' : 'E01';
}
