// A host epoll instance through koffi: the host kernel's edge tracking for host fds that a
// guest watches edge-triggered. Every call here returns at once (epoll_wait with a zero
// timeout); waiting for the instance is the scheduler's host poll on its fd.
import koffi from 'koffi';
import { libcCalls } from './libc.js';

const libc = koffi.load('libc.so.6');
const calls = {
  epollCreate1: libc.func('int epoll_create1(int flags)'),
  epollCtl: libc.func('int epoll_ctl(int epfd, int op, int fd, const uint8_t *event)'),
  epollWait: libc.func('int epoll_wait(int epfd, _Out_ uint8_t *events, int maxevents, int timeout)'),
};

const EPOLL_CLOEXEC = 0x80000;
const EPOLL_CTL_ADD = 1, EPOLL_CTL_DEL = 2;
const F_DUPFD_CLOEXEC = 1030;
/** struct epoll_event on x86-64: packed, a u32 of events then a u64 of data. */
const EVENT_SIZE = 12;
/** Events one epoll_wait collects; more come with the next call. */
const BATCH = 64;

function result(r: number): number {
  return r < 0 ? -libcCalls.errno() : r;
}

/** A new host epoll instance (close-on-exec): its fd or -errno. */
export function hostEpollCreate(): number {
  return result(calls.epollCreate1(EPOLL_CLOEXEC));
}

/**
 * Watches fd in the instance for `events` (the host's EPOLL* bits, EPOLLET among them),
 * reported with fd as data; 0 or -errno.
 */
export function hostEpollAdd(epfd: number, fd: number, events: number): number {
  const event = Buffer.alloc(EVENT_SIZE);
  event.writeUInt32LE(events >>> 0, 0);
  event.writeUInt32LE(fd, 4);
  return result(calls.epollCtl(epfd, EPOLL_CTL_ADD, fd, event));
}

export function hostEpollDelete(epfd: number, fd: number): number {
  return result(calls.epollCtl(epfd, EPOLL_CTL_DEL, fd, null));
}

/** The fds the instance reports now, without waiting. */
export function hostEpollReady(epfd: number): number[] {
  const out: number[] = [];
  const buf = Buffer.alloc(EVENT_SIZE * BATCH);
  for (;;) {
    const n = calls.epollWait(epfd, buf, BATCH, 0);
    for (let i = 0; i < n; i++) out.push(buf.readInt32LE(i * EVENT_SIZE + 4));
    if (n < BATCH) return out;
  }
}

/** A second host fd for fd's description (close-on-exec): its number or -errno. */
export function hostDup(fd: number): number {
  return result(libcCalls.fcntl(fd, F_DUPFD_CLOEXEC, 0));
}
