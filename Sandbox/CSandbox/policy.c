/*
 * policy.c — parse the readable policy format (documented at the top of
 * Sandbox/policy/default.policy), compile it with libseccomp into a BPF
 * program once, in the parent, and answer "which errno for this notified
 * call?" from the same rules (integer arguments only, never memory).
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "internal.h"

enum { ACT_ALLOW, ACT_ERRNO, ACT_NOTIFY, ACT_KILL, ACT_LOG };

struct rule {
    int nr;
    int act;
    int error;                  /* errno for ACT_ERRNO / ACT_NOTIFY; 0 = continue (notify) */
    int ncond;
    struct scmp_arg_cmp cond[6];
    int line;
};

struct cs_policy {
    struct rule *rules;
    size_t nrules, cap;
    int def_act, def_error;
    struct sock_fprog prog;
};

/* Symbolic values usable in conditions. Numbers are x86-64 Linux ABI. */
static const struct { const char *name; uint64_t v; } consts[] = {
    { "AF_UNSPEC", 0 }, { "AF_UNIX", 1 }, { "AF_LOCAL", 1 }, { "AF_INET", 2 }, { "AF_INET6", 10 },
    { "AF_KEY", 15 }, { "AF_NETLINK", 16 }, { "AF_PACKET", 17 }, { "AF_RDS", 21 }, { "AF_CAN", 29 },
    { "AF_TIPC", 30 }, { "AF_BLUETOOTH", 31 }, { "AF_ALG", 38 }, { "AF_VSOCK", 40 }, { "AF_XDP", 44 },
    { "SOCK_STREAM", 1 }, { "SOCK_DGRAM", 2 }, { "SOCK_RAW", 3 }, { "SOCK_SEQPACKET", 5 },
    { "CLONE_NEWTIME", 0x80 }, { "CLONE_NEWNS", 0x20000 }, { "CLONE_NEWCGROUP", 0x02000000 },
    { "CLONE_NEWUTS", 0x04000000 }, { "CLONE_NEWIPC", 0x08000000 }, { "CLONE_NEWUSER", 0x10000000 },
    { "CLONE_NEWPID", 0x20000000 }, { "CLONE_NEWNET", 0x40000000 },
    { "TIOCSTI", 0x5412 }, { "TIOCLINUX", 0x541C }, { "TIOCCONS", 0x541D }, { "TIOCSETD", 0x5423 },
    { "PER_LINUX", 0 }, { "PER_LINUX32", 8 }, { "PER_QUERY", 0xffffffff },
    { "ADDR_NO_RANDOMIZE", 0x40000 }, { "READ_IMPLIES_EXEC", 0x400000 },
};

static int value(const char *tok, uint64_t *out)
{
    char buf[128];
    snprintf(buf, sizeof buf, "%s", tok);
    uint64_t v = 0;
    for (char *save, *t = strtok_r(buf, "|", &save); t; t = strtok_r(NULL, "|", &save)) {
        if (isdigit((unsigned char)t[0])) {
            char *end;
            errno = 0;
            uint64_t n = strtoull(t, &end, 0);
            if (*end || errno) return -1;
            v |= n;
            continue;
        }
        size_t i;
        for (i = 0; i < sizeof consts / sizeof *consts; i++)
            if (strcmp(consts[i].name, t) == 0) break;
        if (i == sizeof consts / sizeof *consts) return -1;
        v |= consts[i].v;
    }
    *out = v;
    return 0;
}

/* "allow" | "kill" | "log" | "errno:NAME" | "notify:NAME" | "notify:continue" */
static int action(const char *tok, int *act, int *error)
{
    *error = 0;
    if (strcmp(tok, "allow") == 0) { *act = ACT_ALLOW; return 0; }
    if (strcmp(tok, "kill") == 0) { *act = ACT_KILL; return 0; }
    if (strcmp(tok, "log") == 0) { *act = ACT_LOG; return 0; }
    if (strncmp(tok, "errno:", 6) == 0) { *act = ACT_ERRNO; *error = cs_errno_value(tok + 6); return *error > 0 ? 0 : -1; }
    if (strncmp(tok, "notify:", 7) == 0) {
        *act = ACT_NOTIFY;
        if (strcmp(tok + 7, "continue") == 0) return 0;
        *error = cs_errno_value(tok + 7);
        return *error > 0 ? 0 : -1;
    }
    return -1;
}

