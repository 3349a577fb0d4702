// struct pollfd (poll, ppoll).

export interface Pollfd {
  fd: number;
  /** POLL* bits, read as unsigned so masks stay non-negative. */
  events: number;
  revents: number;
}
export const POLLFD_SIZE = 8;
export const POLLFD_OFFSETS = { fd: 0, events: 4, revents: 6 } as const;

export function decodePollfd(view: DataView, off: number): Pollfd {
  return {
    fd: view.getInt32(off + POLLFD_OFFSETS.fd, true),
    events: view.getUint16(off + POLLFD_OFFSETS.events, true),
    revents: view.getUint16(off + POLLFD_OFFSETS.revents, true),
  };
}

export function encodePollfd(view: DataView, off: number, p: Pollfd): void {
  view.setInt32(off + POLLFD_OFFSETS.fd, p.fd, true);
  view.setUint16(off + POLLFD_OFFSETS.events, p.events, true);
  view.setUint16(off + POLLFD_OFFSETS.revents, p.revents, true);
}
