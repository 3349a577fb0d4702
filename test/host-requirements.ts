// What a test needs from the host: a tool, a system file, a built fixture. On a developer's
// machine that lacks it the test is skipped, saying why; in CI (CI set, as .ci/run sets it)
// it fails instead, because scripts/setup.sh installs everything the suite needs.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** Skips the running test or hook (fails it in CI) unless `available`; `what` says what is missing and how to get it. */
export function requireHost(ctx: Mocha.Context, available: boolean, what: string): void {
  if (available) return;
  if (process.env.CI) throw new Error(`missing ${what}; in CI every host requirement must be present (scripts/setup.sh)`);
  console.warn(`  (skipping: missing ${what})`);
  ctx.skip();
}

/** Whether `command --version` runs and succeeds. */
export function hasTool(command: string): boolean {
  return spawnSync(command, ['--version'], { stdio: 'ignore' }).status === 0;
}

/** requireHost for a file (a system library, a fixture binary). */
export function requireFile(ctx: Mocha.Context, file: string, from: string): void {
  requireHost(ctx, existsSync(file), `${file} (${from})`);
}