static uint32_t scmp_action(int act, int error)
{
    switch (act) {
    case ACT_ALLOW: return SCMP_ACT_ALLOW;
    case ACT_ERRNO: return SCMP_ACT_ERRNO(error);
    case ACT_NOTIFY: return SCMP_ACT_NOTIFY;
    case ACT_LOG: return SCMP_ACT_LOG;
    default: return SCMP_ACT_KILL_PROCESS;
    }
}

/* "aN OP VALUE" or "aN & MASK == VALUE"; tokens are consumed from *t. */
static int condition(char **tok, int ntok, int *i, struct scmp_arg_cmp *c)
{
    if (*i >= ntok || tok[*i][0] != 'a' || tok[*i][1] < '0' || tok[*i][1] > '5' || tok[*i][2]) return -1;
    c->arg = (unsigned)(tok[*i][1] - '0');
    (*i)++;
    uint64_t mask = 0;
    int masked = 0;
    if (*i < ntok && strcmp(tok[*i], "&") == 0) {
        if (*i + 1 >= ntok || value(tok[*i + 1], &mask)) return -1;
        masked = 1;
        *i += 2;
    }
    if (*i + 1 >= ntok) return -1;
    static const struct { const char *s; enum scmp_compare op; } ops[] = {
        { "==", SCMP_CMP_EQ }, { "!=", SCMP_CMP_NE }, { "<", SCMP_CMP_LT }, { "<=", SCMP_CMP_LE },
        { ">", SCMP_CMP_GT }, { ">=", SCMP_CMP_GE } };
    size_t k;
    for (k = 0; k < 6; k++) if (strcmp(tok[*i], ops[k].s) == 0) break;
    if (k == 6 || (masked && ops[k].op != SCMP_CMP_EQ)) return -1;
    uint64_t v;
    if (value(tok[*i + 1], &v)) return -1;
    *i += 2;
    if (masked) { c->op = SCMP_CMP_MASKED_EQ; c->datum_a = mask; c->datum_b = v; }
    else { c->op = ops[k].op; c->datum_a = v; c->datum_b = 0; }
    return 0;
}

static int add_rule(struct cs_policy *p, const struct rule *r)
{
    if (p->nrules == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 256;
        struct rule *n = realloc(p->rules, cap * sizeof *n);
        if (!n) return -1;
        p->rules = n; p->cap = cap;
    }
    p->rules[p->nrules++] = *r;
    return 0;
}

/* Mixing an unconditional and a conditional rule for one syscall would make
 * libseccomp silently drop the conditional ones: refuse it. */
static int check_mix(const struct cs_policy *p, const char *name, char *err, size_t len)
{
    for (size_t i = 0; i < p->nrules; i++)
        for (size_t j = i + 1; j < p->nrules; j++) {
            const struct rule *a = &p->rules[i], *b = &p->rules[j];
            if (a->nr != b->nr) continue;
            if (a->ncond == 0 || b->ncond == 0) {
                char nb[32];
                cs_errf(err, len, "%s:%d: %s already has a rule on line %d; an unconditional rule cannot be "
                        "combined with others (write `a1 >= 0` for \"any value\")", name, b->line, cs_syscall_name(b->nr, nb, sizeof nb), a->line);
                return -1;
            }
        }
    return 0;
}

