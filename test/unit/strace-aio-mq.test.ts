// strace formatting of the POSIX message queue and native AIO calls: mq_open's mode and
// struct mq_attr only with O_CREAT, mq_getsetattr's attributes (the old ones after success),
// mq_timedreceive's priority, io_setup's stored context, io_submit's iocb array (a write's
// buffer as a string), io_getevents' events after return, io_pgetevents' __aio_sigset.
import { strict as assert } from 'node:assert';
import { formatSyscall, type GuestReader } from '../../syscalls/strace.js';
import { argKinds } from '../../syscalls/strace-signature.js';
import { EINVAL, FakeMemory, bytes, words64 } from './strace-memory.js';

function bare(name: string, args: readonly bigint[], result: bigint | null, mem: GuestReader): string {
  return formatSyscall(name, argKinds(name, args), args, result, mem, { column: 0 });
}

const O_RDWR = 2n, O_CREAT = 0x40n;

/** struct iocb as its eight 64-bit words (key and rw_flags, opcode, reqprio and fd, flags and resfd share words). */
function iocb(data: bigint, op: number, fd: number, buf: bigint, nbytes: bigint, offset: bigint, resfd?: number): Uint8Array {
  const flagsWord = resfd === undefined ? 0n : 1n | (BigInt(resfd) << 32n);
  return words64([data, 0n, BigInt(op) | (BigInt(fd) << 32n), buf, nbytes, offset, 0n, flagsWord]);
}

describe('strace formatting: message queues and native AIO', function () {
  it('mq_open prints mode and attributes only with O_CREAT; mq_getsetattr the old ones after success', function () {
    const m = new FakeMemory().string(0x500n, 'q').words(0x1000n, [0n, 4n, 64n, 0n]).words(0x2000n, [0x800n, 10n, 8192n, 3n]);
    assert.equal(bare('mq_open', [0x500n, O_RDWR | O_CREAT, 0o600n, 0x1000n], 3n, m), 'mq_open("q", O_RDWR|O_CREAT, 0600, {mq_flags=0, mq_maxmsg=4, mq_msgsize=64, mq_curmsgs=0}) = 3');
    assert.equal(bare('mq_open', [0x500n, O_RDWR, 0n, 0n], 3n, m), 'mq_open("q", O_RDWR) = 3');
    assert.equal(
      bare('mq_getsetattr', [3n, 0x1000n, 0x2000n], 0n, m),
      'mq_getsetattr(3, {mq_flags=0, mq_maxmsg=4, mq_msgsize=64, mq_curmsgs=0}, {mq_flags=O_NONBLOCK, mq_maxmsg=10, mq_msgsize=8192, mq_curmsgs=3}) = 0',
    );
    assert.equal(bare('mq_getsetattr', [3n, 0n, 0x2000n], EINVAL, m), 'mq_getsetattr(3, NULL, 0x2000) = -1 EINVAL (Invalid argument)');
  });

  it('mq_timedreceive: the message and its priority after return', function () {
    const m = new FakeMemory().string(0x600n, 'high').map(0x700n, bytes(4, (dv) => dv.setUint32(0, 5, true)));
    assert.equal(bare('mq_timedreceive', [3n, 0x600n, 64n, 0x700n, 0n], 4n, m), 'mq_timedreceive(3, "high", 64, [5], NULL) = 4');
  });

  it('io_setup, io_submit, io_getevents and io_pgetevents', function () {
    const m = new FakeMemory()
      .words(0x800n, [0x7f0000000000n])
      .words(0x900n, [0x1000n, 0x1100n])
      .map(0x1000n, iocb(100n, 1, 3, 0x2000n, 5n, 0n))
      .map(0x1100n, iocb(101n, 0, 3, 0x3000n, 8n, 7n, 4))
      .string(0x2000n, 'hello')
      .words(0x4000n, [100n, 0x1000n, 5n, 0n, 101n, 0x1100n, BigInt.asUintN(64, -14n), 0n])
      .words(0x5000n, [0x6000n, 8n])
      .words(0x6000n, [1n << 13n]);
    assert.equal(bare('io_setup', [8n, 0x800n], 0n, m), 'io_setup(8, [0x7f0000000000]) = 0');
    assert.equal(
      bare('io_submit', [0x7f0000000000n, 2n, 0x900n], 2n, m),
      'io_submit(0x7f0000000000, 2, [{aio_data=0x64, aio_lio_opcode=IOCB_CMD_PWRITE, aio_fildes=3, aio_buf="hello", aio_nbytes=5, aio_offset=0}, ' +
        '{aio_data=0x65, aio_lio_opcode=IOCB_CMD_PREAD, aio_fildes=3, aio_buf=0x3000, aio_nbytes=8, aio_offset=7, aio_flags=IOCB_FLAG_RESFD, aio_resfd=4}]) = 2',
    );
    assert.equal(
      bare('io_getevents', [0x7f0000000000n, 1n, 8n, 0x4000n, 0n], 2n, m),
      'io_getevents(0x7f0000000000, 1, 8, [{data=0x64, obj=0x1000, res=5, res2=0}, {data=0x65, obj=0x1100, res=-14, res2=0}], NULL) = 2',
    );
    assert.equal(bare('io_getevents', [0x7f0000000000n, 1n, 8n, 0x4000n, 0n], EINVAL, m), 'io_getevents(0x7f0000000000, 1, 8, 0x4000, NULL) = -1 EINVAL (Invalid argument)');
    assert.equal(
      bare('io_pgetevents', [0x7f0000000000n, 0n, 1n, 0x4000n, 0n, 0x5000n], 0n, m),
      'io_pgetevents(0x7f0000000000, 0, 1, [], NULL, {sigmask=[ALRM], sigsetsize=8}) = 0',
    );
  });
});
