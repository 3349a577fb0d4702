// AF_UNIX sockets used by a real program: Debian's python3 (dynamic) serving and connecting
// over a socket file in its working directory, and connecting to a server that a host
// process runs, natively and under ushim, compared. The C fixtures (fixtures/src/unix_*.c)
// cover the calls one by one.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compareSteps } from './harness.js';

/** A forked client connects by path, sends bytes and a pipe's read end (SCM_RIGHTS); a seqpacket pair keeps its boundaries. */
const FORK_SCRIPT = `
import os, socket
srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
srv.bind('py.sock')
srv.listen(1)
pid = os.fork()
if pid == 0:
    c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    c.connect('py.sock')
    c.sendall(b'hello from child')
    r, w = os.pipe()
    os.write(w, b'pipe data')
    socket.send_fds(c, [b'fd'], [r])
    c.close()
    os._exit(0)
conn, addr = srv.accept()
print('accepted from', repr(addr), 'name', conn.getsockname())
data = b''
while len(data) < 16:
    data += conn.recv(16 - len(data))
print(data.decode())
msg, fds, flags, addr = socket.recv_fds(conn, 10, 4)
print(msg, len(fds), os.read(fds[0], 100))
os.waitpid(pid, 0)
a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
a.send(b'one')
a.send(b'two')
print(b.recv(10), b.recv(10))
`;

/** socketserver's threaded unix server with a client in the main thread; selectors on a dgram pair. */
const THREAD_SCRIPT = `
import socket, socketserver, threading, selectors
class Echo(socketserver.StreamRequestHandler):
    def handle(self):
        for line in self.rfile:
            self.wfile.write(line.upper())
srv = socketserver.ThreadingUnixStreamServer('echo.sock', Echo)
threading.Thread(target=srv.serve_forever, daemon=True).start()
with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as c:
    c.connect('echo.sock')
    with c.makefile('rwb') as f:
        for w in [b'alpha\\n', b'beta gamma\\n']:
            f.write(w)
            f.flush()
            print(f.readline())
srv.shutdown()
srv.server_close()
sel = selectors.DefaultSelector()
a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
b.setblocking(False)
sel.register(b, selectors.EVENT_READ)
print(sel.select(0))
a.send(b'x' * 10)
print([(k.fd == b.fileno(), ev) for k, ev in sel.select(1)])
print(b.recv(4))
try:
    b.recv(4)
except BlockingIOError as e:
    print('EAGAIN', e.errno)
`;

/** The host's server: one connection, each line sent back in capitals, until end of file. */
const HOST_SERVER = `
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(sys.argv[1].replace('@', '\\0', 1))
s.listen(4)
open(sys.argv[2], 'w').close()
c, _ = s.accept()
data = b''
while True:
    d = c.recv(4096)
    if not d:
        break
    data += d
    if data.endswith(b'\\n'):
        c.sendall(data.upper())
        data = b''
c.close()
`;

/** The guest's client of HOST_SERVER at USHIM_HOST_ADDR: a short line, a long one, then its end of file. */
const HOST_CLIENT = `
import os, socket, select
c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
c.connect(os.environ['USHIM_HOST_ADDR'].replace('@', '\\0', 1))
print('peer', c.getpeername())
for w in [b'hello host\\n', b'x' * 100000 + b'\\n']:
    c.sendall(w)
    got = b''
    while not got.endswith(b'\\n'):
        select.select([c], [], [], 5)
        got += c.recv(65536)
    print(len(got), got[:10])
c.shutdown(socket.SHUT_WR)
print('end of file', c.recv(10))
`;

/** The guest's client of HOST_SERVER watching its socket edge-triggered: each arrival is reported once. */
const HOST_CLIENT_EDGES = `
import os, select, socket
c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
c.connect(os.environ['USHIM_HOST_ADDR'].replace('@', '\\0', 1))
c.setblocking(False)
ep = select.epoll()
ep.register(c.fileno(), select.EPOLLIN | select.EPOLLET)
print('nothing yet', ep.poll(0.05))
c.sendall(b'hello host\\n')
print('the answer arrives', [ev for _, ev in ep.poll(5)])
print('read 3', c.recv(3))
print('8 bytes unread, nothing new', ep.poll(0.05))
c.sendall(b'again\\n')
print('another answer', [ev for _, ev in ep.poll(5)])
print('read the rest', c.recv(100))
print('drained', ep.poll(0.05))
`;

/** Starts HOST_SERVER at `address` (a path, or @name for an abstract name) as a host process; waits until it listens. */
function startHostServer(dir: string, address: string): void {
  const ready = path.join(dir, 'server.ready');
  spawn('/usr/bin/python3', ['-c', HOST_SERVER, address, ready], { stdio: 'ignore', detached: true }).unref();
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (let i = 0; i < 500 && !fs.existsSync(ready); i++) Atomics.wait(pause, 0, 0, 10);
}

describe('AF_UNIX sockets in real programs', function () {
  it('python3: fork, a path name, SCM_RIGHTS, seqpacket', function () {
    compareSteps([{ cmd: '/usr/bin/python3', args: ['-c', FORK_SCRIPT] }], { tmpdir: 'cwd' });
  });

  it('python3: socketserver threads, selectors, non-blocking dgram', function () {
    compareSteps([{ cmd: '/usr/bin/python3', args: ['-c', THREAD_SCRIPT] }], { tmpdir: 'cwd' });
  });

  it('python3: a guest client of a server a host process runs, by a socket file', function () {
    const env = { USHIM_HOST_ADDR: 'host.sock' };
    compareSteps([{ cmd: '/usr/bin/python3', args: ['-c', HOST_CLIENT], env }], { tmpdir: 'cwd', setup: (dir) => startHostServer(dir, path.join(dir, 'host.sock')) });
  });

  it('python3: edge-triggered epoll of a connection to a host process\'s server', function () {
    const env = { USHIM_HOST_ADDR: 'host.sock' };
    compareSteps([{ cmd: '/usr/bin/python3', args: ['-c', HOST_CLIENT_EDGES], env }], { tmpdir: 'cwd', setup: (dir) => startHostServer(dir, path.join(dir, 'host.sock')) });
  });

  it('python3: a guest client of a server a host process runs, by an abstract name (--net=host)', function () {
    const env = { USHIM_HOST_ADDR: `@ushim-test-host-${process.pid}` };
    compareSteps([{ cmd: '/usr/bin/python3', args: ['-c', HOST_CLIENT], env }], { tmpdir: 'cwd', setup: (dir) => startHostServer(dir, env.USHIM_HOST_ADDR) });
  });
});
