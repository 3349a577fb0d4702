// Differential tests of Debian's static BusyBox shell: each case runs
// `busybox sh -c SCRIPT` (or `busybox sh FILE ARGS`) natively and under
// ushim, in fresh copies of the same scratch directory, and requires
// identical output, exit status and final directory contents.
//
// These exercise processes and signals end to end: fork for pipelines,
// subshells and command substitution; execve for `/bin/busybox APPLET` and
// `busybox APPLET` (which BusyBox runs as /proc/self/exe); wait4 and
// SIGCHLD for background jobs; kill/trap for signals sent to the shell
// itself; timeout's SIGTERM; SIGPIPE in pipelines.  Every command is a
// BusyBox applet or a shell builtin (BusyBox prefers its applets over
// $PATH), so nothing from the host's dynamically linked userland runs.

import * as fs from 'node:fs';
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
  'a needle in the haystack',
  'last line of the file',
].join('\n') + '\n';

const DATA_CSV = ['alice:34:paris', 'bob:27:berlin', 'carol:41:rome', 'dave:27:oslo', 'eve:19:lima'].join('\n') + '\n';

const WORDS = ['pear', 'apple', 'fig', 'apple', 'banana', 'fig', 'fig', 'cherry', 'date', 'banana'];

/** A script run as a file: positional parameters, functions, return codes. */
const PROG_SH = `# run as: busybox sh prog.sh ARGS...
greet() {
  local who="$1"
  echo "hello, $who"
  return 4
}
echo "argc=$# first=$1 rest=[$*]"
greet "$2"
echo "greet returned $?"
for a in "$@"; do printf '<%s>' "$a"; done
echo
shift 2
echo "after shift: $#"
exit 6
`;

function setup(dir: string): void {
  const file = (rel: string, data: string) => writeInput(dir, rel, data);
  file('input.txt', INPUT_TXT);
  file('data.csv', DATA_CSV);
  file('words.txt', WORDS.join('\n') + '\n');
  file('prog.sh', PROG_SH);
  file('tree/a.txt', 'alpha\n');
  file('tree/sub/b.txt', 'beta with a needle\n');
  file('tree/sub/deeper/c.txt', 'gamma\n'.repeat(10));
  file('tree/sub/deeper/d.log', 'delta\n');
  stampTree(dir);
}

interface ShCase {
  title: string;
  /** `sh -c` script, or argv after `sh` when an array (e.g. a script file). */
  script: string | string[];
  stdin?: string;
  /** Native exit status (default 0). */
  status?: number;
  /** Per-run time limit in ms. */
  timeoutMs?: number;
}

