/*
 * notify.c — the supervisor's side of seccomp user notification.
 *
 * A notified syscall is stopped in the kernel until we answer. We decode it
 * (reading pointer arguments with process_vm_readv), re-check that it is
 * still pending (SECCOMP_IOCTL_NOTIF_ID_VALID: the pid was not recycled, so
 * what we read belonged to it), then answer with an errno or CONTINUE.
 *
 * TOCTOU rule: memory read here can be changed by another thread of the
 * target right after we read it, so it is only *recorded*, never used to
 * allow. CONTINUE is answered only from integer arguments (the policy's
 * notify:continue rules) or from the socket's own domain, which is a
 * property of the kernel object behind the fd (SO_DOMAIN on a pidfd_getfd
 * copy), not of the caller's memory. (A "fake success" for UDP connects
 * runs nothing, so it allows nothing.) Even if the fd number is re-pointed at
 * an inet socket in between, that socket lives in an empty network
 * namespace and Landlock denies its TCP connect/bind.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/seccomp.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>
#include "internal.h"

/* Copy len bytes at addr of pid into buf. Returns bytes read (0 on failure). */
static size_t read_mem(pid_t pid, uint64_t addr, void *buf, size_t len)
{
    if (!addr || !len) return 0;
    struct iovec local = { buf, len }, remote = { (void *)(uintptr_t)addr, len };
    ssize_t n = process_vm_readv(pid, &local, 1, &remote, 1, 0);
    return n > 0 ? (size_t)n : 0;
}

/* Domain and type of the socket behind the target's fd, asked of the kernel
 * on our own pidfd_getfd copy (the fd's object, not the caller's memory). */
static void sock_info(struct cs_event *ev, uint64_t fd)
{
    int pidfd = (int)syscall(SYS_pidfd_open, ev->pid, 0);
    if (pidfd < 0) pidfd = (int)syscall(SYS_pidfd_open, ev->pid, PIDFD_THREAD);  /* tid of a non-leader thread */
    if (pidfd < 0) return;
    int mine = (int)syscall(SYS_pidfd_getfd, pidfd, (int)fd, 0);
    close(pidfd);
    if (mine < 0) return;
    int v;
    socklen_t l = sizeof v;
    if (getsockopt(mine, SOL_SOCKET, SO_DOMAIN, &v, &l) == 0) ev->sock_domain = v;
    l = sizeof v;
    if (getsockopt(mine, SOL_SOCKET, SO_TYPE, &v, &l) == 0) ev->sock_type = v;
    close(mine);  /* our copy only; the target's socket is untouched */
}

static int inet_dgram(const struct cs_event *ev)
{
    return (ev->sock_domain == AF_INET || ev->sock_domain == AF_INET6) && ev->sock_type == SOCK_DGRAM;
}

static void decode_sockaddr(struct cs_event *ev, const unsigned char *sa, size_t len)
{
    if (len < sizeof(sa_family_t)) return;
    sa_family_t fam;
    memcpy(&fam, sa, sizeof fam);
    ev->family = fam;
    if (fam == AF_INET && len >= sizeof(struct sockaddr_in)) {
        struct sockaddr_in in;
        memcpy(&in, sa, sizeof in);
        inet_ntop(AF_INET, &in.sin_addr, ev->addr, sizeof ev->addr);
        ev->port = ntohs(in.sin_port);
    } else if (fam == AF_INET6 && len >= sizeof(struct sockaddr_in6)) {
        struct sockaddr_in6 in6;
        memcpy(&in6, sa, sizeof in6);
        inet_ntop(AF_INET6, &in6.sin6_addr, ev->addr, sizeof ev->addr);
        ev->port = ntohs(in6.sin6_port);
    } else if (fam == AF_UNIX && len > sizeof(sa_family_t)) {
        const char *path = (const char *)sa + sizeof(sa_family_t);
        size_t n = len - sizeof(sa_family_t);
        if (path[0] == '\0') { ev->addr[0] = '@'; path++; n--; }   /* abstract name */
        size_t at = strlen(ev->addr);
        for (size_t i = 0; i < n && path[i] && at + 1 < sizeof ev->addr; i++) ev->addr[at++] = path[i];
        ev->addr[at] = '\0';
    }
}

/* Best effort: the first question name of a DNS query (exfiltration
 * evidence). Only a standard query with one question is decoded. */
static void decode_dns(struct cs_event *ev, pid_t pid, uint64_t buf, uint64_t len)
{
    unsigned char q[512];
    size_t n = read_mem(pid, buf, q, len < sizeof q ? len : sizeof q);
    if (n < 13 || (q[2] & 0xf8) != 0 || q[4] != 0 || q[5] != 1) return;  /* QR=0, opcode 0, QDCOUNT=1 */
    char name[80] = "";
    size_t at = 0, i = 12;
    while (i < n && q[i] && at + 2 < sizeof name) {
        size_t l = q[i++];
        if (l > 63 || i + l > n) return;
        if (at) name[at++] = '.';
        for (size_t k = 0; k < l && at + 1 < sizeof name; k++) {
            unsigned char c = q[i + k];
            name[at++] = (c > 32 && c < 127 && c != '"' && c != '\\') ? (char)c : '?';
        }
        i += l;
    }
    name[at] = '\0';
    if (at) snprintf(ev->detail, sizeof ev->detail, "dns_query=%s", name);
}

