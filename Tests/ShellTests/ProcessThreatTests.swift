import Foundation
import Testing
import TerrariumBase
import TerrariumEpisode
import TerrariumWorld

#if canImport(Glibc)
import Glibc
#endif

extension ShellTests {
    /// THREATS.md, process and privilege: each dangerous call fails with a container's
    /// errno and is recorded; other ABIs kill; signals stay inside.
    @Suite struct Privilege {
        /// x86-64 syscall numbers for the ctypes probes.
        static let calls: [(name: String, nr: Int, args: String, expected: String, recorded: Bool)] = [
            ("ptrace", 101, "0, 0, 0, 0", "EPERM", true),
            ("process_vm_readv", 310, "1, 0, 0, 0, 0, 0", "EPERM", true),
            ("keyctl", 250, "0, 0, 0, 0, 0", "EPERM", true),
            ("add_key", 248, "0, 0, 0, 0, 0", "EPERM", true),
            ("bpf", 321, "0, 0, 0", "EPERM", true),
            ("perf_event_open", 298, "0, 0, -1, -1, 0", "EACCES", true),
            ("userfaultfd", 323, "0", "EPERM", true),
            ("io_uring_setup", 425, "1, 0", "EPERM", true),
            ("personality", 135, "0x0040000", "EPERM", true),
            ("mount", 165, "0, 0, 0, 0, 0", "EPERM", true),
            ("setns", 308, "0, 0", "EPERM", true),
            ("init_module", 175, "0, 0, 0", "EPERM", true),
            ("clone3", 435, "0, 0", "ENOSYS", false),
            ("nr1000", 1000, "0", "ENOSYS", false),
        ]

        @Test func dangerousSyscallsAreRefusedAndRecorded() async throws {
            let py = """
                python3 - <<'PY'
                import ctypes, errno
                libc = ctypes.CDLL(None, use_errno=True)
                libc.syscall.restype = ctypes.c_long
                def t(name, *args):
                    r = libc.syscall(*[ctypes.c_long(a) for a in args])
                    print(name, errno.errorcode.get(ctypes.get_errno(), '?') if r == -1 else 'ok')
                \(Self.calls.map { "t('\($0.name)', \($0.nr), \($0.args))" }.joined(separator: "\n"))
                PY
                """
            try await withOffice { office in
                let s = try await office.sh(py)
                #expect(s.lines == Self.calls.map { "\($0.name) \($0.expected)" }, "\(s.stderr)")
                let recorded = s.denied.compactMap { $0["syscall"]?.stringValue }
                #expect(recorded == Self.calls.filter(\.recorded).map(\.name))
                #expect(s.denied.allSatisfy { $0["errno"] == (($0["syscall"] == "perf_event_open") ? "EACCES" : "EPERM") })
            }
        }

        @Test func nestedNamespacesAndTracing() async throws {
            try await withOffice { office in
                let s = try await office.sh("unshare -U true 2>&1; unshare -n true 2>&1; strace -f true 2>&1 | head -1; echo end")
                #expect(s.lines == ["unshare: unshare failed: Operation not permitted",
                                    "unshare: unshare failed: Operation not permitted",
                                    "strace: test_ptrace_get_syscall_info: PTRACE_TRACEME: Operation not permitted", "end"],
                        "\(s.stdout)")
                let flags = s.denied("unshare").compactMap { $0["detail"]?.stringValue }
                #expect(flags.count == 2 && flags[0].contains("CLONE_NEWUSER") && flags[1].contains("CLONE_NEWNET"))
                #expect(!s.denied("ptrace").isEmpty)
            }
        }

        @Test func otherSyscallAbisKill() async throws {
            try await withOffice { office in
                let s = try await office.sh("""
                    python3 -c "import ctypes; ctypes.CDLL(None).syscall(0x40000000 | 39)"; echo x32=$?
                    printf 'int main(void){__asm__ volatile("int $0x80"::"a"(20));return 0;}' > i.c && cc i.c -o i && ./i; echo i386=$?
                    """)
                #expect(s.lines == ["x32=159", "i386=159"], "\(s.stderr)")
            }
        }

        @Test func terminalInjectionIncludingHighBits() async throws {
            try await withOffice { office in
                let s = try await office.sh(probe([
                    ("tiocsti", "__import__('fcntl').ioctl(0, 0x5412, b'x')"),
                    ("tiocsti_high", "ctypes.CDLL(None, use_errno=True).ioctl(0, ctypes.c_ulong(0xdeadbeef00005412), b'x') == -1 and (_ for _ in ()).throw(OSError(ctypes.get_errno(), ''))"),
                    ("tioclinux", "__import__('fcntl').ioctl(0, 0x541C, b'\\x06')"),
                ]))
                #expect(s.lines == ["tiocsti EPERM", "tiocsti_high EPERM", "tioclinux EPERM"], "\(s.stderr)")
                let details = s.denied("ioctl").compactMap { $0["detail"]?.stringValue }
                #expect(details.count == 3 && details.filter { $0.contains("TIOCSTI") }.count == 2 && details[2].contains("TIOCLINUX"))
                let tty = try await office.sh("tty; [ -e /dev/tty ] && echo has-tty; ps -o sid= -p $$ | tr -d ' '")
                #expect(tty.lines.first == "not a tty")
                #expect(!tty.lines.contains("has-tty"))
            }
        }

        @Test func killMinusOneAndSignalsToInitStayInside() async throws {
            // A process of the same uid on the host, outside every sandbox.
            var pid: pid_t = 0
            let argv = ["/usr/bin/setpriv", "--reuid=1000", "--regid=1000", "--clear-groups", "/bin/sleep", "30"]
            var cargs = argv.map { strdup($0) } + [nil]
            defer { for p in cargs { free(p) } }
            try #require(posix_spawn(&pid, argv[0], nil, nil, &cargs, environ) == 0)
            defer { kill(pid, SIGKILL); var st: Int32 = 0; waitpid(pid, &st, 0) }
            try await Task.sleep(for: .milliseconds(100))
            let office = try Office()
            // Init ignores signals from inside its namespace; -1 reaches every process of
            // the sandbox but the caller (and init).
            let s = try await office.sh("kill -9 1; echo init=$?; sleep 30 & sleep 30 & kill -9 -1; wait; echo after")
            #expect(s.lines == ["init=0", "after"], "\(s.text)")
            #expect(s.exitCode == 0)
            await office.finish()
            #expect(kill(pid, 0) == 0, "kill -9 -1 inside reached a host process of uid 1000")
            #expect(await settledLeftovers(excluding: [pid]).isEmpty)
        }

        @Test func concurrentSandboxesDoNotSeeEachOther() async throws {
            let offices = try (0..<8).map { _ in try Office() }
            let counts = try await withThrowingTaskGroup(of: [String].self) { group in
                for office in offices {
                    group.addTask { try await office.sh("sleep 0.3 & ls /proc | grep -c '^[0-9]'; kill -0 1 && echo init-ok; wait").lines }
                }
                var all: [[String]] = []
                for try await lines in group { all.append(lines) }
                return all
            }
            for office in offices { await office.finish() }
            #expect(counts.count == 8)
            for lines in counts {
                // init, sh, the sleeper, ls, grep: never another sandbox's processes.
                #expect(Int(lines.first ?? "") ?? 99 <= 5, "\(lines)")
                #expect(lines.last == "init-ok")
            }
            #expect(await settledLeftovers().isEmpty)
        }
    }
}

extension Shot {
    var signal: String? { result.data?["signal"]?.stringValue }
}
