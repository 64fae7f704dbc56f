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

static void *serve(void *arg)
{
    int fd = (int)(intptr_t)arg;
    uint32_t size;
    char *req = NULL;
    if (read_all(fd, &size, 4) != 0 || size > (64u << 20) || !(req = malloc(size)) || read_all(fd, req, size) != 0) {
        free(req);
        close(fd);
        return NULL;
    }
    struct reader r = { req, size, 0, 0 };
    struct cs_config cfg = { 0 };
    cfg.uid = (uid_t)take_i32(&r);
    cfg.gid = (gid_t)take_i32(&r);
    int timeout_ms = take_i32(&r);
    int out_cap = take_i32(&r);
    uint32_t max_events = (uint32_t)take_i32(&r);
    cfg.flags = (unsigned)take_i32(&r);
    cfg.limits.nofile = take_i64(&r);
    cfg.limits.fsize_bytes = take_i64(&r);
    cfg.limits.cpu_seconds = take_i64(&r);
    cfg.limits.tmp_bytes = take_i64(&r);
    cfg.limits.pids_max = take_i64(&r);
    cfg.limits.memory_max_bytes = take_i64(&r);
    char *workspace = take_str(&r), *home = take_str(&r), *rootfs = take_str(&r), *hostname = take_str(&r);
    char *cg_pids = take_str(&r), *cg_mem = take_str(&r);
    uint32_t argc = (uint32_t)take_i32(&r);
    if (argc > 65536) { r.bad = 1; argc = 0; }
    char **argv = calloc(argc + 1u, sizeof *argv);
    for (uint32_t i = 0; i < argc && !r.bad; i++) argv[i] = take_str(&r);
    uint32_t envc = (uint32_t)take_i32(&r);
    if (envc > 65536) { r.bad = 1; envc = 0; }
    char **envp = calloc(envc + 1u, sizeof *envp);
    for (uint32_t i = 0; i < envc && !r.bad; i++) envp[i] = take_str(&r);
    uint32_t nbinds = (uint32_t)take_i32(&r);
    if (nbinds > 4096) { r.bad = 1; nbinds = 0; }
    struct cs_bind *binds = calloc(nbinds + 1u, sizeof *binds);
    char **bind_strings = calloc(2u * nbinds + 1u, sizeof *bind_strings);
    for (uint32_t i = 0; i < nbinds && !r.bad; i++) {
        bind_strings[2 * i] = take_str(&r);
        bind_strings[2 * i + 1] = take_str(&r);
        binds[i] = (struct cs_bind){ bind_strings[2 * i], bind_strings[2 * i + 1], 0 };
    }

    struct buf out = { 0 };
    char *obuf = NULL, *ebuf = NULL;
    struct events ev = { 0 };
    if (r.bad || !argv || !envp || !binds || !bind_strings || out_cap < 0 || max_events > 100000) {
        put_i32(&out, 1); put_i32(&out, 0); put_i32(&out, EINVAL);
        put_str(&out, "helper: malformed request", 25);
        goto reply;
    }
    cfg.argv = (const char *const *)argv;
    cfg.envp = (const char *const *)envp;
    cfg.workspace = workspace; cfg.home = home; cfg.rootfs = rootfs;
    cfg.hostname = hostname[0] ? hostname : NULL;
    cfg.binds = binds; cfg.nbinds = nbinds;
    cfg.policy = policy;
    if (cg_pids[0]) cfg.limits.cgroup_pids_parent = cg_pids;
    if (cg_mem[0]) cfg.limits.cgroup_memory_parent = cg_mem;

    struct cs_child child;
    char err[512] = { 0 };
    double t0 = now_ms();
    if (cs_spawn(&cfg, &child, err, sizeof err) != 0) {
        put_i32(&out, 1); put_i32(&out, child.failed_layer); put_i32(&out, child.failed_errno);
        put_str(&out, err, strlen(err));
        goto reply;
    }
    double t1 = now_ms();
    obuf = malloc((size_t)out_cap + 1);
    ebuf = malloc((size_t)out_cap + 1);
    ev.max = max_events;
    ev.ev = calloc(max_events + 1u, sizeof *ev.ev);
    if (!obuf || !ebuf || !ev.ev) abort();
    struct cs_run_opts opts = { .timeout_ms = timeout_ms, .out = obuf, .out_cap = (size_t)out_cap,
                                .err = ebuf, .err_cap = (size_t)out_cap };
    struct cs_result res;
    int rc = cs_run(&child, policy, &opts, on_event, &ev, &res);
    double t2 = now_ms();
    if (rc != 0) {
        char m[128];
        int n = snprintf(m, sizeof m, "cs_run: %s", strerror(-rc));
        put_i32(&out, 1); put_i32(&out, 0); put_i32(&out, -rc); put_str(&out, m, (size_t)n);
        goto reply;
    }
    put_i32(&out, 0); put_i32(&out, 0); put_i32(&out, 0); put_str(&out, "", 0);
    put(&out, &res, sizeof res);
    put_u32(&out, ev.n);
    put(&out, ev.ev, sizeof *ev.ev * ev.n);
    put_u32(&out, ev.dropped);
    put_u32(&out, ev.local);
    put_f64(&out, t1 - t0);
    put_f64(&out, t2 - t1);
    put_str(&out, obuf, res.out_len < (size_t)out_cap ? res.out_len : (size_t)out_cap);
    put_str(&out, ebuf, res.err_len < (size_t)out_cap ? res.err_len : (size_t)out_cap);
reply:;
    uint32_t n = (uint32_t)out.len;
    if (write_all(fd, &n, 4) == 0) write_all(fd, out.p, out.len);
    close(fd);
    free(out.p); free(obuf); free(ebuf); free(ev.ev);
    for (uint32_t i = 0; argv && i < argc; i++) free(argv[i]);
    for (uint32_t i = 0; envp && i < envc; i++) free(envp[i]);
    for (uint32_t i = 0; bind_strings && i < 2 * nbinds; i++) free(bind_strings[i]);
    free(argv); free(envp); free(binds); free(bind_strings);
    free(workspace); free(home); free(rootfs); free(hostname); free(cg_pids); free(cg_mem);
    free(req);
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
