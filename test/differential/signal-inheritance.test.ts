// Ignored signal dispositions pass from ushim's starter to the guest as execve passes them
// (issue 12): nohup's SIGHUP, a shell's SIGINT and SIGQUIT for background jobs, SIGPIPE.
// Node resets every disposition at start-up, so this works when bin/ushim is run directly
// (its first line reads them as a shell script); the test runs it that way, natively the
// fixture itself, each under the same starter.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { FIXTURES_BUILD, USHIM_BIN, runNative } from './harness.js';

const FIXTURE = path.join(FIXTURES_BUILD, 'glibc', 'sig_inherit');

const STARTERS: { title: string; command: string[] }[] = [
  { title: 'nothing ignored (the fixture dies of SIGPIPE)', command: [] },
  { title: 'nohup', command: ['nohup'] },
  { title: "a shell's trap '' HUP INT QUIT PIPE", command: ['/bin/sh', '-c', `trap '' HUP INT QUIT PIPE; exec "$@"`, 'sh'] },
  { title: "a background job's SIGINT and SIGQUIT", command: ['/bin/sh', '-c', `"$@" & wait $!`, 'sh'] },
];

describe('ignored signals are inherited from ushim\'s starter', function () {
  this.timeout(60_000);

  for (const s of STARTERS) {
    it(s.title, function () {
      if (!fs.existsSync(FIXTURE)) this.skip();
      const [cmd, ...args] = [...s.command, FIXTURE];
      const native = runNative(cmd, args, { env: { NOHUP_OUTPUT: undefined } });
      const [ucmd, ...uargs] = [...s.command, USHIM_BIN, '--crash-report=off', FIXTURE];
      const ushim = runNative(ucmd, uargs, { env: { NOHUP_OUTPUT: undefined } });
      assert.equal(ushim.stdout, native.stdout);
      assert.equal(ushim.stderr, native.stderr);
      assert.equal(ushim.signal, native.signal);
      assert.equal(ushim.status, native.status);
    });
  }
});
