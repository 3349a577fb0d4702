// The command line and environment ushim was started with, as byte strings
// (kernel-shim/abi/bytes.ts): Node decodes process.argv and process.env as UTF-8, which loses
// every byte that is not part of valid UTF-8, and a guest must get exactly what was passed.
import { readFileSync } from 'node:fs';
import { byteString, stringBytes, textByteString } from '../kernel-shim/abi/bytes.js';
import { IGNORED_SIGNALS_VARIABLE } from './host-inheritance.js';

/** The NUL-separated strings of a /proc/self file, or undefined without /proc. */
function procStrings(name: string): string[] | undefined {
  let raw: Buffer;
  try {
    raw = readFileSync(`/proc/self/${name}`);
  } catch {
    return undefined;
  }
  const text = byteString(raw);
  const items = text.split('\0');
  if (text.endsWith('\0')) items.pop();
  return items;
}

/** The raw bytes of `decoded`, the last arguments of ushim's own command line as Node decoded them. */
export function hostArguments(decoded: readonly string[]): string[] {
  const raw = procStrings('cmdline');
  if (raw !== undefined && raw.length >= decoded.length) {
    const tail = raw.slice(raw.length - decoded.length);
    if (tail.every((s, i) => stringBytes(s).toString('utf8') === decoded[i])) return tail;
  }
  // Arguments that are not ushim's own command line (a caller of main()): they are text.
  return decoded.map(textByteString);
}

/** The environment ushim was started with, as NAME=VALUE byte strings, without what bin/ushim added for itself. */
export function hostEnvironment(): string[] {
  const all = procStrings('environ') ?? Object.entries(process.env).map(([k, v]) => textByteString(`${k}=${v ?? ''}`));
  return all.filter((entry) => !entry.startsWith(`${IGNORED_SIGNALS_VARIABLE}=`));
}
