// qSupported: what gdb offers, what the stub answers, and the extensions both then use.
import { hex } from './packet-args.js';

/** What this stub may offer (StubOptions, and whether the target has siginfo). */
export interface StubOffer {
  packetSize: number;
  multiprocess: boolean;
  execEvents: boolean;
  siginfo: boolean;
}

export interface Negotiated {
  /** gdb's features that it marked supported ('+'), without the '+'. */
  gdbFeatures: Set<string>;
  multiprocess: boolean;
  execEvents: boolean;
  reply: string;
}

export function negotiateFeatures(p: string, offer: StubOffer): Negotiated {
  const colon = p.indexOf(':');
  const gdbFeatures = new Set(
    colon < 0
      ? []
      : p
          .slice(colon + 1)
          .split(';')
          .filter((f) => f.endsWith('+'))
          .map((f) => f.slice(0, -1)),
  );
  const multiprocess = offer.multiprocess && gdbFeatures.has('multiprocess');
  const execEvents = offer.execEvents && gdbFeatures.has('exec-events');
  const features = [
    `PacketSize=${hex(offer.packetSize)}`,
    'QStartNoAckMode+',
    'qXfer:features:read+',
    'qXfer:auxv:read+',
    'qXfer:exec-file:read+',
    'qXfer:threads:read+',
    ...(offer.siginfo ? ['qXfer:siginfo:read+'] : []),
    'vContSupported+',
    multiprocess ? 'multiprocess+' : 'multiprocess-',
  ];
  if (gdbFeatures.has('swbreak')) features.push('swbreak+');
  if (gdbFeatures.has('hwbreak')) features.push('hwbreak+');
  if (execEvents) features.push('exec-events+');
  return { gdbFeatures, multiprocess, execEvents, reply: features.join(';') };
}
