// Symbolic names of epoll and eventfd constants, in strace 6.1's order (see xlat.ts).
import type { Xlat } from './xlat.js';

export const EPOLL_CTL_OPS: Xlat = [
  ['EPOLL_CTL_ADD', 1],
  ['EPOLL_CTL_DEL', 2],
  ['EPOLL_CTL_MOD', 3],
];

export const EPOLL_EVENTS: Xlat = [
  ['EPOLLIN', 0x1],
  ['EPOLLPRI', 0x2],
  ['EPOLLOUT', 0x4],
  ['EPOLLERR', 0x8],
  ['EPOLLHUP', 0x10],
  ['EPOLLNVAL', 0x20],
  ['EPOLLRDNORM', 0x40],
  ['EPOLLRDBAND', 0x80],
  ['EPOLLWRNORM', 0x100],
  ['EPOLLWRBAND', 0x200],
  ['EPOLLMSG', 0x400],
  ['EPOLLRDHUP', 0x2000],
  ['EPOLLEXCLUSIVE', 0x10000000],
  ['EPOLLWAKEUP', 0x20000000],
  ['EPOLLONESHOT', 0x40000000],
  ['EPOLLET', 0x80000000],
];

export const EPOLL_CREATE_FLAGS: Xlat = [['EPOLL_CLOEXEC', 0x80000]];

export const EFD_FLAGS: Xlat = [
  ['EFD_SEMAPHORE', 0x1],
  ['EFD_CLOEXEC', 0x80000],
  ['EFD_NONBLOCK', 0x800],
];

export const POLL_EVENTS: Xlat = [
  ['POLLIN', 0x1],
  ['POLLPRI', 0x2],
  ['POLLOUT', 0x4],
  ['POLLERR', 0x8],
  ['POLLHUP', 0x10],
  ['POLLNVAL', 0x20],
  ['POLLRDNORM', 0x40],
  ['POLLRDBAND', 0x80],
  ['POLLWRNORM', 0x100],
  ['POLLWRBAND', 0x200],
  ['POLLMSG', 0x400],
  ['POLLRDHUP', 0x2000],
];
