/*
 * pod.c — the supervisor's side of a pod: start init once (cs_spawn with
 * CS_FLAG_POD), hand it one command at a time, supervise the command exactly
 * as cs_run does (output caps, notifications, wall clock), and retire the pod
 * whenever it is not provably clean.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "internal.h"

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

int cs_pod_start(const struct cs_config *cfg, struct cs_pod *pod, char *err, size_t errlen)
{
    memset(pod, 0, sizeof *pod);
    struct cs_config c = *cfg;
    c.flags |= CS_FLAG_POD;
    if (cs_spawn(&c, &pod->c, err, errlen) != 0) return -1;
    pod->live = 1;
    return 0;
}

void cs_pod_stop(struct cs_pod *pod)
{
    if (pod->c.pidfd < 0) { pod->live = 0; return; }
    /* SIGKILL to init: the kernel kills the rest of the namespace with it. */
    cs_kill(&pod->c);
    struct cs_result r;
    memset(&r, 0, sizeof r);
    cs_reap(&pod->c, &r);   /* waits for init, removes the cgroups, closes every fd */
    pod->live = 0;
}

/* The counters are cumulative per cgroup, which lives as long as the pod:
 * report what this command added. */
static void cgroup_facts(struct cs_pod *pod, struct cs_result *res)
{
    long pids = cs_cgroup_counter(pod->c.cgroup_pids, "pids.events", "max");
    long oom = cs_cgroup_counter(pod->c.cgroup_memory, "memory.oom_control", "oom_kill");
    res->pids_max_events = pids < 0 ? -1 : pids - pod->pids_seen;
    res->oom_kills = oom < 0 ? -1 : oom - pod->oom_seen;
    if (pids >= 0) pod->pids_seen = pids;
    if (oom >= 0) pod->oom_seen = oom;
}

/* Header + two fds in one sendmsg, then the strings. */
static int send_request(int ctl, const struct cs_pod_request *h, const char *body, int out_w, int err_w)
{
    int fds[2] = { out_w, err_w };
    char control[CMSG_SPACE(sizeof fds)];
    memset(control, 0, sizeof control);
    struct iovec iov = { (void *)h, sizeof *h };
    struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control, .msg_controllen = sizeof control };
    struct cmsghdr *c = CMSG_FIRSTHDR(&m);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof fds);
    memcpy(CMSG_DATA(c), fds, sizeof fds);
    ssize_t n;
    do n = sendmsg(ctl, &m, MSG_NOSIGNAL); while (n < 0 && errno == EINTR);
    if (n != (ssize_t)sizeof *h) return -1;
    for (size_t done = 0; done < h->bytes;) {
        n = send(ctl, body + done, h->bytes - done, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return -1;
        done += (size_t)n;
    }
    return 0;
}

/* argv then envp as NUL-terminated strings in one malloc'ed block. */
static char *pack(const struct cs_command *cmd, struct cs_pod_request *h)
{
    size_t bytes = 0;
    uint32_t argc = 0, envc = 0;
    for (; cmd->argv[argc]; argc++) bytes += strlen(cmd->argv[argc]) + 1;
    for (; cmd->envp[envc]; envc++) bytes += strlen(cmd->envp[envc]) + 1;
    if (bytes > CS_POD_MAX_BYTES || (uint64_t)argc + envc > CS_POD_MAX_STRINGS) { errno = E2BIG; return NULL; }
    char *b = malloc(bytes ? bytes : 1);
    if (!b) return NULL;
    size_t at = 0;
    for (uint32_t i = 0; i < argc + envc; i++) {
        const char *s = i < argc ? cmd->argv[i] : cmd->envp[i - argc];
        size_t l = strlen(s) + 1;
        memcpy(b + at, s, l);
        at += l;
    }
    *h = (struct cs_pod_request){ CS_POD_MAGIC, argc, envc, (uint32_t)bytes, cmd->cpu_seconds };
    return b;
}

static const char *left_text(int left)
{
    if (left & CS_LEFT_PROCESS) return "a process init could not kill";
    if (left & CS_LEFT_TMP) return "left files in /tmp";
    if (left & CS_LEFT_SHM) return "left files in /dev/shm";
    if (left & CS_LEFT_MQUEUE) return "left a POSIX message queue";
    if (left & CS_LEFT_SYSV) return "left a SysV IPC object";
    return "";
}

