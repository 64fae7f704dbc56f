/*
 * run.c — supervise one spawned sandbox: a single poll loop over stdout,
 * stderr, the seccomp listener and init's pidfd; a wall-clock deadline that
 * kills the whole pid namespace; then reap and collect the exit facts.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "internal.h"

#ifndef P_PIDFD
#define P_PIDFD 3
#endif

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

int cs_kill(struct cs_child *c)
{
    /* SIGKILL to pid 1 of the namespace: the kernel then kills every other
     * process in it, daemons and setsid'ed children included. */
    if (c->pidfd < 0) return -EBADF;
    return syscall(SYS_pidfd_send_signal, c->pidfd, SIGKILL, NULL, 0) == 0 ? 0 : -errno;
}

/* Parse "key N" from a small cgroup v1 file (pids.events, memory.oom_control);
 * -1 when absent. Shared with pod.c. */
long cs_cgroup_counter(const char *dir, const char *file, const char *key)
{
    if (!dir[0]) return -1;
    char path[320], buf[1024];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0) return -1;
    buf[n] = '\0';
    size_t kl = strlen(key);
    for (char *l = buf; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
        if (strncmp(l, key, kl) == 0 && l[kl] == ' ') return strtol(l + kl + 1, NULL, 10);
    return -1;
}

static void cgroup_remove(char *dir)
{
    if (!dir[0]) return;
    /* The tasks are gone once init is reaped; the kernel may need a moment
     * to release the css, so retry briefly on EBUSY. */
    for (int i = 0; i < 50 && rmdir(dir) != 0 && errno == EBUSY; i++) usleep(1000);
    dir[0] = '\0';
}

static void close_fd(int *fd) { if (*fd >= 0) close(*fd); *fd = -1; }

int cs_reap(struct cs_child *c, struct cs_result *res)
{
    if (c->pidfd < 0) return -EBADF;
    siginfo_t si;
    memset(&si, 0, sizeof si);
    while (waitid((idtype_t)P_PIDFD, (id_t)c->pidfd, &si, WEXITED | __WALL) != 0 && errno == EINTR) {}
    /* init is gone, so is every writer of the status pipe: read to EOF. */
    int got_exit = 0;
    struct cs_msg m;
    while (c->status_fd >= 0 && read(c->status_fd, &m, sizeof m) == (ssize_t)sizeof m) {
        if (m.type == CS_MSG_EXIT) {
            got_exit = 1;
            if (WIFEXITED(m.value)) { res->exited = 1; res->exit_code = WEXITSTATUS(m.value); }
            if (WIFSIGNALED(m.value)) { res->signaled = 1; res->signal = WTERMSIG(m.value); }
        } else if (m.type == CS_MSG_EXEC_FAIL) {
            res->exec_errno = m.err;
        }
    }
    if (!got_exit) {  /* init itself was killed (timeout, cs_kill, supervisor death) */
        res->killed = 1;
        if (si.si_code == CLD_KILLED || si.si_code == CLD_DUMPED) { res->signaled = 1; res->signal = si.si_status; }
    }
    res->pids_max_events = cs_cgroup_counter(c->cgroup_pids, "pids.events", "max");
    res->oom_kills = cs_cgroup_counter(c->cgroup_memory, "memory.oom_control", "oom_kill");
    cgroup_remove(c->cgroup_pids);
    cgroup_remove(c->cgroup_memory);
    close_fd(&c->pidfd); close_fd(&c->stdout_fd); close_fd(&c->stderr_fd);
    close_fd(&c->notify_fd); close_fd(&c->status_fd); close_fd(&c->ctl_fd);
    return 0;
}

/* Read what is available; keep at most cap bytes, count all of them. Returns 1 at EOF
 * (the fd is closed and set to -1), 0 when nothing more is ready. Shared with pod.c. */
int cs_pump_output(int *fd, char *buf, size_t cap, size_t *len, size_t *total)
{
    char tmp[65536];
    for (;;) {
        ssize_t n = read(*fd, tmp, sizeof tmp);
        if (n > 0) {
            size_t keep = (buf && *len < cap) ? ((size_t)n < cap - *len ? (size_t)n : cap - *len) : 0;
            if (keep) memcpy(buf + *len, tmp, keep);
            *len += keep;
            *total += (size_t)n;
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && errno == EAGAIN) return 0;
        close_fd(fd);  /* EOF (or error): every writer is gone */
        return 1;
    }
}

int cs_run(struct cs_child *c, const struct cs_policy *p, const struct cs_run_opts *o,
           cs_event_fn fn, void *ctx, struct cs_result *res)
{
    memset(res, 0, sizeof *res);
    double start = now_ms(), deadline = o && o->timeout_ms > 0 ? start + o->timeout_ms : 0;
    char *ob = o ? o->out : NULL, *eb = o ? o->err : NULL;
    size_t ocap = o ? o->out_cap : 0, ecap = o ? o->err_cap : 0;
    int init_gone = 0;
    double drain_until = 0;
    while (c->stdout_fd >= 0 || c->stderr_fd >= 0 || !init_gone) {
        struct pollfd pf[4] = {
            { c->stdout_fd, POLLIN, 0 }, { c->stderr_fd, POLLIN, 0 },
            { init_gone ? -1 : c->notify_fd, POLLIN, 0 }, { init_gone ? -1 : c->pidfd, POLLIN, 0 } };
        int wait = -1;
        double t = now_ms();
        if (init_gone) {  /* outputs only: every writer is dead, EOF is imminent */
            if (!drain_until) drain_until = t + 200;
            if (t >= drain_until) {
                /* One last non-blocking read before giving up on EOF, so output
                 * already in a pipe is never dropped because this thread woke up
                 * late on a loaded machine. */
                if (c->stdout_fd >= 0) cs_pump_output(&c->stdout_fd, ob, ocap, &res->out_len, &res->out_total);
                if (c->stderr_fd >= 0) cs_pump_output(&c->stderr_fd, eb, ecap, &res->err_len, &res->err_total);
                break;
            }
            wait = (int)(drain_until - t) + 1;
        } else if (deadline) {
            if (t >= deadline) {
                res->timed_out = 1;
                cs_kill(c);
                deadline = 0;
                continue;
            }
            wait = (int)(deadline - t) + 1;
        }
        int n = poll(pf, 4, wait);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return -errno;
        if (pf[0].revents) cs_pump_output(&c->stdout_fd, ob, ocap, &res->out_len, &res->out_total);
        if (pf[1].revents) cs_pump_output(&c->stderr_fd, eb, ecap, &res->err_len, &res->err_total);
        if (pf[2].revents & POLLIN) {
            struct cs_event ev;
            if (cs_notify_handle(c->notify_fd, p, &ev) == 0) {
                res->events++;
                if (fn) fn(ctx, &ev);
            }
        } else if (pf[2].revents & (POLLHUP | POLLERR | POLLNVAL)) {
            close_fd(&c->notify_fd);  /* no task left under the filter */
        }
        if (pf[3].revents) init_gone = 1;
    }
    cs_reap(c, res);
    res->wall_ms = now_ms() - start;
    return 0;
}