static int compile(struct cs_policy *p, char *err, size_t len)
{
    int rc = -1, fd = -1;
    scmp_filter_ctx ctx = seccomp_init(scmp_action(p->def_act, p->def_error));
    if (!ctx) { cs_errf(err, len, "seccomp_init failed"); return -1; }
    /* Only the native ABI is in the filter; i386 (int 0x80) and x32 (nr |
     * 0x40000000) calls hit the bad-arch action: kill the whole process. */
    if (seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS) ||
        seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2)) { cs_errf(err, len, "seccomp_attr_set failed"); goto out; }
    for (size_t i = 0; i < p->nrules; i++) {
        const struct rule *r = &p->rules[i];
        /* libseccomp refuses a rule that repeats the default action (EACCES);
         * such a rule only documents intent, so it needs no BPF. */
        if (scmp_action(r->act, r->error) == scmp_action(p->def_act, p->def_error)) continue;
        int e = seccomp_rule_add_exact_array(ctx, scmp_action(r->act, r->error), r->nr, (unsigned)r->ncond, r->cond);
        if (e) { cs_errf(err, len, "line %d: libseccomp rejected the rule: %s", r->line, strerror(-e)); goto out; }
    }
    /* libseccomp 2.5 exports to an fd only: go through a memfd. */
    fd = memfd_create("cs-bpf", MFD_CLOEXEC);
    if (fd < 0 || seccomp_export_bpf(ctx, fd) != 0) { cs_errf(err, len, "seccomp_export_bpf failed"); goto out; }
    struct stat st;
    if (fstat(fd, &st) != 0 || st.st_size <= 0 || st.st_size % sizeof(struct sock_filter)) goto out;
    struct sock_filter *f = malloc((size_t)st.st_size);
    if (!f || pread(fd, f, (size_t)st.st_size, 0) != st.st_size) { free(f); goto out; }
    p->prog.filter = f;
    p->prog.len = (unsigned short)(st.st_size / sizeof(struct sock_filter));
    rc = 0;
out:
    if (fd >= 0) close(fd);
    seccomp_release(ctx);
    return rc;
}

struct cs_policy *cs_policy_parse(const char *text, const char *name, char *err, size_t errlen)
{
    struct cs_policy *p = calloc(1, sizeof *p);
    char *copy = strdup(text);
    if (!p || !copy) { free(p); free(copy); cs_errf(err, errlen, "out of memory"); return NULL; }
    int have_default = 0, lineno = 0;
    for (char *line = copy, *next; line; line = next) {
        next = strchr(line, '\n');
        if (next) *next++ = '\0';
        lineno++;
        char *hash = strchr(line, '#');
        if (hash) *hash = '\0';
        char *tok[64];
        int n = 0;
        for (char *s2, *t = strtok_r(line, " \t\r", &s2); t && n < 64; t = strtok_r(NULL, " \t\r", &s2)) tok[n++] = t;
        if (n == 0) continue;
        struct rule r = { .line = lineno };
        if (strcmp(tok[0], "default") == 0) {
            if (n != 2 || action(tok[1], &p->def_act, &p->def_error)) { cs_errf(err, errlen, "%s:%d: expected `default <action>`", name, lineno); goto bad; }
            have_default = 1;
            continue;
        }
        if (action(tok[0], &r.act, &r.error)) { cs_errf(err, errlen, "%s:%d: unknown action `%s`", name, lineno, tok[0]); goto bad; }
        int i = 1, first = 1, last = n;
        for (int k = 1; k < n; k++) if (strcmp(tok[k], "if") == 0) { last = k; break; }
        if (last == 1) { cs_errf(err, errlen, "%s:%d: no syscall named", name, lineno); goto bad; }
        if (last < n) {  /* conditions: one syscall only */
            if (last != 2) { cs_errf(err, errlen, "%s:%d: a conditional rule names exactly one syscall", name, lineno); goto bad; }
            i = last + 1;
            for (;;) {
                if (r.ncond == 6 || condition(tok, n, &i, &r.cond[r.ncond])) { cs_errf(err, errlen, "%s:%d: bad condition", name, lineno); goto bad; }
                r.ncond++;
                if (i == n) break;
                if (strcmp(tok[i], "and") != 0) { cs_errf(err, errlen, "%s:%d: expected `and`", name, lineno); goto bad; }
                i++;
            }
        }
        for (int k = first; k < last; k++) {
            char *sc = tok[k];
            size_t sl = strlen(sc);
            int optional = sl > 1 && sc[sl - 1] == '?';
            if (optional) sc[sl - 1] = '\0';
            int nr = seccomp_syscall_resolve_name_arch(SCMP_ARCH_NATIVE, sc);
            if (nr < 0) {
                if (optional) continue;  /* unknown to this libseccomp: default applies */
                cs_errf(err, errlen, "%s:%d: unknown syscall `%s` (suffix `?` if optional)", name, lineno, sc);
                goto bad;
            }
            r.nr = nr;
            if (add_rule(p, &r)) { cs_errf(err, errlen, "out of memory"); goto bad; }
        }
    }
    if (!have_default) { cs_errf(err, errlen, "%s: no `default` line", name); goto bad; }
    if (check_mix(p, name, err, errlen) || compile(p, err, errlen)) goto bad;
    free(copy);
    return p;
bad:
    free(copy);
    cs_policy_free(p);
    return NULL;
}

