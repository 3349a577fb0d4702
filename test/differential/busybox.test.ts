// Differential tests with Debian's static BusyBox: each case runs one or more
// applets as `busybox APPLET ARGS...` (argv[0] = "busybox") natively and
// under ushim, in fresh copies of the same scratch directory populated with
// fixed input files (fixed contents and fixed mtimes, so `ls -l`, `tar tv`
// and `stat` print the same thing twice), and requires identical output,
// exit status and final directory contents.
//
// No case needs fork/exec (no `sh`, no `tar z`): those come with processes.

import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compareSteps, isStaticElf, type Step } from './harness.js';
import { stampTree, writeInput } from './scratch-files.js';
import { requireHost } from '../host-requirements.js';

const BUSYBOX = '/bin/busybox';

const INPUT_TXT = [
  'the quick brown fox',
  'jumps over the lazy dog',
  'The End',
  '',
  'numbers 42 and 7',
  'tabs\there\tand there',
  'a needle in the haystack',
  'last line of the file',
].join('\n') + '\n';

const DATA_CSV = ['alice:34:paris', 'bob:27:berlin', 'carol:41:rome', 'dave:27:oslo', 'eve:19:lima'].join('\n') + '\n';

const WORDS = ['pear', 'apple', 'fig', 'apple', 'banana', 'fig', 'fig', 'cherry', 'date', 'banana'];

/** Write the input files into the scratch directory. */
function setup(dir: string): void {
  const file = (rel: string, data: string | Buffer, mode = 0o644) => writeInput(dir, rel, data, mode);
  file('input.txt', INPUT_TXT);
  file('data.csv', DATA_CSV);
  file('words.txt', WORDS.join('\n') + '\n');
  file('sorted.txt', [...WORDS].sort().join('\n') + '\n');
  const bin = Buffer.alloc(600);
  for (let i = 0; i < bin.length; i++) bin[i] = (i * 37 + (i >> 4)) & 0xff;
  file('bin.dat', bin);
  file('script.sh', '#!/bin/sh\necho hi\n', 0o755);
  file('tree/a.txt', 'alpha\n');
  file('tree/sub/b.txt', 'beta with a needle\n', 0o600);
  file('tree/sub/deeper/c.log', 'gamma\n'.repeat(100));
  file('tree/empty', '');
  fs.symlinkSync('a.txt', path.join(dir, 'tree/link'));
  const sum = crypto.createHash('sha256').update(INPUT_TXT).digest('hex');
  file('sums.txt', `${sum}  input.txt\n`);
  stampTree(dir);
  fs.chmodSync(path.join(dir, 'tree'), 0o755);
}

interface BusyboxCase {
  title: string;
  /** One argv (applet first) per step; steps share the scratch directory. */
  steps: string[][];
  stdin?: string;
  env?: Record<string, string>;
  /** Native exit status of each step (default 0 for all). */
  status?: number[];
}

