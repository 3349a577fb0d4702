// The ushim command: a run of one program (emu/cli-run.ts) for the process that started
// ushim, or the warm path: `ushim --serve SOCKET` (emu/serve.ts) and its workers.
import { runCli } from './cli-run.js';
import { processHost } from './host-context.js';
import { SERVE_OPTION, WORKER_OPTION, serve } from './serve.js';
import { serveClients } from './serve-worker.js';

export async function main(decodedArgv: string[]): Promise<void> {
  if (decodedArgv[0] === SERVE_OPTION) return serve(decodedArgv.slice(1));
  if (decodedArgv[0] === WORKER_OPTION) return serveClients(Number(decodedArgv[1]) || 1);
  await runCli(processHost(decodedArgv));
}