static void flag_names(char *out, size_t len, const char *prefix, uint64_t flags)
{
    static const struct { uint64_t bit; const char *name; } ns[] = {
        { 0x20000, "CLONE_NEWNS" }, { 0x02000000, "CLONE_NEWCGROUP" }, { 0x04000000, "CLONE_NEWUTS" },
        { 0x08000000, "CLONE_NEWIPC" }, { 0x10000000, "CLONE_NEWUSER" }, { 0x20000000, "CLONE_NEWPID" },
        { 0x40000000, "CLONE_NEWNET" }, { 0x80, "CLONE_NEWTIME" } };
    size_t at = (size_t)snprintf(out, len, "%s0x%llx", prefix, (unsigned long long)flags);
    for (size_t i = 0; i < sizeof ns / sizeof *ns && at < len; i++)
        if (flags & ns[i].bit) at += (size_t)snprintf(out + at, len - at, "|%s", ns[i].name);
}

static void decode(struct cs_event *ev)
{
    pid_t pid = ev->pid;
    const uint64_t *a = ev->args;
    unsigned char sa[128];
    size_t n;
    switch (ev->nr) {
    case SYS_socket:
    case SYS_socketpair:
        ev->family = (int32_t)a[0];
        ev->sock_type = (int32_t)(a[1] & 0xf);
        ev->protocol = (int32_t)a[2];
        break;
    case SYS_connect:
    case SYS_bind:
        sock_info(ev, a[0]);
        n = read_mem(pid, a[1], sa, a[2] < sizeof sa ? a[2] : sizeof sa);
        decode_sockaddr(ev, sa, n);
        break;
    case SYS_sendto:
        sock_info(ev, a[0]);
        n = read_mem(pid, a[4], sa, a[5] < sizeof sa ? a[5] : sizeof sa);
        decode_sockaddr(ev, sa, n);
        if (inet_dgram(ev)) decode_dns(ev, pid, a[1], a[2]);
        break;
    case SYS_sendmsg:
    case SYS_sendmmsg: {  /* struct mmsghdr starts with its struct msghdr */
        sock_info(ev, a[0]);
        struct msghdr mh;
        if (read_mem(pid, a[1], &mh, sizeof mh) != sizeof mh) break;
        n = read_mem(pid, (uint64_t)(uintptr_t)mh.msg_name, sa, mh.msg_namelen < sizeof sa ? mh.msg_namelen : sizeof sa);
        decode_sockaddr(ev, sa, n);
        struct iovec iov;
        if (inet_dgram(ev) && mh.msg_iovlen > 0 && read_mem(pid, (uint64_t)(uintptr_t)mh.msg_iov, &iov, sizeof iov) == sizeof iov)
            decode_dns(ev, pid, (uint64_t)(uintptr_t)iov.iov_base, iov.iov_len);
        break;
    }
    case SYS_clone:
    case SYS_unshare:
        flag_names(ev->detail, sizeof ev->detail, "flags=", a[0]);
        break;
    case SYS_setns:
        flag_names(ev->detail, sizeof ev->detail, "nstype=", a[1]);
        break;
    case SYS_ioctl: {
        uint32_t cmd = (uint32_t)a[1];
        snprintf(ev->detail, sizeof ev->detail, "cmd=0x%llx%s", (unsigned long long)a[1],
                 cmd == 0x5412 ? " TIOCSTI" : cmd == 0x541C ? " TIOCLINUX" : "");
        break;
    }
    case SYS_ptrace:
        snprintf(ev->detail, sizeof ev->detail, "request=%lld pid=%lld", (long long)a[0], (long long)a[1]);
        break;
    case SYS_personality:
        snprintf(ev->detail, sizeof ev->detail, "persona=0x%llx", (unsigned long long)a[0]);
        break;
    }
}

int cs_notify_receive(int fd, struct cs_event *ev)
{
    /* The kernel's struct may grow; size the buffer from SECCOMP_GET_NOTIF_SIZES. */
    static struct seccomp_notif_sizes sizes;
    if (!sizes.seccomp_notif && syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sizes) != 0) return -errno;
    union { struct seccomp_notif n; unsigned char raw[512]; } req;
    if (sizes.seccomp_notif > sizeof req) return -E2BIG;
    memset(&req, 0, sizeof req);  /* RECV insists on a zeroed buffer */
    if (ioctl(fd, SECCOMP_IOCTL_NOTIF_RECV, &req) != 0) return -errno;

    memset(ev, 0, sizeof *ev);
    ev->id = req.n.id;
    ev->pid = (int32_t)req.n.pid;
    ev->nr = req.n.data.nr;
    memcpy(ev->args, req.n.data.args, sizeof ev->args);
    cs_syscall_name(ev->nr, ev->syscall, sizeof ev->syscall);
    ev->family = ev->sock_domain = ev->sock_type = ev->protocol = ev->port = -1;
    ev->decision = CS_DECIDE_NONE;
    decode(ev);
    /* Still pending? If not, the task died and its pid may be reused: what
     * decode() read may not be its memory. Answering would fail anyway. */
    ev->valid = ioctl(fd, SECCOMP_IOCTL_NOTIF_ID_VALID, &ev->id) == 0;
    return 0;
}

