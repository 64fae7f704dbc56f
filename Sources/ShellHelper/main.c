/*
 * terrarium-sandbox — the shell supervisor's launcher process.
 *
 * cs_spawn clones the calling process, and the sandbox's init forks the command from
 * that copy: both copy the caller's page tables, so the cost of a command grows with the
 * caller's memory (measured: 2.8 ms from an empty process, 5.5 ms with 30 MB touched,
 * 14 ms with 100 MB). A Terrarium process holds its worlds in memory, so it does not call
 * cs_spawn itself: it starts this small program once and hands it each command.
 *
 * Protocol (one machine, native byte order): fd 3 is a unix socket to the supervisor. For
 * each command the supervisor sends one byte with a connected socket attached
 * (SCM_RIGHTS); this process answers on that socket from a thread of its own (the
 * sandbox's PDEATHSIG follows that thread, which lives until the command is reaped):
 *   request:  see read_request() — ints, then length-prefixed strings
 *   response: i32 status (0 ran, 1 a layer failed), i32 layer, i32 errno, str message,
 *             struct cs_result, u32 n, n × struct cs_event, u32 dropped, u32 local,
 *             f64 spawn_ms, f64 run_ms, str stdout, str stderr
 * It dies with the supervisor (PR_SET_PDEATHSIG), and its sandboxes die with it.
 *
 * Usage: terrarium-sandbox POLICY SUPERVISOR_PID
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>
#include "csandbox.h"

static struct cs_policy *policy;

/* ------------------------------------------------------------ buffers */

struct buf { char *p; size_t len, cap; };

static void put(struct buf *b, const void *data, size_t n)
{
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 4096;
        while (cap < b->len + n) cap *= 2;
        b->p = realloc(b->p, cap);
        if (!b->p) abort();
        b->cap = cap;
    }
    memcpy(b->p + b->len, data, n);
    b->len += n;
}
static void put_i32(struct buf *b, int32_t v) { put(b, &v, sizeof v); }
static void put_u32(struct buf *b, uint32_t v) { put(b, &v, sizeof v); }
static void put_f64(struct buf *b, double v) { put(b, &v, sizeof v); }
static void put_str(struct buf *b, const char *s, size_t n) { put_u32(b, (uint32_t)n); put(b, s, n); }

struct reader { const char *p; size_t len, at; int bad; };

static const void *take(struct reader *r, size_t n)
{
    if (r->bad || r->len - r->at < n) { r->bad = 1; return NULL; }
    const void *p = r->p + r->at;
    r->at += n;
    return p;
}
static int64_t take_i64(struct reader *r) { int64_t v = 0; const void *p = take(r, 8); if (p) memcpy(&v, p, 8); return v; }
static int32_t take_i32(struct reader *r) { int32_t v = 0; const void *p = take(r, 4); if (p) memcpy(&v, p, 4); return v; }
/* A NUL-terminated copy (freed with the request). */
static char *take_str(struct reader *r)
{
    uint32_t n = (uint32_t)take_i32(r);
    const char *p = take(r, n);
    if (!p) return NULL;
    char *s = malloc(n + 1);
    if (!s) abort();
    memcpy(s, p, n);
    s[n] = 0;
    return s;
}

static int read_all(int fd, void *p, size_t n)
{
    size_t done = 0;
    while (done < n) {
        ssize_t k = read(fd, (char *)p + done, n - done);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) return -1;
        done += (size_t)k;
    }
    return 0;
}
static int write_all(int fd, const void *p, size_t n)
{
    size_t done = 0;
    while (done < n) {
        ssize_t k = write(fd, (const char *)p + done, n - done);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) return -1;
        done += (size_t)k;
    }
    return 0;
}

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

/* ------------------------------------------------------------ one command */

struct events { struct cs_event *ev; uint32_t n, max, dropped, local; };

static void on_event(void *ctx, const struct cs_event *ev)
{
    struct events *e = ctx;
    /* Address calls on unix sockets continue: local IPC, not attempts (counted only). */
    if (ev->decision == CS_DECIDE_CONTINUE && (ev->sock_domain == 1 || ev->family == 1)) { e->local++; return; }
    if (e->n >= e->max) { e->dropped++; return; }
    e->ev[e->n++] = *ev;
}

/* One request: the pod's configuration (used when a pod is started) and the
 * command. Strings are NUL-terminated copies owned by the request. */
struct request {
    struct cs_config cfg;
    long command_cpu;
    int timeout_ms, out_cap;
    uint32_t max_events;
    char *workspace, *home, *rootfs, *hostname, *cg_pids, *cg_mem;
    char **argv, **envp, **bind_strings;
    uint32_t argc, envc, nbinds;
    struct cs_bind *binds;
};

