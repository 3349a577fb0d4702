// Numbers and thread ids as gdb writes them in packet arguments: hex digits without 0x.

export const hex = (n: number | bigint): string => n.toString(16);
export const hex2 = (n: number): string => n.toString(16).padStart(2, '0');

export function parseHexNumber(s: string): number | null {
  if (!/^[0-9a-fA-F]{1,13}$/.test(s)) return null;
  return parseInt(s, 16);
}

export function parseHexAddress(s: string): bigint | null {
  if (!/^[0-9a-fA-F]{1,16}$/.test(s)) return null;
  return BigInt('0x' + s);
}

export function parseIdPart(s: string): number | 'all' | 'any' | null {
  if (s === '-1') return 'all';
  const n = parseHexNumber(s);
  if (n === null) return null;
  return n === 0 ? 'any' : n;
}