static void retire(struct cs_pod *pod, struct cs_pod_facts *f, const char *why)
{
    cs_pod_stop(pod);
    if (f) { f->retired = 1; snprintf(f->why, sizeof f->why, "%s", why); }
}

int cs_pod_run(struct cs_pod *pod, const struct cs_command *cmd, const struct cs_policy *p,
               const struct cs_run_opts *o, cs_event_fn fn, void *ctx, struct cs_result *res,
               struct cs_pod_facts *facts, char *err, size_t errlen)
{
    memset(res, 0, sizeof *res);
    struct cs_pod_facts local;
    if (!facts) facts = &local;
    memset(facts, 0, sizeof *facts);
    facts->init_pid = pod->c.pid;
    double start = now_ms();
    if (!pod->live) { cs_errf(err, errlen, "init: this pod is not running (start a new one)"); facts->failed_layer = CS_LAYER_INIT; return -1; }
    if (!cmd || !cmd->argv || !cmd->argv[0] || cmd->argv[0][0] != '/' || !cmd->envp) {
        cs_errf(err, errlen, "config: argv[0] must be an absolute path and envp is required");
        return -1;
    }
    /* init must still be there: a dead one is an error, never a silent restart. */
    struct pollfd alive = { pod->c.pidfd, POLLIN, 0 };
    if (poll(&alive, 1, 0) != 0) {
        siginfo_t si;
        memset(&si, 0, sizeof si);
        waitid((idtype_t)3 /* P_PIDFD */, (id_t)pod->c.pidfd, &si, WEXITED | WNOHANG | WNOWAIT | __WALL);
        cs_errf(err, errlen, "init: the sandbox's init process (pid %d) %s %d before this command; the next command starts a new one",
                pod->c.pid, si.si_code == CLD_EXITED ? "had exited with status" : "had been killed by signal", si.si_status);
        retire(pod, facts, "init died");
        facts->failed_layer = CS_LAYER_INIT;
        return -1;
    }

    struct cs_pod_request h;
    char *body = pack(cmd, &h);
    if (!body) {
        cs_errf(err, errlen, errno == E2BIG ? "config: the command and its environment exceed %u bytes" : "out of memory",
                CS_POD_MAX_BYTES);
        return -1;
    }
    int out[2], errp[2];
    if (pipe2(out, O_CLOEXEC) != 0) { free(body); cs_errf(err, errlen, "pipe: %s", strerror(errno)); return -1; }
    if (pipe2(errp, O_CLOEXEC) != 0) {
        close(out[0]); close(out[1]); free(body);
        cs_errf(err, errlen, "pipe: %s", strerror(errno));
        return -1;
    }
    int sent = send_request(pod->c.ctl_fd, &h, body, out[1], errp[1]);
    int send_errno = errno;
    free(body);
    close(out[1]); close(errp[1]);   /* init and the command hold the write ends now */
    int ofd = out[0], efd = errp[0];
    fcntl(ofd, F_SETFL, O_NONBLOCK);
    fcntl(efd, F_SETFL, O_NONBLOCK);
    if (sent != 0) {
        close(ofd); close(efd);
        cs_errf(err, errlen, "init: the sandbox's init process (pid %d) did not take the command: %s", pod->c.pid, strerror(send_errno));
        retire(pod, facts, "init gone");
        facts->failed_layer = CS_LAYER_INIT;
        return -1;
    }
    pod->commands++;

