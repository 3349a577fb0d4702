// What the AF_UNIX sockets of one kernel share: the names they are bound to, and the
// releasing of descriptions that were in flight in freed messages. Those may be sockets
// whose own queues hold more descriptions, nested as deep as a guest likes: they are
// released one after another from a work list, never by recursion.
import { releaseFile } from '../../fs/fdtable.js';
import type { OpenFile } from '../../fs/file.js';
import { UnixNames } from './names.js';

export class UnixDomain {
  readonly names = new UnixNames();
  private readonly releasing: OpenFile[] = [];
  private draining = false;

  /** Drops one reference to each of `files`, after those already being dropped. */
  releaseAll(files: readonly OpenFile[]): void {
    this.releasing.push(...files);
    if (this.draining) return;
    this.draining = true;
    try {
      for (let f = this.releasing.pop(); f !== undefined; f = this.releasing.pop()) releaseFile(f);
    } finally {
      this.draining = false;
    }
  }
}
