/*
 * csandbox.h — Terrarium's kernel-confined process launcher (Linux only).
 *
 * The library starts one shell command in a fresh set of namespaces, on a
 * private read-only root, as an unprivileged user, under Landlock, rlimits,
 * optional cgroup v1 limits and a seccomp filter; the seccomp filter sends the
 * security-relevant syscalls (network, namespaces, ptrace, bpf, ...) to the
 * caller as "user notifications" so they can be recorded and denied.
 *
 * The kernel enforces; the caller only records. No allow decision ever depends
 * on memory the sandboxed process can change (see cs_notify_handle).
 *
 * Typical use (one command):
 *
 *     struct cs_policy *pol = cs_policy_load("default.policy", err, sizeof err);
 *     struct cs_config cfg = {...; .policy = pol};
 *     struct cs_child ch;
 *     if (cs_spawn(&cfg, &ch, err, sizeof err) != 0) { report err; }
 *     struct cs_result res;
 *     cs_run(&ch, pol, &opts, on_event, ctx, &res);   // output, events, timeout, reap
 *
 * Threading: cs_spawn may be called from any thread of a multi-threaded
 * process (the child only makes raw async-signal-safe syscalls). The child
 * arms PR_SET_PDEATHSIG, which fires when the *thread* that called cs_spawn
 * exits: call it from a thread that outlives the command (cs_run on the same
 * thread does that naturally).
 */
#ifndef CSANDBOX_H
#define CSANDBOX_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------- policy */

/* A parsed policy file plus the BPF program compiled from it by libseccomp.
 * Opaque; build once per process (or per scenario), share read-only. */
struct cs_policy;

/* Parse a policy file (format: see Sandbox/policy/default.policy) and compile
 * it. Returns NULL and a message in err on any error (fail closed). */
struct cs_policy *cs_policy_load(const char *path, char *err, size_t errlen);
/* Same from a NUL-terminated string (name is used in error messages). */
struct cs_policy *cs_policy_parse(const char *text, const char *name, char *err, size_t errlen);
void cs_policy_free(struct cs_policy *p);
/* Number of BPF instructions of the compiled filter (for diagnostics). */
size_t cs_policy_bpf_len(const struct cs_policy *p);

/* ---------------------------------------------------------------- spawn */

/* An extra bind mount, host path -> path inside the sandbox. The mount point
 * is created when it lies in the sandbox's own root tmpfs; inside a read-only
 * skeleton directory it must already exist there (e.g. an empty etc/alternatives). */
struct cs_bind {
    const char *src;      /* host path (resolved with realpath by cs_spawn) */
    const char *dst;      /* absolute path inside */
    int writable;         /* 0: read-only, nosuid, nodev */
};

struct cs_limits {
    long nofile;          /* RLIMIT_NOFILE; 0 = leave as inherited */
    long fsize_bytes;     /* RLIMIT_FSIZE (largest file);  0 = unlimited */
    long cpu_seconds;     /* RLIMIT_CPU (soft = hard: SIGKILL at the limit); 0 = none */
    long as_bytes;        /* RLIMIT_AS; 0 = none (prefer the memory cgroup) */
    long nproc;           /* RLIMIT_NPROC, counted per uid host-wide; 0 = none */
    long tmp_bytes;       /* size of the /tmp tmpfs; 0 = 64 MiB */
    long tmp_inodes;      /* inodes of /tmp; 0 = 16384 */
    long shm_bytes;       /* size of /dev/shm; 0 = 16 MiB */
    /* cgroup v1: a directory is created under each parent given, the sandbox's
     * init is moved into it before the command starts, and cs_run removes it. */
    const char *cgroup_pids_parent;    /* e.g. "/sys/fs/cgroup/pids"; NULL = none */
    long pids_max;                     /* pids.max (0 = do not write) */
    const char *cgroup_memory_parent;  /* e.g. "/sys/fs/cgroup/memory"; NULL = none */
    long memory_max_bytes;             /* memory.limit_in_bytes (0 = do not write) */
};

enum {
    CS_FLAG_LOOPBACK_UP     = 1u << 0,  /* bring `lo` up in the private netns */
    CS_FLAG_LANDLOCK_OPTIONAL = 1u << 1,/* run even if Landlock is unavailable */
    CS_FLAG_NO_LANDLOCK_NET = 1u << 2,  /* do not let Landlock deny TCP bind/connect */
    CS_FLAG_USERNS          = 1u << 3,  /* force a user namespace (automatic when not root) */
    CS_FLAG_POD             = 1u << 4,  /* internal: set by cs_pod_start (init serves commands) */
};

struct cs_config {
    const char *const *argv;   /* argv[0]: absolute path inside the sandbox; NULL-terminated */
    const char *const *envp;   /* the complete environment; nothing is inherited */
    const char *workspace;     /* host directory, bound read-write at `home` */
    const char *home;          /* absolute path inside (e.g. "/home/alice"); also the cwd */
    const char *rootfs;        /* host directory of the rendered skeleton: each top-level
                                  directory in it (etc, ...) is bound read-only at /<name> */
    const struct cs_bind *binds; size_t nbinds;  /* extra binds, applied after rootfs */
    uid_t uid; gid_t gid;      /* the agent's ids inside (never 0) */
    const char *hostname;      /* UTS hostname; NULL = "localhost" */
    const struct cs_policy *policy;  /* required: the seccomp filter */
    struct cs_limits limits;
    unsigned flags;            /* CS_FLAG_* */
};

