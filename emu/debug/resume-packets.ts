// The resume packets parsed: vCont;action[:thread-id]... and the legacy c, s, C, S. Signals
// arrive as gdb's numbers and leave as Linux's.
import { parseHexAddress, parseHexNumber } from './packet-args.js';
import { linuxSignalFromGdb } from './signals.js';
import type { ResumeAction } from './target.js';
import { matchesProcess, parseThreadId, type ThreadId } from './thread-ids.js';

/** One vCont action and the threads it is for (null: every thread). */
interface VContAction {
  step: boolean;
  signal: number;
  id: ThreadId | null;
}

/** vCont's actions, or null for a malformed or unsupported one (t, r). */
export function parseVCont(s: string): VContAction[] | null {
  const parsed: VContAction[] = [];
  for (const part of s.split(';')) {
    const colon = part.indexOf(':');
    const action = colon < 0 ? part : part.slice(0, colon);
    const id = colon < 0 ? null : parseThreadId(part.slice(colon + 1));
    if (colon >= 0 && id === null) return null;
    let step: boolean;
    let signal = 0;
    if (action === 'c' || action === 's') {
      step = action === 's';
    } else if ((action[0] === 'C' || action[0] === 'S') && action.length > 1) {
      const sig = parseHexNumber(action.slice(1));
      if (sig === null) return null;
      step = action[0] === 'S';
      signal = linuxSignalFromGdb(sig);
    } else {
      return null; // t, r and anything else are not supported (not in vCont?)
    }
    parsed.push({ step, signal, id });
  }
  return parsed;
}

/** For each thread the leftmost matching action applies; threads without one stay stopped. */
export function vContActions(parsed: readonly VContAction[], threads: readonly number[], pid: number): ResumeAction[] {
  const actions: ResumeAction[] = [];
  for (const tid of threads) {
    const a = parsed.find((x) => x.id === null || (matchesProcess(x.id, pid) && (typeof x.id.tid !== 'number' || x.id.tid === tid)));
    if (a) actions.push({ tid, step: a.step, signal: a.signal });
  }
  return actions;
}

/** c [addr], s [addr], C sig[;addr], S sig[;addr]; null when malformed. */
export function parseLegacyResume(p: string): { step: boolean; signal: number; addr: bigint | null } | null {
  const step = p[0] === 's' || p[0] === 'S';
  let rest = p.slice(1);
  let signal = 0;
  if (p[0] === 'C' || p[0] === 'S') {
    const semi = rest.indexOf(';');
    const sig = parseHexNumber(semi < 0 ? rest : rest.slice(0, semi));
    if (sig === null) return null;
    signal = linuxSignalFromGdb(sig);
    rest = semi < 0 ? '' : rest.slice(semi + 1);
  }
  if (rest === '') return { step, signal, addr: null };
  const addr = parseHexAddress(rest);
  return addr === null ? null : { step, signal, addr };
}
