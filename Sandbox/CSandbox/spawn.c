/*
 * spawn.c — the parent side of cs_spawn: validate the config, turn it into a
 * plan of mount/landlock/rlimit steps (all strings formatted here, where
 * malloc is allowed), clone into new namespaces, attach cgroups, and wait until the child reports READY (or which layer failed).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/landlock.h>
#include <linux/seccomp.h>
#include "internal.h"

#define OLD "/.oldroot"        /* where the host root sits between pivot_root and detach */
#define STAGE "/tmp"           /* host mount point of the new root tmpfs (private mount ns) */

/* ------------------------------------------------------------ plan building */

static const char *str(struct cs_plan *p, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    size_t room = sizeof p->strings - p->used;
    int n = vsnprintf(p->strings + p->used, room, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= room) { p->overflow = 1; return NULL; }
    const char *s = p->strings + p->used;
    p->used += (size_t)n + 1;
    return s;
}

static int op(struct cs_plan *p, int kind, int layer, const char *src, const char *dst,
              const char *fstype, unsigned long flags, const char *data, unsigned mode)
{
    if (p->nops >= CS_MAX_OPS || !dst) { p->overflow = 1; return -1; }
    p->ops[p->nops++] = (struct cs_op){ kind, layer, src, dst, fstype, data, flags, mode };
    return 0;
}

/* The mount flags a bind must keep: in a user namespace the kernel refuses a
 * remount that would clear a locked nosuid/nodev/noexec/rdonly/atime flag. */
static unsigned long kept_flags(const char *host)
{
    struct statvfs sv;
    if (statvfs(host, &sv) != 0) return 0;
    unsigned long f = 0;
    if (sv.f_flag & ST_NOSUID) f |= MS_NOSUID;
    if (sv.f_flag & ST_NODEV) f |= MS_NODEV;
    if (sv.f_flag & ST_NOEXEC) f |= MS_NOEXEC;
    if (sv.f_flag & ST_RDONLY) f |= MS_RDONLY;
    if (sv.f_flag & ST_NOATIME) f |= MS_NOATIME;
    if (sv.f_flag & ST_NODIRATIME) f |= MS_NODIRATIME;
    if (sv.f_flag & ST_RELATIME) f |= MS_RELATIME;
    return f;
}

/* mkdir -p of an inside path (each component is one op; EEXIST is fine). */
static int mkdirs(struct cs_plan *p, const char *path, int upto_parent)
{
    char buf[PATH_MAX];
    snprintf(buf, sizeof buf, "%s", path);
    size_t n = strlen(buf);
    for (size_t i = 1; i <= n; i++) {
        if (buf[i] != '/' && buf[i] != '\0') continue;
        if (buf[i] == '\0' && upto_parent) break;
        char c = buf[i];
        buf[i] = '\0';
        if (op(p, OP_MKDIR, CS_LAYER_MOUNT, NULL, str(p, "%s", buf), NULL, 0, NULL, 0755)) return -1;
        buf[i] = c;
    }
    return 0;
}

/* Bind host path `host` (already realpath'ed) at inside path `dst`. */
static int bind_path(struct cs_plan *p, const char *host, const char *dst, int writable, int layer)
{
    struct stat st;
    if (stat(host, &st) != 0) return -1;
    int isdir = S_ISDIR(st.st_mode);
    if (mkdirs(p, dst, !isdir)) return -1;
    if (!isdir && op(p, OP_MKFILE, layer, NULL, str(p, "%s", dst), NULL, 0, NULL, 0)) return -1;
    const char *d = str(p, "%s", dst);
    if (op(p, OP_MOUNT, layer, str(p, OLD "%s", host), d, NULL, MS_BIND | MS_REC, NULL, 0)) return -1;
    unsigned long f = MS_REMOUNT | MS_BIND | MS_NOSUID | MS_NODEV | kept_flags(host);
    if (!writable) f |= MS_RDONLY;
    return op(p, OP_MOUNT, layer, NULL, d, NULL, f, NULL, 0);
}

static int valid_inside_path(const char *s)
{
    return s && s[0] == '/' && !strstr(s, "//") && !strstr(s, "/./") && !strstr(s, "/../") &&
           strlen(s) < 200 && (strlen(s) < 3 || strcmp(s + strlen(s) - 3, "/..") != 0);
}

