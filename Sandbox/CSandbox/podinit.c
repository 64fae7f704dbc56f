/*
 * podinit.c — a pod's init: pid 1 of the episode's namespaces, serving one
 * command after another.
 *
 * By the time cs_pod_serve runs, init has built every layer on itself (see
 * child.c): private root, rlimits, no capabilities, the agent's uid,
 * no_new_privs, Landlock, the seccomp filter (its listener held by the
 * supervisor), the cgroups. A command is started with a vfork-style clone, so
 * it inherits all of them and nothing is rebuilt per command.
 *
 * init's own syscalls under its filter — recvmsg, read, write, clone without
 * namespace flags, wait4, kill, lseek, getdents64, unlinkat, shmctl/msgctl/
 * semctl, close, exit_group — are all plain `allow` rules in default.policy, so init
 * never waits on a notification it would have to answer itself. Being
 * confined costs init nothing it needs, and it means a command that somehow
 * took init over would hold exactly what it already has.
 *
 * Why a command cannot reach init: init is pid 1 of the pid namespace, so the
 * kernel drops every signal sent from inside the namespace that init has no
 * handler for (it installs none; SIGKILL and SIGSTOP included); it is not
 * dumpable, so /proc/1/{fd,mem,environ,...} belong to root; ptrace,
 * process_vm_*, pidfd_getfd and kcmp are refused by the filter, and so are
 * prlimit/renice/ioprio/affinity calls aimed at pid 1 (the same uid could
 * otherwise change what later commands inherit).
 *
 * Like child.c, only raw syscalls and single-syscall wrappers: init is a copy
 * of a multi-threaded process; no malloc, no stdio, no locks.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/resource.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "internal.h"

int cs_pod_mqueue_fd = -1;

static const struct cs_plan *P;
static int tmp_fd = -1, shm_fd = -1;

/* The current request (static: no malloc in init). */
static char strings[CS_POD_MAX_BYTES];
static char *vec[CS_POD_MAX_STRINGS + 2];

/* The vfork child runs on this stack while init is suspended. */
static char child_stack[64 * 1024] __attribute__((aligned(16)));

struct spawn {
    char **argv, **envp;
    int out, err;
    int64_t cpu_seconds;
    int layer, error;   /* written by the child (shared memory) when a step fails */
};

/* The command's process, between clone and execve. It shares init's memory
 * (CLONE_VM) and init is suspended until it execs or exits (CLONE_VFORK):
 * no page tables are copied, whatever init's size. It may only touch its own
 * stack and `s`; every call is a raw syscall. */
static int start_command(void *arg)
{
    struct spawn *s = arg;
    int layer = CS_LAYER_SESSION;
    /* A new session and process group: no controlling tty, and the command's
     * process group is not init's. */
    if (syscall(SYS_setsid) < 0) goto fail;
    layer = CS_LAYER_FDS;
    /* stdio: /dev/null and the two pipes the supervisor sent for this command */
    if (syscall(SYS_dup2, P->null_r, 0) < 0 || syscall(SYS_dup2, s->out, 1) < 0 ||
        syscall(SYS_dup2, s->err, 2) < 0)
        goto fail;
    /* every other descriptor: init's channel, status pipe, directory fds */
    if (syscall(SYS_close_range, 3, ~0U, 0) < 0) goto fail;
    layer = CS_LAYER_RLIMIT;
    /* this command's CPU budget: a lower hard limit than init's (allowed to
     * an unprivileged process; init's own limit is the pod's maximum) */
    if (s->cpu_seconds > 0) {
        struct { uint64_t cur, max; } rl = { (uint64_t)s->cpu_seconds, (uint64_t)s->cpu_seconds };
        if (syscall(SYS_prlimit64, 0, RLIMIT_CPU, &rl, NULL) < 0) goto fail;
    }
    layer = CS_LAYER_EXEC;
    if (syscall(SYS_chdir, P->home) < 0) goto fail;
    syscall(SYS_execve, s->argv[0], s->argv, s->envp);
fail:
    s->layer = layer;
    s->error = errno;
    syscall(SYS_exit, 127);
    return 127;
}

/* Read exactly n bytes (the supervisor writes a request in one go). */
static int read_exact(int fd, void *buf, size_t n)
{
    size_t got = 0;
    while (got < n) {
        ssize_t k = read(fd, (char *)buf + got, n - got);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) return -1;
        got += (size_t)k;
    }
    return 0;
}

