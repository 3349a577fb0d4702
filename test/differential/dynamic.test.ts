// Differential tests with the host's dynamically linked programs: ld.so maps itself and the
// program's libraries, so these exercise PT_INTERP, AT_BASE/AT_PHDR/AT_ENTRY, the zeroed
// tail of the last file page (ld.so keeps its first link_map there), TLS of shared objects
// and IFUNC resolvers. Each runs natively and under ushim in a scratch directory.
import { compare, compareSteps } from './harness.js';
import { writeInput, stampTree } from './scratch-files.js';

function setup(dir: string): void {
  writeInput(dir, 'words.txt', 'pear\napple\nfig\napple\nbanana\n');
  writeInput(dir, 'sub/a.txt', 'alpha\n');
  stampTree(dir);
}

describe('dynamic programs (host ld.so and libc)', function () {
  it('true and false', function () {
    compare('/bin/true', []);
    compare('/bin/false', [], { expectStatus: 1 });
  });

  it('coreutils: sort, wc, cat, ls -l (xattrs), stat, cp', function () {
    compareSteps(
      [
        { cmd: '/usr/bin/sort', args: ['-u', 'words.txt'] },
        { cmd: '/usr/bin/wc', args: ['words.txt'] },
        { cmd: '/bin/cat', args: ['sub/a.txt'] },
        { cmd: '/bin/ls', args: ['-1F', 'sub'] },
        { cmd: '/bin/ls', args: ['-l', '--time-style=+%s', 'sub'] },
        { cmd: '/usr/bin/stat', args: ['-c', '%s %n %a', 'words.txt'] },
        { cmd: '/bin/cp', args: ['words.txt', 'copy.txt'] },
      ],
      { tmpdir: 'cwd', setup },
    );
  });

  it('ld.so run directly', function () {
    compare('/lib64/ld-linux-x86-64.so.2', ['/bin/echo', 'through', 'ld.so']);
  });

  it('a dynamic shell running dynamic programs (fork, execve of PT_INTERP programs)', function () {
    compare('/bin/sh', ['-c', 'echo start; /bin/echo "$(/usr/bin/expr 6 \\* 7)"; /bin/false || echo failed $?']);
  });

  it('busybox awk reading a command through the host /bin/sh', function () {
    compare('/bin/busybox', ['awk', 'BEGIN { "/bin/echo piped" | getline x; print "got", x }']);
  });

  it('python3', function () {
    compare('/usr/bin/python3', ['-c', 'import json, zlib; print(json.dumps({"n": len(zlib.compress(b"x" * 1000))}))']);
  });
});