static int landlock_abi(void)
{
    static int abi = -2;
    if (abi == -2) {
        long v = syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
        abi = v < 0 ? 0 : (int)v;
    }
    return abi;
}

/* /proc/self/stat fields 48-51: where argv and environ live, to scrub them in init. */
static void arg_area(struct cs_plan *p)
{
    char buf[2048];
    int fd = open("/proc/self/stat", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0) return;
    buf[n] = '\0';
    char *s = strrchr(buf, ')');
    if (!s) return;
    unsigned long long v[64];
    int field = 2;  /* s points just after field 2 (comm) */
    for (char *t = strtok(s + 1, " "); t && field < 51; t = strtok(NULL, " "))
        v[++field] = strtoull(t, NULL, 10);
    if (field < 51) return;
    p->arg_start = v[48]; p->arg_end = v[49]; p->env_start = v[50]; p->env_end = v[51];
}

/* Copy argv and envp (pointers and strings) into one malloc'ed block. */
static int copy_vectors(struct cs_plan *p, const char *const *argv, const char *const *envp)
{
    size_t na = 0, ne = 0, bytes = 0;
    for (; argv[na]; na++) bytes += strlen(argv[na]) + 1;
    for (; envp[ne]; ne++) bytes += strlen(envp[ne]) + 1;
    char **v = malloc((na + ne + 2) * sizeof *v + bytes);
    if (!v) return -1;
    char *s = (char *)(v + na + ne + 2);
    for (size_t i = 0; i < na + ne; i++) {
        const char *src = i < na ? argv[i] : envp[i - na];
        size_t l = strlen(src) + 1;
        memcpy(s, src, l);
        v[i < na ? i : i + 1] = s;
        s += l;
    }
    v[na] = NULL;
    v[na + ne + 1] = NULL;
    p->vecs = (char *)v;
    p->argv = v;
    p->envp = v + na + 1;
    return 0;
}

