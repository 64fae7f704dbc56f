/*
 * child.c — runs in the cloned child (pid 1 of the new pid namespace).
 *
 * Only raw syscalls (or glibc wrappers that are a single syscall) are used
 * here: this process is a copy of a possibly multi-threaded parent, so any
 * lock another thread held at clone time stays locked forever. Every step
 * that fails reports (layer, errno, step) on the status pipe and exits: the
 * command never runs with a layer missing.
 *
 * Order (each step needs the privileges the previous ones still leave):
 *   signals -> fds -> [own uid/gid maps] -> mounts + pivot_root -> hostname ->
 *   lo -> setsid -> rlimits -> bounding set -> uid/gid -> caps -> PDEATHSIG ->
 *   no_new_privs -> Landlock -> seccomp (+listener) -> READY -> [wait "go"] ->
 *   fork the command (pid 2) -> reap until it exits -> report its status.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/landlock.h>
#include <linux/seccomp.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "internal.h"

static const struct cs_plan *P;

/* Report and die. exit_group via syscall: no atexit handlers, no stdio flush. */
static void __attribute__((noreturn)) fail(int layer, int err, int step)
{
    struct cs_msg m = { CS_MSG_FAIL, layer, err, step };
    if (write(P->status_w, &m, sizeof m) < 0) { /* parent gone: nothing to tell */ }
    syscall(SYS_exit_group, 127);
    __builtin_unreachable();
}
#define CHECK(expr, layer, step) do { if ((expr) < 0) fail((layer), errno, (step)); } while (0)

/* Reset every signal to its default action and unblock all: a supervisor that
 * ignores SIGPIPE must not hand that to `yes | head`. The parent blocked all
 * signals around clone, so no handler of the parent can run here first. */
static void reset_signals(void)
{
    struct { uintptr_t handler; unsigned long flags; uintptr_t restorer; uint64_t mask; } sa = { 0 /* SIG_DFL */, 0, 0, 0 };
    for (int s = 1; s < 65; s++)
        if (s != SIGKILL && s != SIGSTOP)
            syscall(SYS_rt_sigaction, s, &sa, NULL, 8);  /* EINVAL for none of 1..64; ignored */
    uint64_t none = 0;
    CHECK(syscall(SYS_rt_sigprocmask, SIG_SETMASK, &none, NULL, 8), CS_LAYER_SIGNALS, 0);
}

/* Close every descriptor inherited from the parent except the plan's own
 * (other threads may have had unrelated fds open at clone time). */
static void close_others(void)
{
    int keep[6] = { P->sync_r, P->status_w, P->out_w, P->err_w, P->null_r, P->ctl };
    for (int i = 1; i < 6; i++)  /* insertion sort, 6 elements */
        for (int j = i; j > 0 && keep[j - 1] > keep[j]; j--) { int t = keep[j]; keep[j] = keep[j - 1]; keep[j - 1] = t; }
    unsigned lo = 3;
    for (int i = 0; i < 6; i++) {
        if (keep[i] < 0 || (unsigned)keep[i] < lo) continue;
        if ((unsigned)keep[i] > lo) CHECK(syscall(SYS_close_range, lo, keep[i] - 1, 0), CS_LAYER_FDS, 0);
        lo = keep[i] + 1;
    }
    CHECK(syscall(SYS_close_range, lo, ~0U, 0), CS_LAYER_FDS, 1);
}

/* Block until the parent writes one byte (cgroups joined, listener taken).
 * EOF means the parent died: stop. */
static void wait_parent(int step)
{
    char c;
    ssize_t n;
    do n = read(P->sync_r, &c, 1); while (n < 0 && errno == EINTR);
    if (n != 1) fail(CS_LAYER_SYNC, n == 0 ? EPIPE : errno, step);
}

/* User namespace: map the agent's ids onto the caller's own (the only
 * mapping an unprivileged creator may write). A process may write its own
 * maps (as `unshare -r` does) if /proc/self is its own, i.e. it is dumpable;
 * a non-dumpable caller's child is made dumpable for these three writes. */
static void write_file(const char *path, const char *data, int step)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    CHECK(fd, CS_LAYER_USERNS, step);
    size_t n = strlen(data);
    if (write(fd, data, n) != (ssize_t)n) fail(CS_LAYER_USERNS, errno, step);
    close(fd);
}

static void own_id_maps(void)
{
    CHECK(prctl(PR_SET_DUMPABLE, 1, 0, 0, 0), CS_LAYER_USERNS, 0);  /* cleared again before the command runs */
    write_file("/proc/self/setgroups", "deny", 1);   /* required before gid_map */
    write_file("/proc/self/uid_map", P->uid_map, 2);
    write_file("/proc/self/gid_map", P->gid_map, 3);
}

/* Execute the mount plan: private propagation, a tmpfs root, read-only
 * binds, /dev, /proc, /tmp, the workspace, pivot_root, detach the old root. */
