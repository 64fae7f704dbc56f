/*
 * bench.c — latency of one full sandboxed `/bin/sh -c true` (cs_spawn +
 * cs_run: clone, namespaces, private root, Landlock, seccomp with listener,
 * init + command, reap) against a bare posix_spawn of the same, and against
 * bubblewrap when installed. Prints p50/p90/p99 in milliseconds.
 *
 * usage: bench <policy> <rootfs> <workspace> [runs]
 */
#define _GNU_SOURCE
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "csandbox.h"

extern char **environ;

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void report(const char *name, double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp);
    printf("%-58s p50 %6.2f ms   p90 %6.2f ms   p99 %6.2f ms   (n=%d)\n", name, v[n / 2], v[n * 9 / 10], v[n * 99 / 100], n);
}

static int spawn_wait(char *const argv[])
{
    pid_t pid;
    if (posix_spawn(&pid, argv[0], NULL, NULL, argv, environ) != 0) return -1;
    int st;
    waitpid(pid, &st, 0);
    return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

int main(int argc, char **argv)
{
    if (argc < 4) { fprintf(stderr, "usage: %s policy rootfs workspace [runs]\n", argv[0]); return 2; }
    int runs = argc > 4 ? atoi(argv[4]) : 200;
    char err[512];
    struct cs_policy *pol = cs_policy_load(argv[1], err, sizeof err);
    if (!pol) { fprintf(stderr, "%s\n", err); return 1; }

    /* The four variants run round-robin, one of each per iteration, so
     * background load on this shared machine hits them all alike. */
    char *sh[] = { "/bin/sh", "-c", "true", NULL };
    const char *cargv[] = { "/bin/sh", "-c", "true", NULL };
    const char *envp[] = { "PATH=/usr/bin:/bin", "HOME=/home/alice", NULL };
    struct cs_bind binds[] = { { "/etc/alternatives", "/etc/alternatives", 0 }, { "/etc/ld.so.cache", "/etc/ld.so.cache", 0 } };
    struct cs_config cfg[2];
    for (int k = 0; k < 2; k++) {
        cfg[k] = (struct cs_config){ .argv = cargv, .envp = envp, .workspace = argv[3], .home = "/home/alice",
                                     .rootfs = argv[2], .binds = binds, .nbinds = 2, .uid = 1000, .gid = 1000,
                                     .hostname = "ws-alice", .policy = pol, .limits = { .nofile = 1024 } };
    }
    cfg[1].limits.cgroup_pids_parent = "/sys/fs/cgroup/pids"; cfg[1].limits.pids_max = 256;
    cfg[1].limits.cgroup_memory_parent = "/sys/fs/cgroup/memory"; cfg[1].limits.memory_max_bytes = 1L << 30;
    char *bw[] = { "/usr/bin/bwrap", "--unshare-all", "--die-with-parent", "--new-session", "--ro-bind", "/usr", "/usr",
                   "--symlink", "usr/bin", "/bin", "--symlink", "usr/lib", "/lib", "--symlink", "usr/lib64", "/lib64",
                   "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp", "--bind", argv[3], "/home/alice",
                   "--uid", "1000", "--gid", "1000", "/bin/sh", "-c", "true", NULL };
    int have_bwrap = access("/usr/bin/bwrap", X_OK) == 0, bad = 0;
    double *t[8];
    for (int k = 0; k < 8; k++) t[k] = calloc((size_t)runs, sizeof(double));
    /* A pod (every layer and the cgroups built once), serving each command. */
    struct cs_pod pod;
    if (cs_pod_start(&cfg[1], &pod, err, sizeof err) != 0) { fprintf(stderr, "pod: %s\n", err); return 1; }
    int pod_restarts = 0;
    for (int i = 0; i < runs; i++) {
        double s0 = now_ms();
        bad += spawn_wait(sh) != 0;
        t[0][i] = now_ms() - s0;
        for (int k = 0; k < 2; k++) {
            struct cs_child ch;
            struct cs_result r;
            s0 = now_ms();
            if (cs_spawn(&cfg[k], &ch, err, sizeof err) != 0) { fprintf(stderr, "spawn: %s\n", err); return 1; }
            t[2 + 2 * k][i] = now_ms() - s0;
            cs_run(&ch, pol, NULL, NULL, NULL, &r);
            t[1 + 2 * k][i] = now_ms() - s0;
            bad += !(r.exited && r.exit_code == 0);
        }
        if (have_bwrap) { s0 = now_ms(); bad += spawn_wait(bw) != 0; t[5][i] = now_ms() - s0; }
        struct cs_command c = { cargv, envp, 0 };
        struct cs_result r;
        struct cs_pod_facts f;
        s0 = now_ms();
        if (cs_pod_run(&pod, &c, pol, NULL, NULL, NULL, &r, &f, err, sizeof err) != 0) { fprintf(stderr, "pod: %s\n", err); return 1; }
        t[6][i] = now_ms() - s0;
        bad += !(r.exited && r.exit_code == 0);
        if (f.retired) {
            pod_restarts++;
            if (cs_pod_start(&cfg[1], &pod, err, sizeof err) != 0) { fprintf(stderr, "pod: %s\n", err); return 1; }
        }
        /* ... and a fresh pod per command: start + run + stop */
        s0 = now_ms();
        struct cs_pod once;
        if (cs_pod_start(&cfg[1], &once, err, sizeof err) != 0) { fprintf(stderr, "pod: %s\n", err); return 1; }
        cs_pod_run(&once, &c, pol, NULL, NULL, NULL, &r, NULL, err, sizeof err);
        cs_pod_stop(&once);
        t[7][i] = now_ms() - s0;
    }
    cs_pod_stop(&pod);
    report("bare posix_spawn /bin/sh -c true", t[0], runs);
    report("csandbox, all layers (ns, root, landlock, seccomp+notify)", t[1], runs);
    report("  of which cs_spawn until READY", t[2], runs);
    report("csandbox, all layers + cgroup v1 pids+memory", t[3], runs);
    report("  of which cs_spawn until READY", t[4], runs);
    if (have_bwrap) report("bwrap --unshare-all (ro /usr, dev, proc, tmpfs, bind) sh -c true", t[5], runs);
    else printf("bwrap not installed: skipped\n");
    report("pod (per-episode init, all layers + cgroups), one command", t[6], runs);
    report("  a fresh pod per command (start + run + stop)", t[7], runs);
    if (pod_restarts) printf("(the pod was retired %d times)\n", pod_restarts);
    if (bad) printf("(%d runs did not exit 0)\n", bad);
    for (int k = 0; k < 8; k++) free(t[k]);
    cs_policy_free(pol);
    return 0;
}
