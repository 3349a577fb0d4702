// Inode numbers of files that exist only inside the kernel (pipefs, the shmem mount of
// memfds): one counter per filesystem, per Kernel.
export class InodeNumbers {
  constructor(private next: bigint) {}

  take(): bigint {
    return this.next++;
  }
}
