// Byte helpers shared by the struct codecs.

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder();

/** The bytes of a struct inside a view; writes through it land in the view's buffer. */
export function bytesAt(view: DataView, off: number, len: number): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset + off, len);
}

/** Kernel structs copied to user space have their padding and reserved fields zeroed. */
export function zeroFill(view: DataView, off: number, len: number): void {
  bytesAt(view, off, len).fill(0);
}

export function utf8(s: string): Uint8Array {
  return utf8Encoder.encode(s);
}

/** Writes a NUL-terminated string into a char[size] field, truncated to size-1 bytes, rest zeroed. */
export function encodeFixedString(view: DataView, off: number, size: number, s: string): void {
  const field = bytesAt(view, off, size);
  field.fill(0);
  field.set(utf8(s).subarray(0, size - 1));
}

/** Reads a char[size] field up to its first NUL. */
export function decodeFixedString(view: DataView, off: number, size: number): string {
  const field = bytesAt(view, off, size);
  const nul = field.indexOf(0);
  return utf8Decoder.decode(nul < 0 ? field : field.subarray(0, nul));
}
