/*
 * internal.h — what the parent prepares for the child, and the small wire
 * protocol between them. Not part of the public API.
 *
 * The parent (cs_spawn) may allocate, format strings and call libc freely.
 * The child runs in a copy of a possibly multi-threaded process, so it only
 * executes the pre-built `struct cs_plan` with raw, async-signal-safe syscalls:
 * no malloc, no stdio, no locks, no glibc wrappers that talk to other threads
 * (setresuid & co. are issued with syscall(2) for that reason).
 */
#ifndef CSANDBOX_INTERNAL_H
#define CSANDBOX_INTERNAL_H

#include <linux/filter.h>
#include <stdint.h>
#include <sys/types.h>
#include "csandbox.h"

/* ---- constants newer than the 6.1 uapi headers in this image ---- */
#define CS_LL_FS_REFER      (1ULL << 13)  /* Landlock ABI 2 */
#define CS_LL_FS_TRUNCATE   (1ULL << 14)  /* ABI 3 */
#define CS_LL_FS_IOCTL_DEV  (1ULL << 15)  /* ABI 5 */
#define CS_LL_NET_BIND_TCP    (1ULL << 0) /* ABI 4 */
#define CS_LL_NET_CONNECT_TCP (1ULL << 1)
#define CS_LL_SCOPE_ABSTRACT_UNIX (1ULL << 0) /* ABI 6 */
#define CS_LL_SCOPE_SIGNAL        (1ULL << 1)
#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS _IOW('!', 4, uint64_t)  /* kernel 6.6 */
#endif
#ifndef SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
#define SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP (1UL << 0)
#endif
#ifndef PIDFD_THREAD
#define PIDFD_THREAD 0x80 /* O_EXCL: pidfd of a single thread, kernel 6.9 */
#endif

/* ---- the plan: everything the child does, decided by the parent ---- */
enum cs_op_kind {
    OP_MKDIR,      /* mkdir(dst, mode); EEXIST is fine */
    OP_MKFILE,     /* create an empty file as a mount point */
    OP_SYMLINK,    /* symlink(src, dst) */
    OP_MOUNT,      /* mount(src, dst, fstype, flags, data) */
    OP_PIVOT,      /* chdir(dst); pivot_root(".", src); chdir("/") */
    OP_UMOUNT,     /* umount2(dst, MNT_DETACH) */
    OP_RMDIR,      /* rmdir(dst) */
    OP_KEEPDIR,    /* open(dst, O_DIRECTORY) and keep the fd in init (pods: the mqueue fs) */
};

struct cs_op {
    int kind;
    int layer;              /* enum cs_layer reported if this op fails */
    const char *src, *dst, *fstype, *data;
    unsigned long flags;
    unsigned mode;
};

#define CS_MAX_OPS 160
#define CS_MAX_LL 16
#define CS_MAX_RL 8

struct cs_plan {
    struct cs_op ops[CS_MAX_OPS];
    int nops;
    char strings[16384];    /* storage for the ops' paths */
    size_t used;
    int overflow;           /* ops or strings did not fit: cs_spawn refuses */

    int sync_r, status_w, out_w, err_w, null_r;  /* the child's pipe ends */
    int pod, ctl;           /* pods: init serves commands on ctl instead of running argv once */
    int late_sync;          /* wait for a parent byte (cgroups joined) before fork */
    int userns;
    const char *uid_map, *gid_map;  /* userns: "<inside> <host> 1", written by the child itself */
    const char *hostname; size_t hostname_len;
    int loopback_up;
    struct { int resource; uint64_t value; } rl[CS_MAX_RL];
    int nrl;
    uid_t uid; gid_t gid;

    int landlock;           /* 0: skip (unavailable and optional) */
    uint64_t ll_fs, ll_net, ll_scope;
    struct { const char *path; uint64_t access; } ll[CS_MAX_LL];
    int nll;

    struct sock_fprog prog; /* points into the policy */
    char **argv;            /* deep copies owned by the plan: init scrubs the */
    char **envp;            /* caller's argv/environ area, which may hold the originals */
    char *vecs;             /* the malloc'ed block behind argv and envp */
    const char *home;
    uintptr_t arg_start, arg_end, env_start, env_end;  /* to scrub init's cmdline/environ */
};

/* Messages on the status pipe, child -> parent. 16 bytes: always atomic. */
enum { CS_MSG_READY = 1, CS_MSG_FAIL = 2, CS_MSG_EXIT = 3, CS_MSG_EXEC_FAIL = 4 };
struct cs_msg { int32_t type, layer, err, value; };

/* Pods: the command channel between the supervisor and init (SOCK_STREAM).
 * A request is one struct cs_pod_request sent with SCM_RIGHTS carrying two
 * fds (the command's stdout and stderr write ends), then `bytes` bytes of
 * NUL-terminated strings: argc of argv, then envc of envp. init answers each
 * request with one struct cs_pod_reply once every process of the command is
 * gone. */
#define CS_POD_MAGIC 0x54504f44u            /* "TPOD" */
#define CS_POD_MAX_BYTES (512u << 10)       /* argv + envp (one execve string is at most 128 KiB) */
#define CS_POD_MAX_STRINGS 8190
struct cs_pod_request { uint32_t magic, argc, envc, bytes; int64_t cpu_seconds; };
enum { CS_POD_DONE = 1, CS_POD_FAIL = 2 };
/* Things a command left behind outside the home (bits of cs_pod_reply.left). */
enum { CS_LEFT_TMP = 1, CS_LEFT_SHM = 2, CS_LEFT_MQUEUE = 4, CS_LEFT_SYSV = 8, CS_LEFT_PROCESS = 16 };
struct cs_pod_reply { int32_t type, status, exec_errno, layer, err, left; };

/* child.c: never returns. */
void cs_child_main(const struct cs_plan *p) __attribute__((noreturn));
/* podinit.c: init's command loop (never returns), and the mqueue fd OP_KEEPDIR opened. */
void cs_pod_serve(const struct cs_plan *p) __attribute__((noreturn));
extern int cs_pod_mqueue_fd;

/* policy.c, used by notify.c */
const struct sock_fprog *cs_policy_prog(const struct cs_policy *p);
int cs_policy_decide(const struct cs_policy *p, int nr, const uint64_t args[6], int *error);

/* misc.c */
void cs_errf(char *err, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
const char *cs_errno_name(int e);
int cs_errno_value(const char *name);

/* One counter ("key N") of a cgroup v1 file such as pids.events; -1 when absent (run.c). */
long cs_cgroup_counter(const char *dir, const char *file, const char *key);
/* Drain a non-blocking output pipe into buf (capped at cap), counting every byte (run.c). */
int cs_pump_output(int *fd, char *buf, size_t cap, size_t *len, size_t *total);
const char *cs_syscall_name(int nr, char *buf, size_t len);

#endif
