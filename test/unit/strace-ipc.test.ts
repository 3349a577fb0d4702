// strace formatting of the System V IPC calls. Every expected line was printed by strace 6.1
// for the sysv_shm, sysv_sem and sysv_msg fixtures run natively.
import { strict as assert } from 'node:assert';
import { EFAULT, EINVAL, ERR, FakeMemory, bytes, line, words64 } from './strace-memory.js';

const OPS = 0x4a9300n;

const BUF = 0x7ffc5f10ef80n;

/** struct ipc64_perm's fields as the fixtures' native runs had them. */
function perm(dv: DataView, key: number, mode: number): void {
  dv.setInt32(0, key, true);
  dv.setUint16(20, mode, true);
}

function sembuf(ops: readonly [number, number, number][]): Uint8Array {
  return bytes(ops.length * 6, (dv) => ops.forEach(([num, op, flg], i) => {
    dv.setUint16(i * 6, num, true);
    dv.setInt16(i * 6 + 2, op, true);
    dv.setInt16(i * 6 + 4, flg, true);
  }));
}

describe('strace formatting: System V IPC', function () {
  it('keys, xxxget flags and permissions', function () {
    assert.equal(line('shmget', [0n, 10000n, 0o1600n], 37n), 'shmget(IPC_PRIVATE, 10000, IPC_CREAT|0600) = 37');
    assert.equal(line('shmget', [0x53002059n, 4096n, 0o3600n], ERR(17)), 'shmget(0x53002059, 4096, IPC_CREAT|IPC_EXCL|0600) = -1 EEXIST (File exists)');
    assert.equal(line('shmget', [0x53002059n, 100n, 0n], 36n), 'shmget(0x53002059, 100, 000)            = 36');
    assert.equal(line('semget', [0n, 3n, 0o1600n], 25n), 'semget(IPC_PRIVATE, 3, IPC_CREAT|0600)  = 25');
  });

  it('shmat flags and the ctl commands', function () {
    assert.equal(line('shmat', [42n, 0n, 0o10000n], 0x7f005b96a000n), 'shmat(42, NULL, SHM_RDONLY)             = 0x7f005b96a000');
    assert.equal(line('shmat', [43n, 0x7f005b96c064n, 0o20000n], 0x7f005b96c000n), 'shmat(43, 0x7f005b96c064, SHM_RND)      = 0x7f005b96c000');
    assert.equal(line('shmctl', [36n, 0n, 0n], 0n), 'shmctl(36, IPC_RMID, NULL)              = 0');
    assert.equal(line('shmctl', [36n, 2n, 8n], EFAULT), 'shmctl(36, IPC_STAT, 0x8)               = -1 EFAULT (Bad address)');
    assert.equal(line('msgctl', [26n, 0n, 0n], 0n), 'msgctl(26, IPC_RMID, NULL)              = 0');
    assert.equal(line('semctl', [25n, 0n, 16n, 5n], 0n), 'semctl(25, 0, SETVAL, 0x5)              = 0');
    assert.equal(line('semctl', [25n, 0n, 12n, 0n], 5n), 'semctl(25, 0, GETVAL, NULL)             = 5');
    assert.equal(line('semctl', [25n, 0n, 13n, 8n], EFAULT), 'semctl(25, 0, GETALL, 0x8)              = -1 EFAULT (Bad address)');
  });

  it('semop operations and msgsnd messages', function () {
    const mem = new FakeMemory().map(OPS, sembuf([[0, -1, 0], [1, -5, 0o4000]]));
    assert.equal(
      line('semtimedop', [25n, OPS, 2n, 0n], ERR(11), mem),
      'semtimedop(25, [{sem_num=0, sem_op=-1, sem_flg=0}, {sem_num=1, sem_op=-5, sem_flg=IPC_NOWAIT}], 2, NULL) = -1 EAGAIN (Resource temporarily unavailable)',
    );
    const undo = new FakeMemory().map(OPS, sembuf([[1, 3, 0x1000]]));
    assert.equal(line('semtimedop', [31n, OPS, 1n, 0n], 0n, undo), 'semtimedop(31, [{sem_num=1, sem_op=3, sem_flg=SEM_UNDO}], 1, NULL) = 0');
    assert.equal(line('semtimedop', [25n, OPS, 0n, 0n], EINVAL, mem), 'semtimedop(25, [], 0, NULL)             = -1 EINVAL (Invalid argument)');
    const msg = new FakeMemory().map(OPS, bytes(12, (dv) => {
      dv.setBigUint64(0, 6n, true);
      dv.setUint32(8, 0x786973, true);
    }));
    assert.equal(line('msgsnd', [25n, OPS, 4n, 0n], 0n, msg), 'msgsnd(25, {mtype=6, mtext="six\\0"}, 4, 0) = 0');
  });

  it('the structs of the ctl calls', function () {
    const shmid = new FakeMemory().map(BUF, bytes(112, (dv) => {
      perm(dv, 1392517209, 0o600);
      dv.setBigUint64(48, 4096n, true);
      dv.setBigUint64(72, 1796668674n, true);
      dv.setInt32(80, 17203, true);
    }));
    assert.equal(
      line('shmctl', [46n, 2n, BUF], 0n, shmid),
      'shmctl(46, IPC_STAT, {shm_perm={uid=0, gid=0, mode=0600, key=1392517209, cuid=0, cgid=0}, shm_segsz=4096, shm_cpid=17203, shm_lpid=0, shm_nattch=0, shm_atime=0, shm_dtime=0, shm_ctime=1796668674}) = 0',
    );
    const set = new FakeMemory().map(BUF, bytes(120, (dv) => {
      perm(dv, 0, 0o640);
      dv.setBigUint64(88, 100n, true);
    }));
    assert.equal(line('shmctl', [46n, 1n, BUF], 0n, set), 'shmctl(46, IPC_SET, {shm_perm={uid=0, gid=0, mode=0640}}) = 0');
    assert.equal(line('msgctl', [31n, 1n, BUF], 0n, set), 'msgctl(31, IPC_SET, {msg_perm={uid=0, gid=0, mode=0640}, msg_qbytes=100}) = 0');
    const semid = new FakeMemory().map(BUF, bytes(104, (dv) => {
      perm(dv, 1929388121, 0o604);
      dv.setBigUint64(64, 1796668678n, true);
      dv.setBigUint64(80, 2n, true);
    }));
    assert.equal(
      line('semctl', [36n, 0n, 18n, BUF], 36n, semid),
      'semctl(36, 0, SEM_STAT, {sem_perm={uid=0, gid=0, mode=0604, key=1929388121, cuid=0, cgid=0}, sem_otime=0, sem_ctime=1796668678, sem_nsems=2}) = 36',
    );
    const shminfo = new FakeMemory().map(BUF, words64([18446744073692774399n, 1n, 4096n, 4096n, 18446744073692774399n, 0n, 0n, 0n, 0n]));
    assert.equal(
      line('shmctl', [0n, 3n, BUF], 49n, shminfo),
      'shmctl(0, IPC_INFO, {shmmax=18446744073692774399, shmmin=1, shmmni=4096, shmseg=4096, shmall=18446744073692774399}) = 49',
    );
    const shmInfo = new FakeMemory().map(BUF, words64([1n, 1n, 0n, 0n, 0n, 0n]));
    assert.equal(line('shmctl', [0n, 14n, BUF], 49n, shmInfo), 'shmctl(0, SHM_INFO, {used_ids=1, shm_tot=1, shm_rss=0, shm_swp=0, swap_attempts=0, swap_successes=0}) = 49');
    const seminfo = new FakeMemory().map(BUF, bytes(40, (dv) => [1024000000, 32000, 1024000000, 1024000000, 32000, 500, 500, 20, 32767, 32767].forEach((v, i) => dv.setInt32(i * 4, v, true))));
    assert.equal(
      line('semctl', [0n, 0n, 3n, BUF], 37n, seminfo),
      'semctl(0, 0, IPC_INFO, {semmap=1024000000, semmni=32000, semmns=1024000000, semmnu=1024000000, semmsl=32000, semopm=500, semume=500, semusz=20, semvmx=32767, semaem=32767}) = 37',
    );
    const msginfo = new FakeMemory().map(BUF, bytes(32, (dv) => {
      [512000, 16384, 8192, 16384, 32000, 16, 16384].forEach((v, i) => dv.setInt32(i * 4, v, true));
      dv.setUint16(28, 65535, true);
    }));
    assert.equal(
      line('msgctl', [0n, 3n, BUF], 31n, msginfo),
      'msgctl(0, IPC_INFO, {msgpool=512000, msgmap=16384, msgmax=8192, msgmnb=16384, msgmni=32000, msgssz=16, msgtql=16384, msgseg=65535}) = 31',
    );
    assert.equal(line('msgctl', [26n, 0n, 0n], 0n), 'msgctl(26, IPC_RMID, NULL)              = 0');
  });

  it('the message msgrcv received', function () {
    const msg = new FakeMemory().map(OPS, bytes(12, (dv) => {
      dv.setBigUint64(0, 1n, true);
      dv.setUint32(8, 0x61616161, true);
    }));
    assert.equal(line('msgrcv', [25n, OPS, 4n, 0n, 0o10000n], 4n, msg), 'msgrcv(25, {mtype=1, mtext="aaaa"}, 4, 0, MSG_NOERROR) = 4');
    assert.equal(line('msgrcv', [26n, OPS, 100n, 0n, 0n], ERR(43), msg), 'msgrcv(26, 0x4a9300, 100, 0, 0)         = -1 EIDRM (Identifier removed)');
  });
});