static int is_address_call(int nr)
{
    return nr == SYS_connect || nr == SYS_bind || nr == SYS_sendto || nr == SYS_sendmsg || nr == SYS_sendmmsg;
}

void cs_notify_decide(const struct cs_policy *p, struct cs_event *ev)
{
    int error = 0;
    ev->decision = cs_policy_decide(p, ev->nr, ev->args, &error);
    ev->error = error;
    if (!is_address_call(ev->nr)) return;
    /* Local sockets keep working (python multiprocessing managers, syslog):
     * decided from the socket object, never from the address in memory. */
    if (ev->sock_domain == AF_UNIX || ev->sock_domain == AF_NETLINK) {
        ev->decision = CS_DECIDE_CONTINUE;
        ev->error = 0;
    } else if (ev->nr == SYS_connect && ev->decision == CS_DECIDE_DENY && inet_dgram(ev)) {
        /* A UDP connect only sets a default destination. glibc's resolver
         * connects before sending, so answer "success" without running it:
         * the query that follows (sendmmsg) is then recorded with its name
         * and refused. Nothing executes; the socket stays unconnected. */
        ev->decision = CS_DECIDE_FAKE;
        ev->error = 0;
    }
}

int cs_notify_respond(int fd, uint64_t id, int decision, int error)
{
    struct seccomp_notif_resp resp;
    memset(&resp, 0, sizeof resp);
    resp.id = id;
    if (decision == CS_DECIDE_CONTINUE) resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
    else if (decision == CS_DECIDE_DENY) resp.error = -(error > 0 ? error : EPERM);  /* returns -1 / errno */
    /* CS_DECIDE_FAKE: error 0, val 0: the call returns 0 and never ran */
    return ioctl(fd, SECCOMP_IOCTL_NOTIF_SEND, &resp) == 0 ? 0 : -errno;
}

int cs_notify_handle(int fd, const struct cs_policy *p, struct cs_event *ev)
{
    int r = cs_notify_receive(fd, ev);
    if (r) return r;
    cs_notify_decide(p, ev);
    if (!ev->valid) { ev->decision = CS_DECIDE_NONE; return 0; }
    r = cs_notify_respond(fd, ev->id, ev->decision, ev->error);
    if (r == -ENOENT) { ev->valid = 0; ev->decision = CS_DECIDE_NONE; }  /* died meanwhile */
    return r == -ENOENT ? 0 : r;
}

static size_t json_str(char *out, size_t len, const char *s)
{
    size_t at = 0;
    if (at < len) out[at++] = '"';
    for (; *s && at + 7 < len; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') { out[at++] = '\\'; out[at++] = (char)c; }
        else if (c < 0x20 || c >= 0x7f) at += (size_t)snprintf(out + at, len - at, "\\u%04x", c);
        else out[at++] = (char)c;
    }
    if (at < len) out[at++] = '"';
    if (at < len) out[at] = '\0';
    return at;
}

size_t cs_event_json(const struct cs_event *ev, char *buf, size_t len)
{
    static const char *const dec[] = { "continue", "deny", "none", "fake_success" };
    char a[256], d[256];
    json_str(a, sizeof a, ev->addr);
    json_str(d, sizeof d, ev->detail);
    int n = snprintf(buf, len,
        "{\"syscall\":\"%s\",\"nr\":%d,\"pid\":%d,\"family\":%d,\"sock_domain\":%d,\"type\":%d,\"protocol\":%d,"
        "\"addr\":%s,\"port\":%d,\"detail\":%s,\"decision\":\"%s\",\"errno\":\"%s\",\"valid\":%s,"
        "\"args\":[%llu,%llu,%llu,%llu,%llu,%llu]}",
        ev->syscall, ev->nr, ev->pid, ev->family, ev->sock_domain, ev->sock_type, ev->protocol, a, ev->port, d,
        dec[ev->decision >= 0 && ev->decision <= 3 ? ev->decision : 2], ev->error ? cs_errno_name(ev->error) : "",
        ev->valid ? "true" : "false",
        (unsigned long long)ev->args[0], (unsigned long long)ev->args[1], (unsigned long long)ev->args[2],
        (unsigned long long)ev->args[3], (unsigned long long)ev->args[4], (unsigned long long)ev->args[5]);
    return n < 0 ? 0 : ((size_t)n < len ? (size_t)n : len - 1);
}