/* One request: header (with the two fds attached), then the strings.
 * Returns 1, 0 on EOF (the supervisor let go: the pod ends), -1 on nonsense. */
static int receive(struct cs_pod_request *h, int fds[2])
{
    char control[CMSG_SPACE(2 * sizeof(int))];
    struct iovec iov = { h, sizeof *h };
    struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control, .msg_controllen = sizeof control };
    ssize_t n;
    do n = recvmsg(P->ctl, &m, MSG_CMSG_CLOEXEC); while (n < 0 && errno == EINTR);
    if (n == 0) return 0;
    if (n < 0) return -1;
    struct cmsghdr *c = CMSG_FIRSTHDR(&m);
    if (!c || c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS || c->cmsg_len != CMSG_LEN(2 * sizeof(int)) ||
        (m.msg_flags & MSG_CTRUNC))
        return -1;
    memcpy(fds, CMSG_DATA(c), 2 * sizeof(int));
    if ((size_t)n < sizeof *h && read_exact(P->ctl, (char *)h + n, sizeof *h - (size_t)n) != 0) return -1;
    if (h->magic != CS_POD_MAGIC || h->bytes > CS_POD_MAX_BYTES || h->argc < 1 ||
        (uint64_t)h->argc + h->envc > CS_POD_MAX_STRINGS)
        return -1;
    if (read_exact(P->ctl, strings, h->bytes) != 0) return -1;
    /* argv then envp, each NULL-terminated, pointing into `strings` */
    size_t at = 0;
    uint32_t slot = 0;
    for (uint32_t i = 0; i < h->argc + h->envc; i++) {
        if (i == h->argc) vec[slot++] = NULL;
        char *end = at < h->bytes ? memchr(strings + at, 0, h->bytes - at) : NULL;
        if (!end) return -1;
        vec[slot++] = strings + at;
        at = (size_t)(end - strings) + 1;
    }
    if (h->envc == 0) vec[slot++] = NULL;
    vec[slot] = NULL;
    return vec[0][0] == '/' ? 1 : -1;
}

/* Kill every process of the namespace but init, and reap them all. kill(-1)
 * from a pid namespace's init reaches every other process in it; descendants
 * of dead processes are re-parented to init, so once wait4 says ECHILD there
 * is none left, and kill(-1, 0) failing with ESRCH proves it. */
static int kill_all(void)
{
    for (int round = 0; round < 64; round++) {
        if (kill(-1, SIGKILL) < 0) return errno == ESRCH ? 0 : -1;
        int st;
        while (syscall(SYS_wait4, -1, &st, __WALL, NULL) >= 0 || errno == EINTR) {}
        if (errno != ECHILD) return -1;
    }
    return -1;
}

/* 1 when the directory behind fd holds anything but . and .. (or cannot be read). */
static int not_empty(int fd)
{
    char buf[512];
    if (fd < 0 || lseek(fd, 0, SEEK_SET) < 0) return 1;
    long n = syscall(SYS_getdents64, fd, buf, sizeof buf);
    if (n < 0) return 1;
    for (long at = 0; at < n;) {
        /* struct linux_dirent64: ino (8), off (8), reclen (2), type (1), name */
        unsigned short reclen;
        memcpy(&reclen, buf + at + 16, sizeof reclen);
        const char *name = buf + at + 19;
        if (!(name[0] == '.' && (name[1] == 0 || (name[1] == '.' && name[2] == 0)))) return 1;
        at += reclen;
    }
    return 0;
}

/* libfaketime (the world's clock, preloaded in every process) keeps its state in
 * POSIX shared memory and a semaphore named after the first process of the
 * command: /dev/shm/faketime_shm_<pid> and /dev/shm/sem.faketime_sem_<pid>.
 * They are ours, not the agent's: remove exactly those (regular files only:
 * unlinkat without AT_REMOVEDIR fails on anything else, which then counts as
 * a leftover). */