    double deadline = o && o->timeout_ms > 0 ? start + o->timeout_ms : 0;
    char *ob = o ? o->out : NULL, *eb = o ? o->err : NULL;
    size_t ocap = o ? o->out_cap : 0, ecap = o ? o->err_cap : 0;
    struct cs_pod_reply rep;
    size_t got = 0;
    int init_gone = 0, answered = 0;
    while (!answered && !init_gone) {
        struct pollfd pf[5] = {
            { ofd, POLLIN, 0 }, { efd, POLLIN, 0 }, { pod->c.notify_fd, POLLIN, 0 },
            { pod->c.ctl_fd, POLLIN, 0 }, { pod->c.pidfd, POLLIN, 0 } };
        int wait = -1;
        if (deadline) {
            double t = now_ms();
            if (t >= deadline) {
                /* The whole pod goes: every process of the command's tree dies
                 * with init, whatever it did to its process group or session. */
                res->timed_out = 1;
                cs_kill(&pod->c);
                deadline = 0;
                continue;
            }
            wait = (int)(deadline - t) + 1;
        }
        int n = poll(pf, 5, wait);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            int e = errno;
            close(ofd); close(efd);
            retire(pod, facts, "poll");
            cs_errf(err, errlen, "init: supervising the command: poll: %s", strerror(e));
            facts->failed_layer = CS_LAYER_INIT;
            return -1;
        }
        if (pf[0].revents) cs_pump_output(&ofd, ob, ocap, &res->out_len, &res->out_total);
        if (pf[1].revents) cs_pump_output(&efd, eb, ecap, &res->err_len, &res->err_total);
        if (pf[2].revents & POLLIN) {
            struct cs_event ev;
            if (cs_notify_handle(pod->c.notify_fd, p, &ev) == 0) {
                res->events++;
                if (fn) fn(ctx, &ev);
            }
        }
        if (pf[3].revents & (POLLIN | POLLHUP | POLLERR)) {
            ssize_t k = read(pod->c.ctl_fd, (char *)&rep + got, sizeof rep - got);
            if (k > 0) got += (size_t)k;
            if (got == sizeof rep) answered = 1;
            else if (k == 0 || (k < 0 && errno != EINTR && errno != EAGAIN)) init_gone = 1;
        }
        if (pf[4].revents) init_gone = 1;
    }
    /* Every writer of the pipes is dead now (init killed the rest before it
     * answered, or the namespace died with init): read them to EOF. */
    double drain_until = now_ms() + 200;
    while (ofd >= 0 || efd >= 0) {
        struct pollfd pf[2] = { { ofd, POLLIN, 0 }, { efd, POLLIN, 0 } };
        double t = now_ms();
        if (t >= drain_until) {   /* a late wake-up: still take what is in the pipes */
            if (ofd >= 0) cs_pump_output(&ofd, ob, ocap, &res->out_len, &res->out_total);
            if (efd >= 0) cs_pump_output(&efd, eb, ecap, &res->err_len, &res->err_total);
            break;
        }
        int n = poll(pf, 2, (int)(drain_until - t) + 1);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        if (pf[0].revents) cs_pump_output(&ofd, ob, ocap, &res->out_len, &res->out_total);
        if (pf[1].revents) cs_pump_output(&efd, eb, ecap, &res->err_len, &res->err_total);
    }
    if (ofd >= 0) close(ofd);
    if (efd >= 0) close(efd);

    if (answered && rep.type == CS_POD_DONE) {
        if (WIFEXITED(rep.status)) { res->exited = 1; res->exit_code = WEXITSTATUS(rep.status); }
        if (WIFSIGNALED(rep.status)) { res->signaled = 1; res->signal = WTERMSIG(rep.status); }
        res->exec_errno = rep.exec_errno;
        cgroup_facts(pod, res);
        if (rep.left) retire(pod, facts, left_text(rep.left));
        res->wall_ms = now_ms() - start;
        return 0;
    }
    if (answered) {   /* init could not start the command (clone, setsid, rlimit, ...) */
        cs_errf(err, errlen, "%s: the sandbox's init could not start the command: %s (%s)", cs_layer_name(rep.layer),
                strerror(rep.err), cs_errno_name(rep.err));
        cgroup_facts(pod, res);
        retire(pod, facts, "start failed");
        facts->failed_layer = rep.layer ? rep.layer : CS_LAYER_INIT;
        return -1;
    }
    /* init is gone (or hung up): our timeout, the memory cgroup's OOM killer,
     * or something that should not happen. */
    cgroup_facts(pod, res);
    long oom = res->oom_kills;
    int timed_out = res->timed_out;
    retire(pod, facts, timed_out ? "timeout" : "init died");
    res->wall_ms = now_ms() - start;
    if (timed_out || oom > 0) {
        /* A limit the command hit: a result, as when cs_run kills a sandbox. */
        res->killed = 1;
        res->signaled = 1;
        res->signal = SIGKILL;
        return 0;
    }
    cs_errf(err, errlen, "init: the sandbox's init process (pid %d) died during the command; nothing of it survives, and the next command starts a new one",
            facts->init_pid);
    facts->failed_layer = CS_LAYER_INIT;
    return -1;
}
