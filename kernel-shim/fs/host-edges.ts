// Edge-triggered epoll entries of files whose readiness is a host fd's (host sockets, a
// guest's connection to a host AF_UNIX socket, host pipes and terminals): the host kernel
// tracks their edges. Each entry watches a dup of the file's host fd (the host keys epoll
// entries by fd and description, as Linux keys the guest's, so two guest fds of one
// description are two entries) with the guest's events and EPOLLET, in one host epoll
// instance per guest epoll instance. An edge the host reports marks the entry pending until
// the guest's epoll_wait looks at it; a task waiting in epoll_wait waits for the host
// instance's fd, which polls readable while an edge is unseen.
import { hostDup, hostEpollAdd, hostEpollCreate, hostEpollDelete, hostEpollReady } from '../../host/epoll.js';
import { libcCalls } from '../../host/libc.js';

/** One entry's watch: its host fd (the dup) and whether an edge came since epoll_wait last looked. */
export interface HostEdge {
  readonly fd: number;
  pending: boolean;
}

export class HostEdges {
  /** The host epoll instance, made with the first watch; -1 before. */
  private epfd = -1;
  private readonly byFd = new Map<number, HostEdge>();

  /**
   * Starts watching hostFd for `events` (the host's EPOLL* bits, EPOLLET among them): the
   * watch, pending (Linux reports a new or modified entry that is ready at once), or null
   * when the host cannot watch the fd.
   */
  watch(hostFd: number, events: number): HostEdge | null {
    if (this.epfd < 0) this.epfd = hostEpollCreate();
    if (this.epfd < 0) return null;
    const fd = hostDup(hostFd);
    if (fd < 0) return null;
    if (hostEpollAdd(this.epfd, fd, events) < 0) {
      libcCalls.close(fd);
      return null;
    }
    // The host reports a descriptor that is ready when added: that is this first report, not an edge.
    this.collect();
    const edge = { fd, pending: true };
    this.byFd.set(fd, edge);
    return edge;
  }

  unwatch(edge: HostEdge): void {
    // The dup's description lives on in the file's own fd, so closing the dup alone would
    // leave the host entry in place.
    hostEpollDelete(this.epfd, edge.fd);
    libcCalls.close(edge.fd);
    this.byFd.delete(edge.fd);
  }

  /** Marks the watches the host saw an edge of since the last call. */
  collect(): void {
    if (this.epfd < 0) return;
    for (const fd of hostEpollReady(this.epfd)) {
      const edge = this.byFd.get(fd);
      if (edge !== undefined) edge.pending = true;
    }
  }

  /** The host fd whose readiness means an edge is waiting to be collected; undefined without watches. */
  get waitFd(): number | undefined {
    return this.byFd.size > 0 ? this.epfd : undefined;
  }

  release(): void {
    for (const edge of [...this.byFd.values()]) this.unwatch(edge);
    if (this.epfd >= 0) libcCalls.close(this.epfd);
    this.epfd = -1;
  }
}