struct cs_policy *cs_policy_load(const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "re");
    if (!f) { cs_errf(err, errlen, "%s: %s", path, strerror(errno)); return NULL; }
    char *buf = NULL;
    size_t cap = 0;
    ssize_t n = getdelim(&buf, &cap, '\0', f);  /* whole file */
    fclose(f);
    if (n < 0) { free(buf); cs_errf(err, errlen, "%s: empty or unreadable", path); return NULL; }
    struct cs_policy *p = cs_policy_parse(buf, path, err, errlen);
    free(buf);
    return p;
}

void cs_policy_free(struct cs_policy *p)
{
    if (!p) return;
    free(p->rules);
    free(p->prog.filter);
    free(p);
}

size_t cs_policy_bpf_len(const struct cs_policy *p) { return p ? p->prog.len : 0; }
const struct sock_fprog *cs_policy_prog(const struct cs_policy *p) { return &p->prog; }

static int cond_true(const struct scmp_arg_cmp *c, const uint64_t args[6])
{
    uint64_t a = args[c->arg];
    switch (c->op) {
    case SCMP_CMP_NE: return a != c->datum_a;
    case SCMP_CMP_LT: return a < c->datum_a;
    case SCMP_CMP_LE: return a <= c->datum_a;
    case SCMP_CMP_EQ: return a == c->datum_a;
    case SCMP_CMP_GE: return a >= c->datum_a;
    case SCMP_CMP_GT: return a > c->datum_a;
    case SCMP_CMP_MASKED_EQ: return (a & c->datum_a) == c->datum_b;
    default: return 0;
    }
}

/* The first notify rule (file order) of this syscall whose conditions hold.
 * Write catch-all rules (`a0 >= 0`) after the specific ones, as libseccomp
 * also tests equalities first. Returns CS_DECIDE_*. */
int cs_policy_decide(const struct cs_policy *p, int nr, const uint64_t args[6], int *error)
{
    for (size_t i = 0; i < p->nrules; i++) {
        const struct rule *r = &p->rules[i];
        if (r->nr != nr || r->act != ACT_NOTIFY) continue;
        int ok = 1;
        for (int k = 0; k < r->ncond && ok; k++) ok = cond_true(&r->cond[k], args);
        if (!ok) continue;
        *error = r->error;
        return r->error ? CS_DECIDE_DENY : CS_DECIDE_CONTINUE;
    }
    /* `default notify:ERRNO`, or no rule matched (should not happen): deny. */
    *error = p->def_act == ACT_NOTIFY && p->def_error ? p->def_error : ENOSYS;
    return CS_DECIDE_DENY;
}
