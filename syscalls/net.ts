// Sockets: the calls of net/socket.c. The semantics are kernel-shim/net/'s: the generic
// calls (socket-calls.ts, msg-calls.ts, mmsg-calls.ts) around each family's operations.
import { recvfromCall, recvmsgCall, sendmsgCall, sendtoCall } from '../kernel-shim/net/msg-calls.js';
import { mmsgNote, recvmmsgCall, sendmmsgCall } from '../kernel-shim/net/mmsg-calls.js';
import {
  acceptCall, bindCall, connectCall, getsockoptCall, listenCall, setsockoptCall, shutdownCall, socketCall, socketNameCall,
  socketpairCall,
} from '../kernel-shim/net/socket-calls.js';
import type { SyscallDef } from './types.js';

export const netSyscalls: SyscallDef[] = [
  { name: 'socket', args: ['address_family', 'socket_type', 'socket_protocol'], result: 'dec', support: 'full', handler: (_k, t, a) => socketCall(t, a.int(0), a.int(1), a.int(2)) },
  { name: 'socketpair', args: ['address_family', 'socket_type', 'socket_protocol', 'fd_pair_out'], result: 'dec', support: 'full', handler: (_k, t, a) => socketpairCall(t, a.int(0), a.int(1), a.int(2), a.arg(3)) },
  { name: 'bind', args: ['fd', 'sockaddr', 'int'], result: 'dec', support: 'full', handler: (_k, t, a) => bindCall(t, a.int(0), a.arg(1), a.int(2)) },
  { name: 'connect', args: ['fd', 'sockaddr', 'int'], result: 'dec', support: 'full', handler: (_k, t, a) => connectCall(t, a.int(0), a.arg(1), a.int(2)) },
  { name: 'listen', args: ['fd', 'int'], result: 'dec', support: 'full', handler: (_k, t, a) => listenCall(t, a.int(0), a.int(1)) },
  { name: 'accept', args: ['fd', 'sockaddr_out', 'socklen_inout'], result: 'dec', support: 'full', handler: (_k, t, a) => acceptCall(t, a.int(0), a.arg(1), a.arg(2), 0) },
  { name: 'accept4', args: ['fd', 'sockaddr_out', 'socklen_inout', 'socket_flags'], result: 'dec', support: 'full', handler: (_k, t, a) => acceptCall(t, a.int(0), a.arg(1), a.arg(2), a.int(3)) },
  { name: 'shutdown', args: ['fd', 'shutdown_how'], result: 'dec', support: 'full', handler: (_k, t, a) => shutdownCall(t, a.int(0), a.int(1)) },
  { name: 'getsockname', args: ['fd', 'sockaddr_out', 'socklen_inout'], result: 'dec', support: 'full', handler: (_k, t, a) => socketNameCall(t, a.int(0), a.arg(1), a.arg(2), false) },
  { name: 'getpeername', args: ['fd', 'sockaddr_out', 'socklen_inout'], result: 'dec', support: 'full', handler: (_k, t, a) => socketNameCall(t, a.int(0), a.arg(1), a.arg(2), true) },
  {
    name: 'getsockopt', args: ['fd', 'sockopt_level', 'sockopt_name', 'sockopt_value_out', 'socklen_inout'], result: 'dec', support: 'full',
    handler: (_k, t, a) => getsockoptCall(t, a.int(0), a.int(1), a.int(2), a.arg(3), a.arg(4)),
  },
  {
    name: 'setsockopt', args: ['fd', 'sockopt_level', 'sockopt_name', 'sockopt_value', 'int'], result: 'dec', support: 'full',
    handler: (_k, t, a) => setsockoptCall(t, a.int(0), a.int(1), a.int(2), a.arg(3), a.int(4)),
  },
  {
    name: 'sendto', args: ['fd', 'buf_in', 'uint', 'msg_flags', { kind: 'sockaddr', len: 5 }, 'int'], result: 'dec', support: 'full',
    handler: (_k, t, a) => sendtoCall(t, a.int(0), a.arg(1), a.arg(2), a.int(3), a.arg(4), a.int(5)),
  },
  {
    name: 'recvfrom', args: ['fd', 'buf_out', 'uint', 'msg_flags', { kind: 'sockaddr_out', len: 5 }, 'socklen_inout'], result: 'dec', support: 'full',
    handler: (_k, t, a) => recvfromCall(t, a.int(0), a.arg(1), a.arg(2), a.int(3), a.arg(4), a.arg(5)),
  },
  { name: 'sendmsg', args: ['fd', 'msghdr', 'msg_flags'], result: 'dec', support: 'full', handler: (_k, t, a) => sendmsgCall(t, a.int(0), a.arg(1), a.int(2)) },
  { name: 'recvmsg', args: ['fd', 'msghdr_out', 'msg_flags'], result: 'dec', support: 'full', handler: (_k, t, a) => recvmsgCall(t, a.int(0), a.arg(1), a.int(2)) },
  {
    name: 'sendmmsg', args: ['fd', 'mmsghdrs_out', 'uint', 'msg_flags'], result: 'dec', support: 'partial', note: mmsgNote,
    handler: (_k, t, a) => sendmmsgCall(t, a.int(0), a.arg(1), a.arg(2), a.int(3)),
  },
  {
    name: 'recvmmsg', args: ['fd', 'mmsghdrs_out', 'uint', 'msg_flags', 'timespec'], result: 'dec', support: 'partial', note: mmsgNote,
    handler: (_k, t, a) => recvmmsgCall(t, a.int(0), a.arg(1), a.arg(2), a.int(3), a.arg(4)),
  },
];
