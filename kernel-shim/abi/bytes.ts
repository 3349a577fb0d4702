// Byte helpers shared by the struct codecs, and the kernel's string convention: file names,
// paths, argv, envp and every other string that crosses the guest boundary are held as
// "byte strings", one UTF-16 code unit per byte (0-255, Node's latin1), because Linux names
// are bytes and need not be valid UTF-8. Only front ends convert to or from text.

/** The bytes of a struct inside a view; writes through it land in the view's buffer. */
export function bytesAt(view: DataView, off: number, len: number): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset + off, len);
}

/** Kernel structs copied to user space have their padding and reserved fields zeroed. */
export function zeroFill(view: DataView, off: number, len: number): void {
  bytesAt(view, off, len).fill(0);
}

/** The bytes a byte string stands for. */
export function stringBytes(s: string): Buffer {
  return Buffer.from(s, 'latin1');
}

/** A byte string of exactly these bytes. */
export function byteString(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

/** The byte string of a text's UTF-8 encoding (text from a user of the API or the CLI). */
export function textByteString(text: string): string {
  return Buffer.from(text, 'utf8').toString('latin1');
}

/** A byte string shown as text, for messages: UTF-8 decoded, invalid bytes as U+FFFD. */
export function byteStringText(s: string): string {
  return stringBytes(s).toString('utf8');
}

/** Writes a NUL-terminated string into a char[size] field, truncated to size-1 bytes, rest zeroed. */
export function encodeFixedString(view: DataView, off: number, size: number, s: string): void {
  const field = bytesAt(view, off, size);
  field.fill(0);
  field.set(stringBytes(s).subarray(0, size - 1));
}

/** Reads a char[size] field up to its first NUL. */
export function decodeFixedString(view: DataView, off: number, size: number): string {
  const field = bytesAt(view, off, size);
  const nul = field.indexOf(0);
  return byteString(nul < 0 ? field : field.subarray(0, nul));
}
