// Encoding of socket option values: C ints and SO_RCVTIMEO/SO_SNDTIMEO's struct timeval.
import { TIMEVAL_SIZE, decodeTimeval, encodeTimeval, nsToTimeval } from '../abi/time.js';
import { Errno } from '../errno.js';

/** An int option's value as getsockopt returns it. */
export function intOption(v: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setInt32(0, v, true);
  return out;
}

/** An int option's value as setsockopt reads it: undefined when optlen is below sizeof(int). */
export function readIntOption(value: Uint8Array): number | undefined {
  return value.length < 4 ? undefined : new DataView(value.buffer, value.byteOffset, 4).getInt32(0, true);
}

/**
 * SO_RCVTIMEO/SO_SNDTIMEO as sock_set_timeout reads them: 0 waits forever; a negative
 * tv_sec means "do not wait" (kept as 1 ns); tv_usec outside [0, 1e6) is EDOM.
 */
export function decodeSocketTimeout(value: Uint8Array): bigint | number {
  if (value.length < TIMEVAL_SIZE) return -Errno.EINVAL;
  const tv = decodeTimeval(new DataView(value.buffer, value.byteOffset, TIMEVAL_SIZE), 0);
  if (tv.usec < 0n || tv.usec >= 1_000_000n) return -Errno.EDOM;
  if (tv.sec < 0n) return 1n;
  return tv.sec * 1_000_000_000n + tv.usec * 1000n;
}

export function encodeSocketTimeout(ns: bigint): Uint8Array {
  const out = new Uint8Array(TIMEVAL_SIZE);
  encodeTimeval(new DataView(out.buffer), 0, nsToTimeval(ns));
  return out;
}