/* Setup layers, reported when the child cannot build one (the command never runs). */
enum cs_layer {
    CS_LAYER_NONE = 0, CS_LAYER_CLONE, CS_LAYER_SYNC, CS_LAYER_SIGNALS, CS_LAYER_FDS,
    CS_LAYER_MOUNT, CS_LAYER_UTS, CS_LAYER_NET, CS_LAYER_SESSION, CS_LAYER_RLIMIT,
    CS_LAYER_CAPS, CS_LAYER_UID, CS_LAYER_NNP, CS_LAYER_LANDLOCK, CS_LAYER_SECCOMP,
    CS_LAYER_CGROUP, CS_LAYER_USERNS, CS_LAYER_FORK, CS_LAYER_EXEC, CS_LAYER_INIT,
};
const char *cs_layer_name(int layer);

struct cs_child {
    pid_t pid;          /* the sandbox's init (pid 1 inside), in the caller's pid namespace */
    int pidfd;          /* pidfd of that init: poll it, kill the whole sandbox with it */
    int stdout_fd;      /* read ends of the command's stdout / stderr pipes (O_NONBLOCK) */
    int stderr_fd;
    int notify_fd;      /* the seccomp user-notification listener (pidfd_getfd'ed) */
    int status_fd;      /* internal: init's report channel (exit status, exec errors) */
    int ctl_fd;         /* pods only: the command channel to init (-1 otherwise) */
    int failed_layer;   /* on cs_spawn failure: enum cs_layer, else 0 */
    int failed_errno;   /* ... and the errno the kernel gave */
    char cgroup_pids[256];    /* internal: created cgroup dirs ("" = none) */
    char cgroup_memory[256];
};

/* Start the command. Returns 0 once every layer is in place and the command is
 * being started (an execve failure is reported by cs_reap as exec_errno).
 * Returns -1 with a message "layer: what: strerror" in err and
 * out->failed_layer/failed_errno set when any layer fails; the child is then
 * already killed and reaped: nothing ran. */
int cs_spawn(const struct cs_config *cfg, struct cs_child *out, char *err, size_t errlen);

/* ---------------------------------------------------------------- notify */

/* CONTINUE: the call ran. DENY: it failed with `error`. NONE: not answered
 * (the caller died first). FAKE: it returned 0 without running (UDP connect,
 * so that the DNS query that follows is recorded with its name). */
enum cs_decision { CS_DECIDE_CONTINUE = 0, CS_DECIDE_DENY = 1, CS_DECIDE_NONE = 2, CS_DECIDE_FAKE = 3 };

/* One intercepted syscall, decoded. Pointer-derived fields (addr, port, path)
 * were read from the process's memory and are *claims*: a second thread can
 * change them after the read. They never decide an allow. */
struct cs_event {
    uint64_t id;            /* kernel notification id */
    int32_t pid;            /* thread id, in the supervisor's pid namespace */
    int32_t nr;             /* syscall number (x86-64) */
    char syscall[32];       /* its name */
    uint64_t args[6];       /* raw arguments */
    int32_t family;         /* AF_* of the address or of socket(); -1 when none */
    int32_t sock_domain;    /* the socket fd's own domain (SO_DOMAIN via pidfd_getfd), -1 unknown */
    int32_t sock_type;      /* socket(): requested type; address calls: the socket's SO_TYPE; -1 */
    int32_t protocol;       /* socket(): protocol; -1 */
    char addr[108];         /* "1.2.3.4", "::1", "/path", "@abstract", "" */
    int32_t port;           /* -1 when none */
    char detail[96];        /* e.g. "flags=CLONE_NEWUSER", "cmd=TIOCSTI" */
    int32_t decision;       /* enum cs_decision: what was answered */
    int32_t error;          /* errno answered when denied */
    int32_t valid;          /* 1: the target was still waiting when answered */
};

/* Receive one notification (blocks unless the fd is polled first) and decode
 * it. Returns 0, or -errno (-ENOENT: the target died before it was read). */
int cs_notify_receive(int notify_fd, struct cs_event *ev);
/* Fill ev->decision/error from the policy's notify rules (integer args only). */
void cs_notify_decide(const struct cs_policy *p, struct cs_event *ev);
/* Answer with a decision: CONTINUE (SECCOMP_USER_NOTIF_FLAG_CONTINUE), DENY
 * with `error`, or FAKE (return 0, nothing runs). Returns 0 or -errno. */
int cs_notify_respond(int notify_fd, uint64_t id, int decision, int error);
/* receive + decide + respond. Returns 0 with ev filled, or -errno. */
int cs_notify_handle(int notify_fd, const struct cs_policy *p, struct cs_event *ev);
/* Format ev as one JSON object (no newline) into buf. Returns its length. */
size_t cs_event_json(const struct cs_event *ev, char *buf, size_t len);