static void request_free(struct request *q)
{
    for (uint32_t i = 0; q->argv && i < q->argc; i++) free(q->argv[i]);
    for (uint32_t i = 0; q->envp && i < q->envc; i++) free(q->envp[i]);
    for (uint32_t i = 0; q->bind_strings && i < 2 * q->nbinds; i++) free(q->bind_strings[i]);
    free(q->argv); free(q->envp); free(q->binds); free(q->bind_strings);
    free(q->workspace); free(q->home); free(q->rootfs); free(q->hostname); free(q->cg_pids); free(q->cg_mem);
}

/* Returns 0, or -1 when the request is malformed. */
static int request_parse(struct reader *r, struct request *q)
{
    memset(q, 0, sizeof *q);
    struct cs_config *cfg = &q->cfg;
    cfg->uid = (uid_t)take_i32(r);
    cfg->gid = (gid_t)take_i32(r);
    q->timeout_ms = take_i32(r);
    q->out_cap = take_i32(r);
    q->max_events = (uint32_t)take_i32(r);
    cfg->flags = (unsigned)take_i32(r);
    cfg->limits.nofile = take_i64(r);
    cfg->limits.fsize_bytes = take_i64(r);
    q->command_cpu = take_i64(r);
    cfg->limits.tmp_bytes = take_i64(r);
    cfg->limits.pids_max = take_i64(r);
    cfg->limits.memory_max_bytes = take_i64(r);
    q->workspace = take_str(r); q->home = take_str(r); q->rootfs = take_str(r); q->hostname = take_str(r);
    q->cg_pids = take_str(r); q->cg_mem = take_str(r);
    q->argc = (uint32_t)take_i32(r);
    if (q->argc > 65536) { r->bad = 1; q->argc = 0; }
    q->argv = calloc(q->argc + 1u, sizeof *q->argv);
    for (uint32_t i = 0; q->argv && i < q->argc && !r->bad; i++) q->argv[i] = take_str(r);
    q->envc = (uint32_t)take_i32(r);
    if (q->envc > 65536) { r->bad = 1; q->envc = 0; }
    q->envp = calloc(q->envc + 1u, sizeof *q->envp);
    for (uint32_t i = 0; q->envp && i < q->envc && !r->bad; i++) q->envp[i] = take_str(r);
    q->nbinds = (uint32_t)take_i32(r);
    if (q->nbinds > 4096) { r->bad = 1; q->nbinds = 0; }
    q->binds = calloc(q->nbinds + 1u, sizeof *q->binds);
    q->bind_strings = calloc(2u * q->nbinds + 1u, sizeof *q->bind_strings);
    for (uint32_t i = 0; q->binds && q->bind_strings && i < q->nbinds && !r->bad; i++) {
        q->bind_strings[2 * i] = take_str(r);
        q->bind_strings[2 * i + 1] = take_str(r);
        q->binds[i] = (struct cs_bind){ q->bind_strings[2 * i], q->bind_strings[2 * i + 1], 0 };
    }
    /* the most CPU any command of the pod may get (init's own hard limit) */
    cfg->limits.cpu_seconds = take_i64(r);
    if (r->bad || !q->argv || !q->envp || !q->binds || !q->bind_strings || q->out_cap < 0 || q->max_events > 100000 ||
        !q->hostname || !q->cg_pids || !q->cg_mem)
        return -1;
    cfg->argv = (const char *const *)q->argv;
    cfg->envp = (const char *const *)q->envp;
    cfg->workspace = q->workspace; cfg->home = q->home; cfg->rootfs = q->rootfs;
    cfg->hostname = q->hostname[0] ? q->hostname : NULL;
    cfg->binds = q->binds; cfg->nbinds = q->nbinds;
    cfg->policy = policy;
    if (q->cg_pids[0]) cfg->limits.cgroup_pids_parent = q->cg_pids;
    if (q->cg_mem[0]) cfg->limits.cgroup_memory_parent = q->cg_mem;
    return 0;
}

static void put_failure(struct buf *out, int layer, int code, const char *msg)
{
    put_i32(out, 1); put_i32(out, layer); put_i32(out, code);
    put_str(out, msg, strlen(msg));
}

