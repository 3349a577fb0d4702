// Real dynamically linked programs from Debian (installed by npm run setup), each run natively
// and under ushim in the same scratch directory and compared: output, status and the files
// they leave. Times and identities that differ between runs are fixed through the environment.
import { compareSteps, type Step } from './harness.js';
import { stampTree, writeInput } from './scratch-files.js';

const GIT_ENV = {
  GIT_AUTHOR_NAME: 'A U Thor', GIT_AUTHOR_EMAIL: 'author@example.com', GIT_AUTHOR_DATE: '2020-01-01T00:00:00Z',
  GIT_COMMITTER_NAME: 'C O Mitter', GIT_COMMITTER_EMAIL: 'committer@example.com', GIT_COMMITTER_DATE: '2020-01-01T00:00:00Z',
  GIT_CONFIG_NOSYSTEM: '1', HOME: '{TMP}',
};

function setup(dir: string): void {
  writeInput(dir, 'notes.txt', 'pear\napple\nfig\n'.repeat(50));
  writeInput(dir, 'Makefile', 'all: out.txt\n\nout.txt: notes.txt\n\tsort -u notes.txt > $@\n\techo made $@ with X=$(X)\n');
  stampTree(dir);
}

function steps(...list: [string, string[], string?][]): Step[] {
  return list.map(([cmd, args, stdin]) => ({ cmd, args, stdin }));
}

const PYTHON_SCRIPT = `
import threading, subprocess, sqlite3, zlib, json, tempfile, os
results = []
lock = threading.Lock()
def work(i):
    with lock:
        results.append(sum(range(i * 1000)))
threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
for t in threads: t.start()
for t in threads: t.join()
print(sorted(results))
print(subprocess.run(['/bin/echo', 'from a child'], capture_output=True, text=True).stdout, end='')
db = sqlite3.connect('data.db')
db.execute('create table t(k text, v int)')
db.executemany('insert into t values (?, ?)', [(str(i), i * i) for i in range(100)])
db.commit()
print(db.execute('select count(*), sum(v) from t').fetchone())
blob = zlib.compress(json.dumps({'k': list(range(100))}).encode())
print(len(blob), json.loads(zlib.decompress(blob))['k'][-1])
with tempfile.TemporaryDirectory(dir='.') as d:
    open(os.path.join(d, 'x'), 'w').write('x')
    print(os.listdir(d))
`;

describe('real programs (dynamic, from Debian)', function () {
  it('bash: loops, arithmetic, command substitution, pipelines, a subshell', function () {
    compareSteps(steps(['/bin/bash', ['-c', 'for i in 1 2 3; do echo "$i $((i * i))"; done | tac; x=$(wc -l < notes.txt); echo "lines $x"; (cd / && pwd); declare -A m=([a]=1); echo ${!m[@]}']]), { tmpdir: 'cwd', setup });
  });

  it('perl', function () {
    compareSteps(steps(['/usr/bin/perl', ['-e', 'my %c; while (<>) { chomp; $c{$_}++ } print map { "$_ $c{$_}\\n" } sort keys %c; printf "%.3f\\n", atan2(1, 1) * 4', 'notes.txt']]), { tmpdir: 'cwd', setup });
  });

  it('python3: threads, subprocess, sqlite3, zlib, json, tempfile', function () {
    compareSteps(steps(['/usr/bin/python3', ['-c', PYTHON_SCRIPT]]), { tmpdir: 'cwd', setup, compareTree: false });
  });

  it('gzip and xz round trips', function () {
    compareSteps(steps(
      ['/bin/gzip', ['-9', '-k', '-n', 'notes.txt']],
      ['/bin/gzip', ['-t', 'notes.txt.gz']],
      ['/usr/bin/xz', ['-k', 'notes.txt']],
      ['/usr/bin/xz', ['-dc', 'notes.txt.xz']],
    ), { tmpdir: 'cwd', setup });
  });

  it('the sqlite3 shell', function () {
    compareSteps(steps(['/usr/bin/sqlite3', ['shell.db'], 'create table t(a, b);\ninsert into t values (1, "x"), (2, "y");\nselect sum(a), group_concat(b) from t;\n']), { tmpdir: 'cwd', setup, compareTree: false });
  });

  it('git: init, add, commit, log, diff', function () {
    compareSteps(
      [
        { cmd: '/usr/bin/git', args: ['init', '-q', '-b', 'main', '.'] },
        { cmd: '/usr/bin/git', args: ['add', 'notes.txt'] },
        { cmd: '/usr/bin/git', args: ['commit', '-q', '-m', 'first'] },
        { cmd: '/bin/sh', args: ['-c', 'echo kiwi >> notes.txt'] },
        { cmd: '/usr/bin/git', args: ['diff', '--stat'] },
        { cmd: '/usr/bin/git', args: ['log', '--format=%H %an %s'] },
      ].map((s) => ({ ...s, env: GIT_ENV })),
      { tmpdir: 'cwd', setup, compareTree: false },
    );
  });

  it('make running recipes through /bin/sh', function () {
    compareSteps(steps(['/usr/bin/make', ['X=1']], ['/usr/bin/make', ['X=1']]), { tmpdir: 'cwd', setup });
  });

  it('tar: create and extract', function () {
    compareSteps(steps(['/bin/tar', ['cf', 'a.tar', 'notes.txt', 'Makefile']], ['/bin/mkdir', ['x']], ['/bin/tar', ['xf', 'a.tar', '-C', 'x']], ['/bin/tar', ['tvf', 'a.tar']]), { tmpdir: 'cwd', setup });
  });
});