/* ---------------------------------------------------------------- run */

struct cs_run_opts {
    int timeout_ms;            /* wall clock; <= 0: none. At the limit the whole pid namespace is killed */
    char *out; size_t out_cap; /* stdout buffer (may be NULL); bytes past out_cap are counted, dropped */
    char *err; size_t err_cap; /* stderr buffer */
};

struct cs_result {
    int exited, exit_code;     /* the command's own status */
    int signaled, signal;
    int timed_out;             /* the wall-clock limit killed the sandbox */
    int killed;                /* the sandbox died without reporting (timeout, supervisor kill) */
    int exec_errno;            /* execve of argv[0] failed with this errno (0 = it ran) */
    size_t out_len, err_len;   /* bytes stored */
    size_t out_total, err_total;/* bytes produced (more than stored = truncated) */
    unsigned events;           /* notifications handled */
    long pids_max_events;      /* cgroup pids.events "max" (forks refused), -1 when n/a */
    long oom_kills;            /* memory cgroup OOM kills, -1 when n/a */
    double wall_ms;
};

typedef void (*cs_event_fn)(void *ctx, const struct cs_event *ev);

/* Supervise a spawned child until its init exits: collect output, answer
 * notifications (cs_notify_handle, then fn(ctx, ev)), enforce the timeout,
 * then cs_reap. Returns 0 or -errno. */
int cs_run(struct cs_child *c, const struct cs_policy *p, const struct cs_run_opts *o,
           cs_event_fn fn, void *ctx, struct cs_result *res);

/* Kill the whole sandbox now (SIGKILL to its pid 1; the kernel kills the rest
 * of the pid namespace). Safe to call more than once. */
int cs_kill(struct cs_child *c);
/* Wait for init, collect the command's status into res, close every fd of c
 * and remove its cgroups. Call once (cs_run does it). */
int cs_reap(struct cs_child *c, struct cs_result *res);

/* ---------------------------------------------------------------- pods */

/* A pod is a confined environment kept alive between commands: one init (pid
 * 1 of its namespaces, on its private root, as the agent's uid, with
 * no_new_privs, no capabilities, Landlock, rlimits, the cgroups and the
 * seccomp filter already in force) that starts each command on request and,
 * when the command's main process exits, kills every other process of the
 * namespace and checks that nothing was left outside the home (/tmp,
 * /dev/shm, SysV IPC, POSIX message queues). Every layer cs_spawn builds is
 * built once per pod; a command inherits all of them from init.
 *
 * A pod is retired (killed, cgroups removed) when its command timed out, left
 * something behind, or its init died or misbehaved; the caller then starts a
 * new one for the next command. Like cs_spawn, cs_pod_start must be called
 * from a thread that outlives the pod (PR_SET_PDEATHSIG). One command at a
 * time per pod. */
struct cs_pod {
    struct cs_child c;       /* init; c.ctl_fd is the command channel */
    int live;                /* 1 while init serves commands */
    unsigned long commands;  /* commands run so far */
    long pids_seen, oom_seen;/* cgroup counters already reported */
};

struct cs_command {
    const char *const *argv;   /* argv[0] absolute inside; NULL-terminated */
    const char *const *envp;   /* the complete environment */
    long cpu_seconds;          /* RLIMIT_CPU for this command (<= the pod's); 0 = the pod's */
};

/* What cs_pod_run reports beyond struct cs_result. */
struct cs_pod_facts {
    int init_pid;              /* init's pid on the host (the same for every command of a pod) */
    int retired;               /* the pod was stopped after this command (see `why`) */
    char why[64];              /* "timeout", "left files in /tmp", ... ("" when not retired) */
    int failed_layer;          /* when cs_pod_run returns -1: enum cs_layer (CS_LAYER_INIT, ...), 0 for a bad request */
};

/* Start init with every layer of cfg (argv/envp are ignored; cfg->limits.cpu_seconds
 * is the most any command may get). Returns 0, or -1 with err and
 * pod->c.failed_layer/failed_errno as for cs_spawn. */
int cs_pod_start(const struct cs_config *cfg, struct cs_pod *pod, char *err, size_t errlen);

/* Run one command in a live pod: output, notifications (fn), timeout, as
 * cs_run. Returns 0 when the command ran (res filled; a timeout kills the whole
 * pod and retires it). Returns -1 with err ("init: ...", "fork: ...") when init
 * died, hung or answered nonsense: nothing of the command survives and the pod
 * is retired. */
int cs_pod_run(struct cs_pod *pod, const struct cs_command *cmd, const struct cs_policy *p,
               const struct cs_run_opts *o, cs_event_fn fn, void *ctx, struct cs_result *res,
               struct cs_pod_facts *facts, char *err, size_t errlen);

/* Kill init (and with it the namespace), reap it, remove its cgroups, close
 * every descriptor. Idempotent. */
void cs_pod_stop(struct cs_pod *pod);

#ifdef __cplusplus
}
#endif
#endif /* CSANDBOX_H */