static int build_plan(struct cs_plan *p, const struct cs_config *c, char *err, size_t errlen)
{
    char ws[PATH_MAX], rootfs[PATH_MAX], host[PATH_MAX + 256];
#define FAIL(...) do { cs_errf(err, errlen, __VA_ARGS__); return -1; } while (0)
    p->pod = !!(c->flags & CS_FLAG_POD);
    if (!p->pod && (!c->argv || !c->argv[0] || c->argv[0][0] != '/')) FAIL("config: argv[0] must be an absolute path");
    if (!p->pod && !c->envp) FAIL("config: envp is required (it may be empty)");
    if (!c->policy) FAIL("config: a policy is required");
    if (!valid_inside_path(c->home) || strcmp(c->home, "/") == 0) FAIL("config: home must be a normalized absolute path");
    if (!c->workspace || !realpath(c->workspace, ws)) FAIL("config: workspace %s: %s", c->workspace ? c->workspace : "(null)", strerror(errno));
    if (!c->rootfs || !realpath(c->rootfs, rootfs)) FAIL("config: rootfs %s: %s", c->rootfs ? c->rootfs : "(null)", strerror(errno));
    if (c->uid == 0 || c->gid == 0) FAIL("config: the agent never runs as uid/gid 0");
    const char *hn = c->hostname ? c->hostname : "localhost";
    if (strlen(hn) > 64) FAIL("config: hostname too long");
    p->hostname = str(p, "%s", hn); p->hostname_len = strlen(hn);
    p->home = str(p, "%s", c->home);
    if (!p->pod && copy_vectors(p, c->argv, c->envp)) FAIL("out of memory");
    p->uid = c->uid; p->gid = c->gid;
    p->loopback_up = !!(c->flags & CS_FLAG_LOOPBACK_UP);
    p->prog = *cs_policy_prog(c->policy);

    const char *home_top_end = strchr(c->home + 1, '/');
    size_t home_top_len = home_top_end ? (size_t)(home_top_end - c->home - 1) : strlen(c->home + 1);

    /* 1. private propagation, a tmpfs for the new root, pivot into it */
    int L = CS_LAYER_MOUNT;
    op(p, OP_MOUNT, L, NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL, 0);
    op(p, OP_MOUNT, L, "tmpfs", STAGE, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755,size=1m,nr_inodes=4096", 0);
    op(p, OP_MKDIR, L, NULL, STAGE OLD, NULL, 0, NULL, 0700);
    op(p, OP_PIVOT, L, &OLD[1], STAGE, NULL, 0, NULL, 0);  /* put_old relative to the new root */

    /* 2. /usr and the merged-/usr links (or directories) as on the host */
    if (bind_path(p, "/usr", "/usr", 0, L)) FAIL("mount plan: /usr");
    static const char *const tops[] = { "bin", "sbin", "lib", "lib64", "lib32", "libx32" };
    for (size_t i = 0; i < sizeof tops / sizeof *tops; i++) {
        char path[64], target[PATH_MAX];
        struct stat st;
        snprintf(path, sizeof path, "/%s", tops[i]);
        if (lstat(path, &st) != 0) continue;
        if (S_ISLNK(st.st_mode)) {
            ssize_t n = readlink(path, target, sizeof target - 1);
            if (n <= 0) continue;
            target[n] = '\0';
            op(p, OP_SYMLINK, L, str(p, "%s", target), str(p, "%s", path), NULL, 0, NULL, 0);
        } else if (S_ISDIR(st.st_mode) && bind_path(p, path, path, 0, L)) FAIL("mount plan: %s", path);
    }

    /* 3. the skeleton: every top-level directory, read-only */
    DIR *d = opendir(rootfs);
    if (!d) FAIL("config: rootfs %s: %s", rootfs, strerror(errno));
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] == '.') continue;
        snprintf(host, sizeof host, "%s/%s", rootfs, e->d_name);
        struct stat st;
        if (lstat(host, &st) != 0 || !S_ISDIR(st.st_mode)) continue;
        static const char *const reserved[] = { "usr", "bin", "sbin", "lib", "lib64", "proc", "dev", "tmp" };
        int bad = strlen(e->d_name) == home_top_len && strncmp(e->d_name, c->home + 1, home_top_len) == 0;
        for (size_t i = 0; i < sizeof reserved / sizeof *reserved; i++) bad |= strcmp(e->d_name, reserved[i]) == 0;
        if (bad) { closedir(d); FAIL("config: rootfs must not contain /%s (the sandbox builds it)", e->d_name); }
        const char *dst = str(p, "/%s", e->d_name);
        if (!dst || bind_path(p, host, dst, 0, L)) { closedir(d); FAIL("mount plan: %s", host); }
    }
    closedir(d);

    /* 4. extra binds (e.g. /etc/alternatives, /etc/ld.so.cache) */
    for (size_t i = 0; i < c->nbinds; i++) {
        const struct cs_bind *b = &c->binds[i];
        if (!b->src || !realpath(b->src, host)) FAIL("config: bind %s: %s", b->src ? b->src : "(null)", strerror(errno));
        if (!valid_inside_path(b->dst)) FAIL("config: bind destination %s", b->dst ? b->dst : "(null)");
        if (bind_path(p, host, b->dst, b->writable, L)) FAIL("mount plan: bind %s", b->dst);
    }

    /* 5. /dev: a read-only tmpfs with five bound nodes, /proc links, /dev/shm */
    char opts[128];
    op(p, OP_MKDIR, L, NULL, "/dev", NULL, 0, NULL, 0755);
    op(p, OP_MOUNT, L, "tmpfs", "/dev", "tmpfs", MS_NOSUID | MS_NOEXEC | MS_NODEV, "mode=0755,size=64k,nr_inodes=64", 0);
    static const char *const nodes[] = { "null", "zero", "full", "random", "urandom" };
    for (size_t i = 0; i < 5; i++) {
        const char *dn = str(p, "/dev/%s", nodes[i]);
        op(p, OP_MKFILE, L, NULL, dn, NULL, 0, NULL, 0);
        op(p, OP_MOUNT, L, str(p, OLD "/dev/%s", nodes[i]), dn, NULL, MS_BIND, NULL, 0);
    }
    op(p, OP_SYMLINK, L, "/proc/self/fd", "/dev/fd", NULL, 0, NULL, 0);
    op(p, OP_SYMLINK, L, "/proc/self/fd/0", "/dev/stdin", NULL, 0, NULL, 0);
    op(p, OP_SYMLINK, L, "/proc/self/fd/1", "/dev/stdout", NULL, 0, NULL, 0);
    op(p, OP_SYMLINK, L, "/proc/self/fd/2", "/dev/stderr", NULL, 0, NULL, 0);
    op(p, OP_MKDIR, L, NULL, "/dev/shm", NULL, 0, NULL, 0755);
    snprintf(opts, sizeof opts, "mode=1777,size=%ld,nr_inodes=4096", c->limits.shm_bytes ? c->limits.shm_bytes : 16L << 20);
    op(p, OP_MOUNT, L, "tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, str(p, "%s", opts), 0);
    op(p, OP_MOUNT, L, NULL, "/dev", NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NOEXEC | MS_NODEV, NULL, 0);

    /* 6. a fresh /proc for the new pid namespace; its kernel knobs read-only */
    op(p, OP_MKDIR, L, NULL, "/proc", NULL, 0, NULL, 0555);
    op(p, OP_MOUNT, L, "proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL, 0);
    static const char *const knobs[] = { "/proc/sys", "/proc/sysrq-trigger", "/proc/irq", "/proc/bus" };
    for (size_t i = 0; i < 4; i++) {
        if (access(knobs[i], F_OK) != 0) continue;
        op(p, OP_MOUNT, L, knobs[i], knobs[i], NULL, MS_BIND | MS_REC, NULL, 0);
        op(p, OP_MOUNT, L, NULL, knobs[i], NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL, 0);
    }

    /* 7. /tmp and the workspace at home */
    op(p, OP_MKDIR, L, NULL, "/tmp", NULL, 0, NULL, 01777);
    snprintf(opts, sizeof opts, "mode=1777,size=%ld,nr_inodes=%ld",
             c->limits.tmp_bytes ? c->limits.tmp_bytes : 64L << 20, c->limits.tmp_inodes ? c->limits.tmp_inodes : 16384);
    op(p, OP_MOUNT, L, "tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, str(p, "%s", opts), 0);
    if (bind_path(p, ws, p->home, 1, L)) FAIL("mount plan: workspace");

    /* 7b. pods: init keeps a descriptor of this IPC namespace's POSIX message
     * queue filesystem, mounted only long enough to open it, so it can see
     * queues a command left behind (they outlive processes, like files). */
    if (p->pod) {
        op(p, OP_MKDIR, L, NULL, "/.mqueue", NULL, 0, NULL, 0700);
        op(p, OP_MOUNT, L, "mqueue", "/.mqueue", "mqueue", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL, 0);
        op(p, OP_KEEPDIR, L, NULL, "/.mqueue", NULL, 0, NULL, 0);
        op(p, OP_UMOUNT, L, NULL, "/.mqueue", NULL, 0, NULL, 0);
        op(p, OP_RMDIR, L, NULL, "/.mqueue", NULL, 0, NULL, 0);
    }

    /* 8. forget the host: detach the old root, make / read-only */
    op(p, OP_UMOUNT, L, NULL, OLD, NULL, 0, NULL, 0);
    op(p, OP_RMDIR, L, NULL, OLD, NULL, 0, NULL, 0);
    op(p, OP_MOUNT, L, NULL, "/", NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV, NULL, 0);

    /* rlimits: soft = hard, so the kernel kills rather than warns */
    const struct cs_limits *l = &c->limits;
    struct { int r; long v; } rls[] = { { RLIMIT_NOFILE, l->nofile }, { RLIMIT_FSIZE, l->fsize_bytes },
        { RLIMIT_CPU, l->cpu_seconds }, { RLIMIT_AS, l->as_bytes }, { RLIMIT_NPROC, l->nproc } };
    p->rl[p->nrl].resource = RLIMIT_CORE; p->rl[p->nrl++].value = 0;
    for (size_t i = 0; i < 5; i++)
        if (rls[i].v > 0) { p->rl[p->nrl].resource = rls[i].r; p->rl[p->nrl++].value = (uint64_t)rls[i].v; }

    /* Landlock: read+exec on /, everything on home, /tmp, /dev/shm, writable binds */
    int abi = landlock_abi();
    if (abi < 1 && !(c->flags & CS_FLAG_LANDLOCK_OPTIONAL)) FAIL("landlock: not available on this kernel");
    if (abi >= 1) {
        uint64_t all = (1ULL << 13) - 1, file = LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_READ_FILE;
        if (abi >= 2) all |= CS_LL_FS_REFER;
        if (abi >= 3) { all |= CS_LL_FS_TRUNCATE; file |= CS_LL_FS_TRUNCATE; }
        if (abi >= 5) { all |= CS_LL_FS_IOCTL_DEV; file |= CS_LL_FS_IOCTL_DEV; }
        p->landlock = 1;
        p->ll_fs = all;
        p->ll_net = (abi >= 4 && !(c->flags & CS_FLAG_NO_LANDLOCK_NET)) ? CS_LL_NET_BIND_TCP | CS_LL_NET_CONNECT_TCP : 0;
        p->ll_scope = abi >= 6 ? CS_LL_SCOPE_ABSTRACT_UNIX | CS_LL_SCOPE_SIGNAL : 0;
#define RULE(path_, acc_) do { p->ll[p->nll].path = (path_); p->ll[p->nll++].access = (acc_); } while (0)
        RULE("/", LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR);
        RULE(p->home, all);
        RULE("/tmp", all);
        RULE("/dev/shm", all);
        for (size_t i = 0; i < 5; i++) RULE(str(p, "/dev/%s", nodes[i]), file & ~(uint64_t)LANDLOCK_ACCESS_FS_EXECUTE);
        for (size_t i = 0; i < c->nbinds && p->nll < CS_MAX_LL; i++)
            if (c->binds[i].writable) RULE(c->binds[i].dst, all);
    }
    if (p->overflow) FAIL("plan: too many steps or paths (CS_MAX_OPS / strings)");
    arg_area(p);
    return 0;
#undef FAIL
}

/* ------------------------------------------------------------ cgroups, maps */

static int write_file(const char *path, const char *fmt, ...)
{
    char buf[128];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    ssize_t w = write(fd, buf, (size_t)n);
    int e = errno;
    close(fd);
    errno = e;
    return w == n ? 0 : -1;
}

/* mkdir <parent>/terrarium-<pid>-<n>, set the limit, move init in. */
static int cgroup_join(char *dir, size_t dlen, const char *parent, const char *knob, long value, pid_t pid)
{
    static unsigned counter;
    snprintf(dir, dlen, "%s/terrarium-%d-%u", parent, (int)getpid(), __atomic_fetch_add(&counter, 1, __ATOMIC_RELAXED));
    if (mkdir(dir, 0755) != 0) { dir[0] = '\0'; return -1; }
    char path[320];
    if (value > 0) {
        snprintf(path, sizeof path, "%s/%s", dir, knob);
        if (write_file(path, "%ld", value) != 0) return -1;
        if (strcmp(knob, "memory.limit_in_bytes") == 0) {   /* no swap either, when accounted */
            snprintf(path, sizeof path, "%s/memory.memsw.limit_in_bytes", dir);
            if (write_file(path, "%ld", value) != 0 && errno != ENOENT) return -1;
        }
    }
    snprintf(path, sizeof path, "%s/cgroup.procs", dir);
    return write_file(path, "%d", (int)pid);
}

/* ------------------------------------------------------------ cs_spawn */

/* Keep our pipe ends off 0..2 so the child's dup2 onto stdio cannot clobber one. */
static int above2(int fd)
{
    if (fd < 0 || fd > 2) return fd;
    int n = fcntl(fd, F_DUPFD_CLOEXEC, 3);
    close(fd);
    return n;
}

static void describe_failure(const struct cs_plan *p, const struct cs_msg *m, char *err, size_t len)
{
    const char *what = "";
    char buf[300] = "";
    if (m->layer == CS_LAYER_MOUNT && m->value >= 0 && m->value < p->nops) {
        const struct cs_op *o = &p->ops[m->value];
        static const char *const kinds[] = { "mkdir", "create", "symlink", "mount", "pivot_root", "umount", "rmdir", "open" };
        snprintf(buf, sizeof buf, "%s %s%s%s", kinds[o->kind], o->src && o->kind != OP_PIVOT ? o->src : "",
                 o->src && o->kind != OP_PIVOT ? " -> " : "", o->dst ? o->dst : "");
        what = buf;
    } else {
        snprintf(buf, sizeof buf, "step %d", m->value);
        what = buf;
    }
    cs_errf(err, len, "%s: %s: %s (%s)", cs_layer_name(m->layer), what, strerror(m->err), cs_errno_name(m->err));
}

int cs_spawn(const struct cs_config *cfg, struct cs_child *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    out->pid = -1;
    out->pidfd = out->stdout_fd = out->stderr_fd = out->notify_fd = out->status_fd = out->ctl_fd = -1;
    struct cs_plan *p = calloc(1, sizeof *p);
    if (!p) { cs_errf(err, errlen, "out of memory"); return -1; }
    int ret = -1, sync_w = -1, status_r = -1;
    int fds[8] = { -1, -1, -1, -1, -1, -1, -1, -1 };   /* sync, status, out, err pipes */
    p->sync_r = p->status_w = p->out_w = p->err_w = p->null_r = p->ctl = -1;
    if (build_plan(p, cfg, err, errlen) != 0) goto done;
    p->userns = geteuid() != 0 || (cfg->flags & CS_FLAG_USERNS);
    if (p->userns) {
        p->uid_map = str(p, "%u %u 1\n", (unsigned)cfg->uid, (unsigned)geteuid());
        p->gid_map = str(p, "%u %u 1\n", (unsigned)cfg->gid, (unsigned)getegid());
    }
    /* The child waits for a "go" after READY when the parent has work to do
     * first: cgroups to join, or (userns) the listener to take while the
     * child is still dumpable for us. */
    p->late_sync = cfg->limits.cgroup_pids_parent || cfg->limits.cgroup_memory_parent || p->userns;

    /* sync, status, then stdout and stderr pipes; a pod gets the command
     * channel (a stream socket pair: fds[4] ours, fds[5] init's) instead. */
    for (int i = 0; i < (p->pod ? 2 : 4); i++)
        if (pipe2(fds + 2 * i, O_CLOEXEC) != 0) { cs_errf(err, errlen, "pipe: %s", strerror(errno)); goto done; }
    if (p->pod && socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds + 4) != 0) {
        cs_errf(err, errlen, "socketpair: %s", strerror(errno));
        goto done;
    }
    for (int i = 0; i < 8; i++) fds[i] = above2(fds[i]);
    p->null_r = above2(open("/dev/null", O_RDONLY | O_CLOEXEC));
    if (p->null_r < 0) { cs_errf(err, errlen, "/dev/null: %s", strerror(errno)); goto done; }
    p->sync_r = fds[0]; sync_w = fds[1]; status_r = fds[2]; p->status_w = fds[3];
    if (p->pod) p->ctl = fds[5];
    else { p->out_w = fds[5]; p->err_w = fds[7]; }
    fds[1] = -1;  /* owned by sync_w from here */

    /* clone: new mount, pid, net, ipc, uts, cgroup (and user) namespaces.
     * Exit signal 0 makes it a "clone child" that a stray waitpid(-1) elsewhere
     * in the process cannot reap; we wait on the pidfd instead. All signals
     * are blocked across the call so no parent handler runs in the child. */
    unsigned long flags = CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS |
                          CLONE_NEWCGROUP | CLONE_PIDFD | (p->userns ? CLONE_NEWUSER : 0);
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    int pidfd = -1;
    long pid = syscall(SYS_clone, flags, 0, &pidfd, 0, 0);
    if (pid == 0) cs_child_main(p);
    int clone_errno = errno;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (pid < 0) {
        out->failed_layer = CS_LAYER_CLONE; out->failed_errno = clone_errno;
        cs_errf(err, errlen, "clone: %s (%s)", strerror(clone_errno), cs_errno_name(clone_errno));
        goto done;
    }
    out->pid = (pid_t)pid;
    out->pidfd = pidfd;
    close(p->sync_r); close(p->status_w); close(p->null_r);
    if (p->pod) close(p->ctl);
    else { close(p->out_w); close(p->err_w); }
    p->sync_r = p->status_w = p->out_w = p->err_w = p->null_r = p->ctl = -1;
    out->status_fd = status_r;
    if (p->pod) {
        out->ctl_fd = fds[4];
    } else {
        out->stdout_fd = fds[4]; out->stderr_fd = fds[6];
        fcntl(out->stdout_fd, F_SETFL, O_NONBLOCK);
        fcntl(out->stderr_fd, F_SETFL, O_NONBLOCK);
    }

    const struct cs_limits *l = &cfg->limits;
    if ((l->cgroup_pids_parent && cgroup_join(out->cgroup_pids, sizeof out->cgroup_pids, l->cgroup_pids_parent, "pids.max", l->pids_max, out->pid)) ||
        (l->cgroup_memory_parent && cgroup_join(out->cgroup_memory, sizeof out->cgroup_memory, l->cgroup_memory_parent, "memory.limit_in_bytes", l->memory_max_bytes, out->pid))) {
        out->failed_layer = CS_LAYER_CGROUP; out->failed_errno = errno;
        cs_errf(err, errlen, "cgroup: %s", strerror(errno));
        goto kill;
    }

    /* Wait (10 s at most) for READY or for the name of the layer that failed. */
    struct cs_msg m = { 0, 0, 0, 0 };
    struct pollfd pf = { status_r, POLLIN, 0 };
    int pr;
    do pr = poll(&pf, 1, 10000); while (pr < 0 && errno == EINTR);
    ssize_t n = pr > 0 ? read(status_r, &m, sizeof m) : -1;
    if (n == (ssize_t)sizeof m && m.type == CS_MSG_READY) {
        out->notify_fd = (int)syscall(SYS_pidfd_getfd, pidfd, m.value, 0);
        /* ESRCH: a very short command already finished and init exited.
         * Nothing can be pending then (a notified call would have blocked
         * the command), so there is simply no listener to watch. */
        if (out->notify_fd < 0 && errno == ESRCH && !p->late_sync && !p->pod) {
            ret = 0;
            goto done;
        }
        if (out->notify_fd < 0) {
            out->failed_layer = CS_LAYER_SECCOMP; out->failed_errno = errno;
            cs_errf(err, errlen, "seccomp: pidfd_getfd of the listener: %s", strerror(errno));
            goto kill;
        }
        uint64_t fl = SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP;  /* wake on the same CPU: ~8x lower latency */
        ioctl(out->notify_fd, SECCOMP_IOCTL_NOTIF_SET_FLAGS, fl);  /* EINVAL before 6.6: fine */
        if (p->late_sync && write(sync_w, "g", 1) != 1) {
            out->failed_layer = CS_LAYER_SYNC; out->failed_errno = errno;
            cs_errf(err, errlen, "sync: %s", strerror(errno));
            goto kill;
        }
        ret = 0;
        goto done;
    }
    if (n == (ssize_t)sizeof m && m.type == CS_MSG_FAIL) {
        out->failed_layer = m.layer; out->failed_errno = m.err;
        describe_failure(p, &m, err, errlen);
    } else {
        out->failed_layer = CS_LAYER_SYNC; out->failed_errno = pr == 0 ? ETIMEDOUT : EPIPE;
        cs_errf(err, errlen, "sync: the child %s before reporting", pr == 0 ? "hung" : "died");
    }
kill:
    if (!out->failed_layer) { out->failed_layer = CS_LAYER_SYNC; out->failed_errno = EPIPE; cs_errf(err, errlen, "sync: child gone"); }
    cs_kill(out);
    { struct cs_result r; cs_reap(out, &r); }
done:
    if (sync_w >= 0) close(sync_w);
    if (ret != 0 && out->pid < 0) {  /* never cloned: close everything we made */
        for (int i = 0; i < 8; i++) if (fds[i] >= 0) close(fds[i]);
        if (p->null_r >= 0) close(p->null_r);
        out->ctl_fd = -1;
    }
    free(p->vecs);
    free(p);
    return ret;
}