static void remove_clock_files(void)
{
    char buf[2048];
    for (int pass = 0; pass < 64; pass++) {
        int removed = 0;
        if (lseek(shm_fd, 0, SEEK_SET) < 0) return;
        for (;;) {
            long n = syscall(SYS_getdents64, shm_fd, buf, sizeof buf);
            if (n <= 0) break;
            for (long at = 0; at < n;) {
                unsigned short reclen;
                memcpy(&reclen, buf + at + 16, sizeof reclen);
                const char *name = buf + at + 19;
                if ((strncmp(name, "faketime_shm_", 13) == 0 || strncmp(name, "sem.faketime_sem_", 17) == 0) &&
                    unlinkat(shm_fd, name, 0) == 0)
                    removed++;
                at += reclen;
            }
        }
        if (!removed) return;
    }
}

/* What a finished command left outside the home: files in /tmp or /dev/shm,
 * POSIX message queues, SysV shared memory, semaphores or message queues.
 * Any of it means the next command would not start from a clean slate, so
 * the supervisor retires the pod rather than trying to clean up after it. */
static int leftovers(void)
{
    int left = 0;
    remove_clock_files();
    if (not_empty(tmp_fd)) left |= CS_LEFT_TMP;
    if (not_empty(shm_fd)) left |= CS_LEFT_SHM;
    if (not_empty(cs_pod_mqueue_fd)) left |= CS_LEFT_MQUEUE;
    struct shm_info si;
    struct msginfo mi;
    struct seminfo se;
    memset(&si, 0, sizeof si); memset(&mi, 0, sizeof mi); memset(&se, 0, sizeof se);
    if (shmctl(0, SHM_INFO, (struct shmid_ds *)(void *)&si) < 0 || si.used_ids != 0) left |= CS_LEFT_SYSV;
    if (msgctl(0, MSG_INFO, (struct msqid_ds *)(void *)&mi) < 0 || mi.msgpool != 0) left |= CS_LEFT_SYSV;
    union { int val; struct semid_ds *buf; unsigned short *array; struct seminfo *__buf; } arg = { .__buf = &se };
    if (semctl(0, 0, SEM_INFO, arg) < 0 || se.semusz != 0) left |= CS_LEFT_SYSV;
    return left;
}

static void __attribute__((noreturn)) stop(void)
{
    syscall(SYS_exit_group, 0);
    __builtin_unreachable();
}

void cs_pod_serve(const struct cs_plan *p)
{
    P = p;
    /* The setup channels are done with; the status pipe's EOF tells the
     * supervisor nothing more (it watches the pidfd). */
    close(P->sync_r);
    close(P->status_w);
    tmp_fd = open("/tmp", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    shm_fd = open("/dev/shm", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (tmp_fd < 0 || shm_fd < 0 || cs_pod_mqueue_fd < 0) stop();  /* the supervisor sees init die */

    for (;;) {
        struct cs_pod_request h;
        int fds[2] = { -1, -1 };
        int r = receive(&h, fds);
        if (r <= 0) stop();   /* EOF: the pod ends; nonsense: init refuses to guess */
        struct spawn s = { vec, vec + h.argc + 1, fds[0], fds[1], h.cpu_seconds, 0, 0 };
        struct cs_pod_reply rep = { CS_POD_DONE, 0, 0, 0, 0, 0 };
        long pid = clone(start_command, child_stack + sizeof child_stack, CLONE_VM | CLONE_VFORK | SIGCHLD, &s);
        int clone_errno = errno;
        close(fds[0]);   /* only the command holds the pipes now: EOF when it is gone */
        close(fds[1]);
        if (pid < 0) {
            rep.type = CS_POD_FAIL; rep.layer = CS_LAYER_FORK; rep.err = clone_errno;
        } else {
            /* Reap orphans until the command's own process exits. */
            for (;;) {
                int st = 0;
                long w = syscall(SYS_wait4, -1, &st, __WALL, NULL);
                if (w < 0 && errno == EINTR) continue;
                if (w < 0) { rep.type = CS_POD_FAIL; rep.layer = CS_LAYER_INIT; rep.err = errno; break; }
                if (w == pid) { rep.status = st; break; }
            }
            if (s.layer == CS_LAYER_EXEC) rep.exec_errno = s.error;
            else if (s.layer) { rep.type = CS_POD_FAIL; rep.layer = s.layer; rep.err = s.error; }
        }
        /* Nothing of the command survives it: daemons, background jobs,
         * setsid'ed children, all of it. */
        if (kill_all() != 0) rep.left |= CS_LEFT_PROCESS;
        rep.left |= leftovers();
        if (write(P->ctl, &rep, sizeof rep) != (ssize_t)sizeof rep) stop();
    }
}
