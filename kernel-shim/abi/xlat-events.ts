// Symbolic names of epoll and eventfd constants, in strace 6.1's order (see xlat.ts).
import { type Xlat, bitsFrom, numberedFrom } from './xlat.js';

export const EPOLL_CTL_OPS: Xlat = numberedFrom(1, ['EPOLL_CTL_ADD', 'EPOLL_CTL_DEL', 'EPOLL_CTL_MOD']);

export const EPOLL_EVENTS: Xlat = [
  ...bitsFrom(0x1, [
    'EPOLLIN', 'EPOLLPRI', 'EPOLLOUT', 'EPOLLERR', 'EPOLLHUP', 'EPOLLNVAL', 'EPOLLRDNORM', 'EPOLLRDBAND',
    'EPOLLWRNORM', 'EPOLLWRBAND', 'EPOLLMSG',
  ]),
  ['EPOLLRDHUP', 0x2000],
  ...bitsFrom(0x10000000, ['EPOLLEXCLUSIVE', 'EPOLLWAKEUP', 'EPOLLONESHOT', 'EPOLLET']),
];

export const EPOLL_CREATE_FLAGS: Xlat = [['EPOLL_CLOEXEC', 0x80000]];

export const EFD_FLAGS: Xlat = [
  ['EFD_SEMAPHORE', 0x1],
  ['EFD_CLOEXEC', 0x80000],
  ['EFD_NONBLOCK', 0x800],
];

export const POLL_EVENTS: Xlat = [
  ...bitsFrom(0x1, [
    'POLLIN', 'POLLPRI', 'POLLOUT', 'POLLERR', 'POLLHUP', 'POLLNVAL', 'POLLRDNORM', 'POLLRDBAND',
    'POLLWRNORM', 'POLLWRBAND', 'POLLMSG',
  ]),
  ['POLLRDHUP', 0x2000],
];
