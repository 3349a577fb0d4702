// execve's limits as Linux has them: #! scripts nest up to 5 deep (exec_binprm runs at most 6
// binary handlers), a sixth is ELOOP; an interpreter that is a directory is EACCES.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compare } from './harness.js';

function scriptChain(dir: string): void {
  fs.writeFileSync(path.join(dir, 's0'), '#!/bin/busybox sh\necho "level 0 of $#:" "$@"\n', { mode: 0o755 });
  for (let i = 1; i <= 6; i++) fs.writeFileSync(path.join(dir, `s${i}`), `#!${path.join(dir, `s${i - 1}`)}\n`, { mode: 0o755 });
  fs.writeFileSync(path.join(dir, 'dirinterp'), '#!/tmp\necho never\n', { mode: 0o755 });
}

describe('execve limits', function () {
  it('#! scripts nest 5 deep, not 6; a directory as interpreter is EACCES', function () {
    const run = 'for s in s4 s5 s6 dirinterp; do ./$s arg > out 2>/dev/null; st=$?; sed "s|$PWD|DIR|g" out; echo "$s: $st"; done';
    compare('/bin/busybox', ['sh', '-c', run], { tmpdir: 'cwd', setup: scriptChain, compareTree: false });
  });
});
