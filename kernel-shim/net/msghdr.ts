// struct msghdr and struct mmsghdr of x86-64 (include/linux/socket.h).

export interface Msghdr {
  name: bigint;
  namelen: number;
  iov: bigint;
  iovlen: bigint;
  control: bigint;
  controllen: bigint;
  flags: number;
}

export const MSGHDR_SIZE = 56;
export const MSGHDR_OFFSETS = { name: 0, namelen: 8, iov: 16, iovlen: 24, control: 32, controllen: 40, flags: 48 } as const;
/** struct mmsghdr: a msghdr, then msg_len (unsigned int), padded to 64 bytes. */
export const MMSGHDR_SIZE = 64;
export const MMSGHDR_LEN_OFFSET = 56;

export function decodeMsghdr(view: DataView, off = 0): Msghdr {
  const o = MSGHDR_OFFSETS;
  return {
    name: view.getBigUint64(off + o.name, true),
    namelen: view.getInt32(off + o.namelen, true),
    iov: view.getBigUint64(off + o.iov, true),
    iovlen: view.getBigUint64(off + o.iovlen, true),
    control: view.getBigUint64(off + o.control, true),
    controllen: view.getBigUint64(off + o.controllen, true),
    flags: view.getInt32(off + o.flags, true),
  };
}