static void run_ops(void)
{
    for (int i = 0; i < P->nops; i++) {
        const struct cs_op *o = &P->ops[i];
        long r = 0;
        switch (o->kind) {
        case OP_MKDIR:
            r = mkdir(o->dst, o->mode);
            if (r < 0 && errno == EEXIST) r = 0;
            break;
        case OP_MKFILE:
            /* read-only open: succeeds on an existing file even on a read-only mount */
            r = open(o->dst, O_CREAT | O_RDONLY | O_CLOEXEC, 0444);
            if (r >= 0) r = close((int)r);
            break;
        case OP_SYMLINK:
            r = symlink(o->src, o->dst);
            break;
        case OP_MOUNT:
            r = mount(o->src, o->dst, o->fstype, o->flags, o->data);
            break;
        case OP_PIVOT:
            /* pivot_root(".", put_old): the tmpfs becomes "/", the host root
             * moves to /<put_old>, from where the binds take their sources. */
            r = chdir(o->dst);
            if (r == 0) r = syscall(SYS_pivot_root, ".", o->src);
            if (r == 0) r = chdir("/");
            break;
        case OP_UMOUNT:
            r = umount2(o->dst, MNT_DETACH);  /* lazy: the host tree is unreachable at once */
            break;
        case OP_RMDIR:
            r = rmdir(o->dst);
            break;
        case OP_KEEPDIR:
            /* pods: the fd keeps the (then detached) filesystem alive for init */
            r = cs_pod_mqueue_fd = open(o->dst, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
            break;
        }
        if (r < 0) fail(o->layer, errno, i);
    }
}

/* ifconfig lo up: a SIOCSIFFLAGS on any AF_INET socket of the new netns. */
static void loopback_up(void)
{
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    CHECK(s, CS_LAYER_NET, 0);
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    memcpy(ifr.ifr_name, "lo", 3);
    CHECK(ioctl(s, SIOCGIFFLAGS, &ifr), CS_LAYER_NET, 1);
    ifr.ifr_flags |= IFF_UP;
    CHECK(ioctl(s, SIOCSIFFLAGS, &ifr), CS_LAYER_NET, 2);
    close(s);
}

/* Drop the bounding set (needs CAP_SETPCAP, so before the uid change), clear
 * the ambient set, then become the agent. setgroups is impossible (and not
 * needed) in an unprivileged user namespace with setgroups=deny. */
static void drop_privileges(void)
{
    for (int cap = 0; cap < 64; cap++)
        if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0) {
            if (errno == EINVAL) break;      /* past CAP_LAST_CAP */
            fail(CS_LAYER_CAPS, errno, cap);
        }
    CHECK(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0), CS_LAYER_CAPS, 100);
    if (!P->userns) CHECK(syscall(SYS_setgroups, 0, NULL), CS_LAYER_UID, 0);
    CHECK(syscall(SYS_setresgid, P->gid, P->gid, P->gid), CS_LAYER_UID, 1);
    CHECK(syscall(SYS_setresuid, P->uid, P->uid, P->uid), CS_LAYER_UID, 2);
    /* uid != 0 already cleared permitted/effective; clear inheritable too. */
    struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
    struct __user_cap_data_struct d[2];
    memset(d, 0, sizeof d);
    CHECK(syscall(SYS_capset, &h, d), CS_LAYER_CAPS, 101);
}

/* Landlock: read/exec everywhere, write only in the listed trees. Rights the
 * running kernel's ABI does not know were already masked out by the parent. */
static void apply_landlock(void)
{
    struct { uint64_t fs, net, scoped; } attr = { P->ll_fs, P->ll_net, P->ll_scope };
    int rs = (int)syscall(SYS_landlock_create_ruleset, &attr, sizeof attr, 0);
    CHECK(rs, CS_LAYER_LANDLOCK, 0);
    for (int i = 0; i < P->nll; i++) {
        struct __attribute__((packed)) { uint64_t access; int32_t fd; } pb;
        pb.fd = open(P->ll[i].path, O_PATH | O_CLOEXEC);
        CHECK(pb.fd, CS_LAYER_LANDLOCK, 10 + i);
        pb.access = P->ll[i].access;
        CHECK(syscall(SYS_landlock_add_rule, rs, LANDLOCK_RULE_PATH_BENEATH, &pb, 0), CS_LAYER_LANDLOCK, 10 + i);
        close(pb.fd);
    }
    CHECK(syscall(SYS_landlock_restrict_self, rs, 0), CS_LAYER_LANDLOCK, 1);
    close(rs);
}

/* Hide what init inherited from the supervisor's image: /proc/1/cmdline is
 * world-readable, so overwrite the argv area; environ too (it is protected by
 * non-dumpability already, this is the second layer). */
static void scrub_identity(void)
{
    if (P->arg_end > P->arg_start + 1) {
        /* "/sbin/init", zeros, and a non-NUL last byte: the kernel then reads
         * the area as a setproctitle() title, up to the first NUL, so
         * /proc/1/cmdline is exactly "/sbin/init" (no trail of zeros). */
        char *a = (char *)P->arg_start;
        size_t n = P->arg_end - P->arg_start;
        memset(a, 0, n);
        memcpy(a, "/sbin/init", n > 11 ? 10 : n - 2);
        a[n - 1] = ' ';
    }
    if (P->env_end > P->env_start) memset((char *)P->env_start, 0, P->env_end - P->env_start);
    prctl(PR_SET_NAME, "init", 0, 0, 0);
}