/* One command in the connection's pod (started first when there is none). */
static void handle(struct cs_pod *pod, const struct request *q, struct buf *out)
{
    char err[512] = { 0 };
    double t0 = now_ms(), start_ms = 0;
    int started = 0;
    if (!pod->live) {
        if (cs_pod_start(&q->cfg, pod, err, sizeof err) != 0) {
            put_failure(out, pod->c.failed_layer, pod->c.failed_errno, err);
            return;
        }
        started = 1;
        start_ms = now_ms() - t0;
    }
    char *obuf = malloc((size_t)q->out_cap + 1), *ebuf = malloc((size_t)q->out_cap + 1);
    struct events ev = { 0 };
    ev.max = q->max_events;
    ev.ev = calloc(q->max_events + 1u, sizeof *ev.ev);
    if (!obuf || !ebuf || !ev.ev) abort();
    struct cs_run_opts opts = { .timeout_ms = q->timeout_ms, .out = obuf, .out_cap = (size_t)q->out_cap,
                                .err = ebuf, .err_cap = (size_t)q->out_cap };
    struct cs_command cmd = { (const char *const *)q->argv, (const char *const *)q->envp, q->command_cpu };
    struct cs_result res;
    struct cs_pod_facts facts;
    double t1 = now_ms();
    int rc = cs_pod_run(pod, &cmd, policy, &opts, on_event, &ev, &res, &facts, err, sizeof err);
    double t2 = now_ms();
    if (rc != 0) {
        put_failure(out, facts.failed_layer, 0, err);
    } else {
        put_i32(out, 0); put_i32(out, 0); put_i32(out, 0); put_str(out, "", 0);
        put(out, &res, sizeof res);
        put_u32(out, ev.n);
        put(out, ev.ev, sizeof *ev.ev * ev.n);
        put_u32(out, ev.dropped);
        put_u32(out, ev.local);
        put_f64(out, start_ms);
        put_f64(out, t2 - t1);
        put_str(out, obuf, res.out_len < (size_t)q->out_cap ? res.out_len : (size_t)q->out_cap);
        put_str(out, ebuf, res.err_len < (size_t)q->out_cap ? res.err_len : (size_t)q->out_cap);
        put_i32(out, facts.init_pid);
        put_i32(out, started);
        put_i32(out, facts.retired);
        put_str(out, facts.why, strlen(facts.why));
    }
    free(obuf); free(ebuf); free(ev.ev);
}

/* One connection = one episode's shell: a pod kept between its commands.
 * This thread lives as long as the pod (init's PDEATHSIG follows it); when
 * the supervisor closes the connection, the pod is stopped and the thread
 * answers with EOF, so the supervisor can wait until everything is gone. */
static void *serve(void *arg)
{
    int fd = (int)(intptr_t)arg;
    struct cs_pod pod;
    memset(&pod, 0, sizeof pod);
    pod.c.pidfd = -1;
    for (;;) {
        uint32_t size;
        char *req = NULL;
        if (read_all(fd, &size, 4) != 0) break;   /* EOF: the episode's shell is closed */
        if (size > (64u << 20) || !(req = malloc(size)) || read_all(fd, req, size) != 0) { free(req); break; }
        struct reader r = { req, size, 0, 0 };
        struct request q;
        struct buf out = { 0 };
        if (request_parse(&r, &q) != 0) put_failure(&out, 0, EINVAL, "helper: malformed request");
        else handle(&pod, &q, &out);
        uint32_t n = (uint32_t)out.len;
        int sent = write_all(fd, &n, 4) == 0 && write_all(fd, out.p, out.len) == 0;
        free(out.p);
        request_free(&q);
        free(req);
        if (!sent) break;
    }
    cs_pod_stop(&pod);
    close(fd);
    return NULL;
}

/* ------------------------------------------------------------ main loop */

int main(int argc, char **argv)
{
    if (argc != 3) { fprintf(stderr, "usage: terrarium-sandbox POLICY SUPERVISOR_PID\n"); return 2; }
    /* Die with the supervisor (its sandboxes die with this process's threads). */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != (pid_t)atol(argv[2])) return 1;
    syscall(SYS_close_range, 4u, ~0u, 0u);
    signal(SIGPIPE, SIG_IGN);
    char err[512];
    policy = cs_policy_load(argv[1], err, sizeof err);
    if (!policy) { fprintf(stderr, "terrarium-sandbox: %s\n", err); return 3; }
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_attr_setstacksize(&attr, 256 * 1024);
    for (;;) {
        char byte;
        char control[CMSG_SPACE(sizeof(int))];
        struct iovec iov = { &byte, 1 };
        struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control, .msg_controllen = sizeof control };
        ssize_t n = recvmsg(3, &msg, MSG_CMSG_CLOEXEC);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return 0;  /* the supervisor closed its end */
        struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
        if (!c || c->cmsg_type != SCM_RIGHTS) continue;
        int fd;
        memcpy(&fd, CMSG_DATA(c), sizeof fd);
        pthread_t t;
        if (pthread_create(&t, &attr, serve, (void *)(intptr_t)fd) != 0) close(fd);
    }
}
