/*
 * misc.c — names for layers, errnos and syscalls; error formatting.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <seccomp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

void cs_errf(char *err, size_t len, const char *fmt, ...)
{
    if (!err || !len) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, len, fmt, ap);
    va_end(ap);
}

const char *cs_layer_name(int layer)
{
    static const char *const names[] = {
        "none", "clone", "sync", "signals", "fds", "mount", "uts", "net", "session", "rlimit",
        "caps", "uid", "no_new_privs", "landlock", "seccomp", "cgroup", "userns", "fork", "exec", "init" };
    return layer >= 0 && layer < (int)(sizeof names / sizeof *names) ? names[layer] : "unknown";
}

/* The errnos a policy may answer with (and that error messages name). */
static const struct { const char *name; int value; } errnos[] = {
    { "EPERM", EPERM }, { "ENOENT", ENOENT }, { "ESRCH", ESRCH }, { "EINTR", EINTR }, { "EIO", EIO },
    { "EBADF", EBADF }, { "EAGAIN", EAGAIN }, { "ENOMEM", ENOMEM }, { "EACCES", EACCES }, { "EFAULT", EFAULT },
    { "EBUSY", EBUSY }, { "EEXIST", EEXIST }, { "EXDEV", EXDEV }, { "ENODEV", ENODEV }, { "ENOTDIR", ENOTDIR },
    { "EINVAL", EINVAL }, { "EMFILE", EMFILE }, { "ENOTTY", ENOTTY }, { "EFBIG", EFBIG }, { "ENOSPC", ENOSPC },
    { "EROFS", EROFS }, { "EPIPE", EPIPE }, { "ENOSYS", ENOSYS }, { "ENOTSOCK", ENOTSOCK },
    { "EPROTONOSUPPORT", EPROTONOSUPPORT }, { "EOPNOTSUPP", EOPNOTSUPP }, { "EAFNOSUPPORT", EAFNOSUPPORT },
    { "EADDRINUSE", EADDRINUSE }, { "EADDRNOTAVAIL", EADDRNOTAVAIL }, { "ENETDOWN", ENETDOWN },
    { "ENETUNREACH", ENETUNREACH }, { "ECONNREFUSED", ECONNREFUSED }, { "EHOSTUNREACH", EHOSTUNREACH },
    { "ETIMEDOUT", ETIMEDOUT }, { "ECONNRESET", ECONNRESET }, { "ENOTSUP", ENOTSUP }, { "ECHILD", ECHILD },
};

const char *cs_errno_name(int e)
{
    for (size_t i = 0; i < sizeof errnos / sizeof *errnos; i++)
        if (errnos[i].value == e) return errnos[i].name;
    return "E?";
}

int cs_errno_value(const char *name)
{
    for (size_t i = 0; i < sizeof errnos / sizeof *errnos; i++)
        if (strcmp(errnos[i].name, name) == 0) return errnos[i].value;
    return -1;
}

const char *cs_syscall_name(int nr, char *buf, size_t len)
{
    char *n = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, nr);  /* malloc'ed */
    if (n) snprintf(buf, len, "%s", n);
    else snprintf(buf, len, "syscall_%d", nr);
    free(n);
    return buf;
}