const CASES: BusyboxCase[] = [
  { title: 'echo', steps: [['echo', 'hello', 'world'], ['echo', '-n', 'no newline'], ['echo', '-e', 'a\\tb\\nc\\x41']] },
  { title: 'cat files and -n', steps: [['cat', 'input.txt', 'data.csv'], ['cat', '-n', 'input.txt']] },
  { title: 'cat stdin', steps: [['cat']], stdin: 'from stdin\nsecond line' },
  { title: 'cat missing file', steps: [['cat', 'missing']], status: [1] },
  { title: 'ls -l', steps: [['ls', '-l', 'tree'], ['ls', '-la', 'tree/sub'], ['ls', '-lR', 'tree']] },
  { title: 'ls -1 and -F', steps: [['ls', '-1'], ['ls', '-F', '-1', 'tree']] },
  { title: 'wc', steps: [['wc', 'input.txt'], ['wc', '-l', '-w', 'input.txt', 'data.csv'], ['wc', '-c', 'bin.dat']] },
  { title: 'head', steps: [['head', '-n', '3', 'input.txt'], ['head', '-c', '20', 'input.txt']] },
  { title: 'tail', steps: [['tail', '-n', '2', 'input.txt'], ['tail', '-c', '15', 'input.txt'], ['tail', '-n', '+6', 'input.txt']] },
  { title: 'sort', steps: [['sort', 'input.txt'], ['sort', '-t:', '-k2', '-n', 'data.csv'], ['sort', '-r', '-u', 'words.txt']] },
  { title: 'uniq', steps: [['uniq', '-c', 'sorted.txt'], ['uniq', '-d', 'sorted.txt']] },
  { title: 'cut', steps: [['cut', '-d:', '-f1,3', 'data.csv'], ['cut', '-c', '2-5', 'input.txt']] },
  { title: 'tr upper', steps: [['tr', 'a-z', 'A-Z']], stdin: INPUT_TXT },
  { title: 'tr -d -s', steps: [['tr', '-d', 'aeiou'], ['tr', '-s', 'a-z']], stdin: 'aaabbbcccdddeee   zzz\n' },
  {
    title: 'grep',
    steps: [
      ['grep', '-n', 'the', 'input.txt'],
      ['grep', '-c', '-i', 'THE', 'input.txt'],
      ['grep', '-E', '^(a|b)', 'words.txt'],
      ['grep', '-r', '-l', 'needle', 'tree'],
      ['grep', 'nomatch', 'input.txt'],
    ],
    status: [0, 0, 0, 0, 1],
  },
  {
    title: 'sed',
    steps: [
      ['sed', '-e', 's/the/THE/g', '-e', '2d', 'input.txt'],
      ['sed', '-n', '/fox/p;$=', 'input.txt'],
      ['sed', '-i', 's/a/A/g', 'words.txt'],
      ['cat', 'words.txt'],
    ],
  },
  {
    title: 'awk',
    steps: [
      ['awk', '-F:', '{ s += $2; n[$2]++ } END { print s, NR, s / NR; print n[27] }', 'data.csv'],
      [
        'awk',
        'BEGIN { for (i = 1; i <= 5; i++) printf "%d^2=%d\\n", i, i * i; ' +
          'printf "%.6f %.3e %d %s %s %d\\n", 10 / 3, 1024 * 1024 * 1024 * 1024, int(-3.7), substr("hello", 2, 3), toupper("x"), 7 % 3 }',
      ],
      ['awk', 'length($0) > 15 { print NR ": " $1 }', 'input.txt'],
    ],
  },
  {
    title: 'find',
    steps: [
      ['find', 'tree'],
      ['find', 'tree', '-name', '*.txt', '-type', 'f'],
      ['find', 'tree', '-type', 'l'],
      ['find', '.', '-maxdepth', '1', '-type', 'd'],
      ['find', 'tree', '-size', '+1k'],
    ],
  },
  { title: 'sha256sum', steps: [['sha256sum', 'input.txt', 'bin.dat'], ['sha256sum', '-c', 'sums.txt']] },
  { title: 'md5sum', steps: [['md5sum', 'input.txt', 'bin.dat', 'tree/sub/deeper/c.log']] },
  {
    title: 'gzip -k then gunzip -c',
    steps: [['gzip', '-k', '-9', 'input.txt'], ['gunzip', '-c', 'input.txt.gz'], ['gzip', '-c', 'bin.dat']],
  },
  {
    title: 'tar create, list, extract',
    steps: [
      ['tar', 'cf', 'archive.tar', 'tree'],
      ['tar', 'tvf', 'archive.tar'],
      ['mkdir', 'out'],
      ['tar', 'xf', 'archive.tar', '-C', 'out'],
      // What tar creates gets the current time (two runs can straddle a minute): names,
      // modes and sizes of everything, and times only of what the archive restores.
      ['find', 'out', '-exec', 'stat', '-c', '%n %A %s', '{}', ';'],
      ['ls', '-l', 'out/tree/a.txt', 'out/tree/empty', 'out/tree/sub/b.txt'],
    ],
  },
  { title: 'od', steps: [['od', '-c', 'input.txt'], ['od', '-A', 'd', '-t', 'x2', 'bin.dat']] },
  { title: 'hexdump', steps: [['hexdump', '-C', 'bin.dat']] },
  {
    title: 'date',
    steps: [['date', '-d', '@0'], ['date', '-u', '-d', '@1234567890', '+%Y-%m-%d %H:%M:%S %j %a %s']],
    env: { TZ: 'UTC' },
  },
  {
    title: 'expr',
    steps: [
      ['expr', '3', '*', '7', '+', '1'],
      ['expr', 'length', 'hello'],
      ['expr', 'abc', ':', 'a\\(.\\)'],
      ['expr', '1', '=', '2'],
      ['expr', '1', '/', '0'],
    ],
    status: [0, 0, 0, 1, 2],
  },
  { title: 'seq', steps: [['seq', '5'], ['seq', '1', '3', '20'], ['seq', '-s', ',', '-w', '8', '12'], ['seq', '0.5', '0.25', '1.5']] },
  {
    title: 'printf',
    steps: [
      ['printf', '%5.2f|%x|%o|%s|%c|%e|%-4d|\\n', '3.14159', '255', '8', 'str', 'xyz', '12345.678', '7'],
      ['printf', '%s-%s\\n', 'a', 'b', 'c'],
    ],
  },
  { title: 'basename and dirname', steps: [['basename', '/a/b/c.txt', '.txt'], ['basename', '/a/b/'], ['dirname', '/a/b/c.txt'], ['dirname', 'file']] },
  {
    title: 'stat',
    steps: [
      ['stat', '-c', '%n|%s|%b|%F|%a|%A|%h|%U|%G|%Y', 'input.txt', 'tree', 'tree/link', 'tree/empty', 'script.sh'],
      ['stat', '-L', '-c', '%n %F %s', 'tree/link'],
      ['stat', 'missing'],
    ],
    status: [0, 0, 1],
  },
  {
    title: 'file operations',
    steps: [
      ['mkdir', '-p', 'x/y/z'],
      ['cp', '-r', 'tree', 'x/y/z/copy'],
      ['mv', 'input.txt', 'x/moved.txt'],
      ['ln', '-s', '../moved.txt', 'x/y/lnk'],
      ['chmod', '600', 'x/moved.txt'],
      ['touch', '-d', '2000-01-02 03:04:05', 'x/moved.txt'],
      ['rm', '-r', 'x/y/z/copy/sub'],
      ['rmdir', 'x/y/z/copy'],
      // Fixed times: the native and the ushim run may fall in different minutes.
      ['find', 'x', '-exec', 'busybox', 'touch', '-h', '-d', '2000-01-02 03:04:05', '{}', '+'],
      ['ls', '-lR', 'x'],
      ['readlink', 'x/y/lnk'],
      ['cat', 'x/y/lnk'],
    ],
    env: { TZ: 'UTC' },
    status: [0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0],
  },
  { title: 'pwd, env, uname, id', steps: [['pwd'], ['env'], ['uname', '-s', '-m'], ['id', '-u'], ['true']] },
  { title: 'false', steps: [['false']], status: [1] },
  { title: 'unknown applet', steps: [['no-such-applet']], status: [127] },
];

describe('differential: busybox (native vs ushim)', function () {
  this.timeout(300_000);

  before(function () {
    requireHost(this, fs.existsSync(BUSYBOX) && isStaticElf(BUSYBOX), `a static ${BUSYBOX} (apt-get install busybox-static)`);
  });

  for (const c of CASES) {
    it(c.title, function () {
      const steps: Step[] = c.steps.map((argv, i) => ({
        cmd: BUSYBOX,
        args: argv,
        argv0: 'busybox',
        expectStatus: c.status?.[i] ?? 0,
      }));
      compareSteps(steps, { tmpdir: 'cwd', setup, stdin: c.stdin, env: { TZ: 'UTC', ...c.env } });
    });
  }
});
