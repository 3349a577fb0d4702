/*
 * ushimc: runs a program under a warm ushim (`ushim --serve SOCKET`, emu/serve.ts) as
 * `ushim [options] PROGRAM [ARGS...]` would run it, without starting Node: the server's
 * worker takes this process's stdin, stdout, stderr and working directory (passed as fds),
 * its umask, resource limits, ignored signals, process group, session, parent, arguments
 * and environment. Signals sent to this
 * process are passed on to the guest; it exits with the guest's exit status, or dies of
 * the signal that killed the guest. The protocol is described in emu/serve-protocol.ts.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#define MAGIC 0x4d485355u /* "USHM" */
#define VERSION "ushim-serve 1"
#define RECORD_EXIT 0
#define RECORD_SIGNAL 1
#define RECORD_STOP 2
#define SOCKET_VARIABLE "USHIM_SOCKET"

extern char **environ;

/* The signals ushim's CLI forwards to its guest (emu/host-context.ts). */
static const int forwarded[] = { SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM, SIGTERM, SIGWINCH };
static int server = -1;

static void die(const char *what)
{
    fprintf(stderr, "ushimc: %s: %s\n", what, strerror(errno));
    exit(1);
}

/* A growing buffer of NUL-terminated strings: the request's payload. */
struct payload {
    char *bytes;
    size_t length, room;
};

static void add(struct payload *p, const char *s)
{
    size_t n = strlen(s);
    if (p->length + n + 1 > p->room) {
        p->room = (p->length + n + 1) * 2;
        p->bytes = realloc(p->bytes, p->room);
        if (p->bytes == NULL) die("realloc");
    }
    memcpy(p->bytes + p->length, s, n);
    p->bytes[p->length + n] = '\0';
    p->length += n + 1;
}

static void addf(struct payload *p, const char *format, unsigned long long value)
{
    char text[32];
    snprintf(text, sizeof text, format, value);
    add(p, text);
}

static void write_all(int fd, const char *bytes, size_t length)
{
    while (length > 0) {
        ssize_t n = write(fd, bytes, length);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) die("sending the request");
        bytes += n;
        length -= (size_t)n;
    }
}

static void forward(int signo)
{
    uint32_t value = (uint32_t)signo;
    int saved = errno;
    (void)send(server, &value, sizeof value, MSG_NOSIGNAL | MSG_DONTWAIT);
    errno = saved;
}

/* Dies of signo as the guest did (the status a parent sees: WIFSIGNALED, WTERMSIG). */
static void die_of(int signo)
{
    sigset_t set;
    signal(signo, SIG_DFL);
    sigemptyset(&set);
    sigaddset(&set, signo);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    raise(signo);
    _exit(128 + signo);
}

int main(int argc, char **argv)
{
    const char *path = getenv(SOCKET_VARIABLE);
    int first = 1;
    if (argc > 2 && strcmp(argv[1], "--socket") == 0) {
        path = argv[2];
        first = 3;
    }
    if (path == NULL || argc <= first) {
        fprintf(stderr, "usage: ushimc [--socket SOCKET] [ushim options] PROGRAM [ARGS...]\n"
                        "runs PROGRAM under the warm ushim listening on SOCKET (ushim --serve SOCKET;\n"
                        "default: $" SOCKET_VARIABLE ")\n");
        return 2;
    }
    struct sockaddr_un addr = { .sun_family = AF_UNIX };
    if (strlen(path) >= sizeof addr.sun_path) {
        fprintf(stderr, "ushimc: %s: name too long for a socket\n", path);
        return 2;
    }
    strcpy(addr.sun_path, path);
    server = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (server < 0) die("socket");
    if (connect(server, (struct sockaddr *)&addr, sizeof addr) != 0) die(path);

    /* What a ushim started here would inherit, read before this process changes anything. */
    struct payload p = { 0 };
    add(&p, VERSION);
    int fds[4], nfds = 0, mask = 0;
    fds[nfds++] = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (fds[0] < 0) die("opening the working directory");
    for (int fd = 0; fd <= 2; fd++) {
        if (fcntl(fd, F_GETFD) >= 0) {
            fds[nfds++] = fd;
            mask |= 1 << fd;
        }
    }
    addf(&p, "%llu", (unsigned long long)mask);
    addf(&p, "%llu", (unsigned long long)getppid());
    addf(&p, "%llu", (unsigned long long)getpgrp());
    addf(&p, "%llu", (unsigned long long)getsid(0));
    mode_t mask_now = umask(0);
    umask(mask_now);
    addf(&p, "%llo", (unsigned long long)mask_now);
    unsigned long long ignored = 0;
    for (int signo = 1; signo <= 64; signo++) {
        struct sigaction old;
        if (sigaction(signo, NULL, &old) == 0 && old.sa_handler == SIG_IGN) ignored |= 1ull << (signo - 1);
    }
    addf(&p, "%llx", ignored);
    addf(&p, "%llu", RLIM_NLIMITS);
    for (int resource = 0; resource < RLIM_NLIMITS; resource++) {
        struct rlimit limit;
        if (getrlimit(resource, &limit) != 0) die("getrlimit");
        addf(&p, "%llu", (unsigned long long)limit.rlim_cur);
        addf(&p, "%llu", (unsigned long long)limit.rlim_max);
    }
    addf(&p, "%llu", (unsigned long long)(argc - first));
    for (int i = first; i < argc; i++) add(&p, argv[i]);
    size_t envc = 0;
    while (environ[envc] != NULL) envc++;
    addf(&p, "%llu", (unsigned long long)envc);
    for (size_t i = 0; i < envc; i++) add(&p, environ[i]);

    /* The header carries the fds; the payload follows as plain bytes. */
    uint32_t header[2] = { MAGIC, (uint32_t)p.length };
    struct iovec iov = { .iov_base = header, .iov_len = sizeof header };
    union {
        struct cmsghdr align;
        char bytes[CMSG_SPACE(sizeof fds)];
    } control;
    memset(&control, 0, sizeof control);
    struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.bytes,
                          .msg_controllen = CMSG_SPACE(nfds * sizeof(int)) };
    struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);
    cmsg->cmsg_level = SOL_SOCKET;
    cmsg->cmsg_type = SCM_RIGHTS;
    cmsg->cmsg_len = CMSG_LEN(nfds * sizeof(int));
    memcpy(CMSG_DATA(cmsg), fds, nfds * sizeof(int));
    if (sendmsg(server, &msg, MSG_NOSIGNAL) != (ssize_t)sizeof header) die("sending the request");
    close(fds[0]);
    write_all(server, p.bytes, p.length);
    free(p.bytes);

    struct sigaction sa = { .sa_handler = forward, .sa_flags = SA_RESTART };
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof forwarded / sizeof forwarded[0]; i++) sigaction(forwarded[i], &sa, NULL);

    for (;;) {
        uint32_t record[2];
        size_t got = 0;
        while (got < sizeof record) {
            ssize_t n = read(server, (char *)record + got, sizeof record - got);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) {
                fprintf(stderr, "ushimc: the ushim server ended the run without an exit status\n");
                return 1;
            }
            got += (size_t)n;
        }
        if (record[0] == RECORD_EXIT) return (int)(record[1] & 0xff);
        if (record[0] == RECORD_SIGNAL) die_of((int)record[1]);
        if (record[0] == RECORD_STOP) raise(SIGSTOP);
    }
}