const CASES: ShCase[] = [
  {
    title: 'pipelines',
    script: [
      "printf 'b\\na\\nc\\n' | sort | head -n 2",
      'echo hello world | tr a-z A-Z | sed s/WORLD/THERE/',
      'cat input.txt | grep -v "^$" | wc -l',
      "seq 1 2000 | awk '{ s += $1 } END { print s }'",
    ].join('\n'),
  },
  {
    title: 'pipeline exit statuses, pipefail and !',
    script: [
      'false | true; echo "false|true -> $?"',
      'true | false; echo "true|false -> $?"',
      '! true; echo "! true -> $?"',
      '(exit 3) | (exit 4); echo "3|4 -> $?"',
      'set -o pipefail',
      'false | true; echo "pipefail false|true -> $?"',
      '(exit 3) | (exit 4) | true; echo "pipefail 3|4|true -> $?"',
    ].join('\n'),
  },
  {
    title: 'SIGPIPE in a pipeline',
    script: [
      'yes | head -n 3',
      'echo "status $?"',
      'seq 1 100000 | head -n 1',
      'set -o pipefail',
      'yes | head -n 1; echo "pipefail status $?"',
    ].join('\n'),
  },
  {
    title: 'command substitution',
    script: [
      'x=$(echo foo | tr o 0); echo "[$x]"',
      'echo "$(echo $(echo $(echo deeply nested)))"',
      'y=`expr 2 + 3`; echo "backquotes: $y"',
      'n=$(wc -l < input.txt); echo "lines: $n"',
      'z=$(exit 7); echo "status of assignment: $?"',
      'echo "trailing newlines stripped: [$(printf "a\\n\\n\\n")]"',
    ].join('\n'),
  },
  {
    title: 'subshells and groups',
    script: [
      '(cd tree/sub && pwd | sed "s|.*/tree|tree|")',
      'pwd | sed "s|.*/||" | grep -c ushim-diff',
      '(exit 3); echo "subshell status $?"',
      'a=1; (a=2; echo "inside $a"); echo "outside $a"',
      '{ echo grouped; echo output; } | wc -l',
      '( ( ( echo three levels ) ) )',
      'umask 027; (umask 077; umask); umask',
    ].join('\n'),
  },
  {
    title: 'here-documents',
    script: [
      'v=world',
      'cat <<EOF',
      'hello $v',
      'sum $((40 + 2))',
      '$(echo substituted)',
      'EOF',
      "cat <<'EOF'",
      'literal $v $(no)',
      'EOF',
      'cat <<-EOF',
      '\tleading tabs removed',
      '\tEOF',
      'while read a b; do echo "$b-$a"; done <<EOF',
      'one 1',
      'two 2',
      'EOF',
    ].join('\n'),
  },
  {
    title: 'background jobs and wait',
    script: [
      '(sleep 0.3; echo slow) &',
      '(echo fast) &',
      'wait',
      'echo "all done"',
      '(exit 2) & a=$!',
      '(sleep 0.1; exit 3) & b=$!',
      'wait $a; echo "first $?"',
      'wait $b; echo "second $?"',
      'sleep 5 & s=$!',
      'kill $s; wait $s; echo "killed job: $?"',
      'for i in 1 2 3 4 5; do (exit $i) & done; wait; echo "waited for five"',
    ].join('\n'),
  },
  {
    title: 'traps',
    script: [
      "trap 'echo got USR1' USR1",
      'kill -USR1 $$',
      'echo after USR1',
      "trap 'echo got USR2; n=$((n+1))' USR2",
      'n=0; kill -USR2 $$; kill -USR2 $$; echo "n=$n"',
      "trap - USR1",
      "trap 'echo bye from EXIT' EXIT",
      'echo exiting',
      'exit 3',
    ].join('\n'),
    status: 3,
  },
  {
    title: 'trap while waiting for a foreground command',
    script: [
      "trap 'echo caught TERM; exit 5' TERM",
      '(sleep 0.2; kill -TERM $$) &',
      'while :; do sleep 0.05; done',
    ].join('\n'),
    status: 5,
  },
  {
    title: 'ignored signals are inherited across exec',
    script: [
      "trap '' USR1",
      "busybox sh -c 'kill -USR1 $$; echo child survived USR1'",
      "sh -c 'kill -TERM $$; echo not reached'",
      'echo "sh killed by TERM: $?"',
      "sh -c 'kill -9 $$'",
      'echo "sh killed by KILL: $?"',
    ].join('\n'),
  },
  {
    title: 'xargs',
    script: [
      "printf '1\\n2\\n3\\n' | xargs -n1 expr 10 +",
      'echo a b c d e | xargs -n 2 echo pair:',
      'find tree -name "*.txt" | sort | xargs cat | wc -l',
      'echo x | xargs sh -c "exit 3"; echo "xargs status $?"',
    ].join('\n'),
  },
  {
    title: 'find -exec',
    script: [
      'find tree -type f -name "*.txt" -exec wc -c {} \\; | sort',
      'find tree -type f -exec echo X {} + | tr " " "\\n" | sort',
      'find tree -name "*.log" -exec sh -c \'echo "log: $1"; exit 0\' sh {} \\;',
    ].join('\n'),
  },
  {
    title: 'timeout',
    script: ['timeout 1 sleep 5; echo "timeout status $?"', 'timeout 5 true; echo "fast command $?"', 'timeout 5 sh -c "exit 9"; echo "exit code passed through $?"'].join('\n'),
  },
  {
    title: 'sort | uniq -c',
    script: ['sort words.txt | uniq -c', 'sort words.txt | uniq -c | sort -k1,1nr -k2 | head -n 3', 'cut -d: -f2 data.csv | sort -n | uniq -d'].join('\n'),
  },
  {
    title: 'while read loops',
    script: [
      'while IFS=: read name age city; do echo "$city:$name:$((age * 2))"; done < data.csv',
      'i=0; cat input.txt | while read l; do i=$((i+1)); done; echo "pipe subshell: $i"',
      'i=0; while read l; do i=$((i+1)); done < input.txt; echo "redirect: $i"',
      'while read -r line; do echo "stdin: $line"; done',
    ].join('\n'),
    stdin: 'first line\nsecond \\ line\n',
  },
  {
    title: 'case, functions, arithmetic',
    script: [
      'fib() { if [ $1 -lt 2 ]; then echo $1; else echo $(( $(fib $(($1 - 1))) + $(fib $(($1 - 2))) )); fi; }',
      'echo "fib 12 = $(fib 12)"',
      'for w in apple Banana 42 x.txt ""; do',
      '  case "$w" in',
      '    [A-Z]*) echo "$w: capital";;',
      '    *[0-9]) echo "$w: number";;',
      '    *.txt|*.log) echo "$w: file";;',
      '    "") echo "empty";;',
      '    *) echo "$w: other";;',
      '  esac',
      'done',
      'echo $(( (7 + 3) * 4 / 3 % 5 )) $(( 1 << 10 )) $(( 0x1f )) $(( -7 / 2 )) $(( 5 > 3 && 2 > 1 ))',
      'x=5; x=$((x * x)); : $((x += 1)); echo "x=$x"',
      'set -- a "b c" d; echo "$# [$2]"; shift; echo "$# $*"',
      's=hello.tar.gz; echo "${s%%.*} ${s#*.} ${#s} ${s:-unset} ${u:-default}"',
    ].join('\n'),
  },
  {
    title: 'many execs: 200 x /bin/busybox true',
    script: [
      'i=0',
      'while [ $i -lt 200 ]; do /bin/busybox true || echo fail; i=$((i+1)); done',
      'echo "iterations $i"',
      'j=0',
      'while [ $j -lt 50 ]; do busybox false && echo wrong; j=$((j+1)); done',
      'echo "busybox false x$j"',
    ].join('\n'),
    timeoutMs: 240_000,
  },
  {
    title: 'set -e',
    script: ['set -e', 'true', 'if false; then echo no; fi', 'false || echo "|| is exempt"', 'echo before', 'false', 'echo not reached'].join('\n'),
    status: 1,
  },
  {
    title: 'redirections and fds',
    script: [
      'echo out > f1; echo more >> f1; cat f1',
      'echo to-stderr 1>&2',
      'ls missing-file 2>&1 | sed "s/^/err: /"',
      'exec 3> f3; echo via fd 3 >&3; exec 3>&-; cat f3',
      'cat < f1 > f2; wc -c f2',
      '{ echo a; echo b >&2; } > both 2>&1; sort both',
      'echo "[$(cat /dev/null)]"',
    ].join('\n'),
  },
  {
    title: 'exec replaces the shell',
    script: ['echo before exec', 'exec busybox sh -c "echo in the new shell; exit 4"', 'echo not reached'].join('\n'),
    status: 4,
  },
  { title: 'script file with arguments', script: ['prog.sh', 'one', 'two words', 'three'], status: 6 },
  {
    // Each open of a FIFO waits for the other end: a waiting task must not stall the others.
    // Two writes go through one open: with two opens, a reader that saw the first writer's
    // EOF and exited left the second open waiting forever (the native run hung in CI).
    title: 'FIFOs: reader first, writer first, both in the background',
    script: [
      'mkfifo f; cat f & echo hi > f; wait',
      '(sleep 0.2; cat f) & echo writer first > f; wait',
      'cat f > got & { echo one; echo two; } > f; wait; cat got',
      'seq 1 20000 > f & wc -l < f; wait',
      'rm f',
    ].join('\n'),
  },
  {
    title: 'nested shells',
    script: [
      "sh -c 'sh -c \"sh -c \\\"echo depth 3; exit 7\\\"\"; echo \"inner status $?\"'",
      'busybox sh -c \'echo "$0 $1"\' zero one',
    ].join('\n'),
  },
];

describe('differential: busybox sh (native vs ushim)', function () {
  this.timeout(300_000);

  before(function () {
    requireHost(this, fs.existsSync(BUSYBOX) && isStaticElf(BUSYBOX), `a static ${BUSYBOX} (apt-get install busybox-static)`);
  });

  for (const c of CASES) {
    it(c.title, function () {
      const args = typeof c.script === 'string' ? ['sh', '-c', c.script] : ['sh', ...c.script];
      const steps: Step[] = [{ cmd: BUSYBOX, args, argv0: 'busybox', expectStatus: c.status ?? 0 }];
      compareSteps(steps, { tmpdir: 'cwd', setup, stdin: c.stdin, env: { TZ: 'UTC' }, timeoutMs: c.timeoutMs });
    });
  }
});
