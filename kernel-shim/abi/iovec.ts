// struct iovec (readv, writev, preadv, pwritev, process_vm_*, sendmsg's msg_iov).

export interface Iovec {
  base: bigint;
  len: bigint;
}
export const IOVEC_SIZE = 16;
export const IOVEC_OFFSETS = { base: 0, len: 8 } as const;
/** UIO_MAXIOV: more vectors than this is EINVAL. */
export const IOV_MAX = 1024;

export function decodeIovec(view: DataView, off: number): Iovec {
  return {
    base: view.getBigUint64(off + IOVEC_OFFSETS.base, true),
    len: view.getBigUint64(off + IOVEC_OFFSETS.len, true),
  };
}

export function encodeIovec(view: DataView, off: number, iov: Iovec): void {
  view.setBigUint64(off + IOVEC_OFFSETS.base, iov.base, true);
  view.setBigUint64(off + IOVEC_OFFSETS.len, iov.len, true);
}

/** Decodes struct iovec[count]. */
export function decodeIovecs(view: DataView, off: number, count: number): Iovec[] {
  return Array.from({ length: count }, (_, i) => decodeIovec(view, off + i * IOVEC_SIZE));
}