/* pid 2: stdio, close everything else, cwd, execve. */
static void __attribute__((noreturn)) exec_command(void)
{
    if (dup2(P->null_r, 0) < 0 || dup2(P->out_w, 1) < 0 || dup2(P->err_w, 2) < 0)
        fail(CS_LAYER_FDS, errno, 10);
    /* keep only 0-2 and the close-on-exec status pipe (for an exec error) */
    int s = P->status_w;
    if (s > 3) syscall(SYS_close_range, 3, s - 1, 0);
    syscall(SYS_close_range, s + 1, ~0U, 0);
    if (chdir(P->home) < 0) fail(CS_LAYER_EXEC, errno, 1);
    execve(P->argv[0], P->argv, P->envp);
    struct cs_msg m = { CS_MSG_EXEC_FAIL, CS_LAYER_EXEC, errno, 0 };
    if (write(s, &m, sizeof m) < 0) { /* nothing to do */ }
    syscall(SYS_exit_group, 127);
    __builtin_unreachable();
}

void cs_child_main(const struct cs_plan *p)
{
    P = p;
    reset_signals();
    close_others();
    /* Die with the thread that called cs_spawn (re-armed after the uid change,
     * which clears it). */
    CHECK(prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0), CS_LAYER_SESSION, 0);
    if (P->userns) own_id_maps();

    run_ops();
    if (P->hostname) CHECK(sethostname(P->hostname, P->hostname_len), CS_LAYER_UTS, 0);
    if (P->loopback_up) loopback_up();
    CHECK(setsid(), CS_LAYER_SESSION, 1);  /* no controlling tty, own session */

    for (int i = 0; i < P->nrl; i++) {
        struct { uint64_t cur, max; } rl = { P->rl[i].value, P->rl[i].value };
        CHECK(syscall(SYS_prlimit64, 0, P->rl[i].resource, &rl, NULL), CS_LAYER_RLIMIT, P->rl[i].resource);
    }
    drop_privileges();
    /* Not dumpable: the agent (same uid) cannot open /proc/1/fd, /proc/1/mem.
     * In a user namespace the (unprivileged) parent still needs ptrace access
     * to take the listener (our mm belongs to its namespace), so there this
     * waits until after the parent's "go". */
    if (!P->userns) CHECK(prctl(PR_SET_DUMPABLE, 0, 0, 0, 0), CS_LAYER_SESSION, 2);
    CHECK(prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0), CS_LAYER_SESSION, 3);
    CHECK(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), CS_LAYER_NNP, 0);
    if (P->landlock) apply_landlock();

    /* Last: the filter. With NEW_LISTENER the kernel returns the notify fd;
     * WAIT_KILLABLE_RECV (5.19+) keeps notified calls from restarting on
     * every non-fatal signal (Go runtimes); retried without on old kernels. */
    long lfd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
                       SECCOMP_FILTER_FLAG_NEW_LISTENER | SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV, &P->prog);
    if (lfd < 0 && errno == EINVAL)
        lfd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, &P->prog);
    CHECK(lfd, CS_LAYER_SECCOMP, 0);

    /* Tell the parent the listener's number; it takes its own copy with
     * pidfd_getfd (never sendmsg: sendmsg is trapped now). init keeps its
     * copy until it exits; nobody else can reach it (not dumpable). */
    struct cs_msg ready = { CS_MSG_READY, 0, 0, (int32_t)lfd };
    CHECK(write(P->status_w, &ready, sizeof ready), CS_LAYER_SYNC, 2);
    if (P->late_sync) wait_parent(1);    /* cgroups joined, listener taken */
    if (P->userns) CHECK(prctl(PR_SET_DUMPABLE, 0, 0, 0, 0), CS_LAYER_SESSION, 2);

    scrub_identity();   /* before the command exists, so it never sees the old cmdline */
    if (P->pod) cs_pod_serve(P);
    pid_t cmd = (pid_t)syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0);  /* fork without atfork handlers */
    CHECK(cmd, CS_LAYER_FORK, 0);
    if (cmd == 0) exec_command();

    /* init: hold no pipe end the command's readers wait on, then reap every
     * child (orphans are re-parented here) until the command itself exits.
     * Our exit makes the kernel SIGKILL everything left in the namespace. */
    close(P->out_w); close(P->err_w); close(P->null_r); close(P->sync_r);
    for (;;) {
        int st = 0;
        pid_t w = (pid_t)syscall(SYS_wait4, -1, &st, __WALL, NULL);
        if (w < 0 && errno == EINTR) continue;
        if (w < 0) fail(CS_LAYER_FORK, errno, 1);
        if (w == cmd) {
            struct cs_msg m = { CS_MSG_EXIT, 0, 0, st };
            if (write(P->status_w, &m, sizeof m) < 0) { /* parent gone */ }
            syscall(SYS_exit_group, 0);
        }
    }
}
