// AF_UNIX sockets used by a real program: Debian's python3 (dynamic) serving and connecting
// over a socket file in its working directory, natively and under ushim, compared. The C
// fixtures (fixtures/src/unix_*.c) cover the calls one by one.
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

describe('AF_UNIX sockets in real programs', function () {
  it('python3: fork, a path name, SCM_RIGHTS, seqpacket', function () {
    compareSteps([{ cmd: '/usr/bin/python3', args: ['-c', FORK_SCRIPT] }], { tmpdir: 'cwd' });
  });

  it('python3: socketserver threads, selectors, non-blocking dgram', function () {
    compareSteps([{ cmd: '/usr/bin/python3', args: ['-c', THREAD_SCRIPT] }], { tmpdir: 'cwd' });
  });
});
