/// What kind of thing a denied sandbox attempt tried, as recorded in `sandbox.denied`
/// events (`category`) and matched by event patterns. The shell maps each syscall the
/// policy reports to one of these.
public enum SandboxCategory: String, Sendable, CaseIterable {
    /// Sockets, connects, binds, sends: reaching any network.
    case network
    /// New namespaces (clone with CLONE_NEW*, unshare, setns).
    case namespace
    /// Inspecting or writing another process (ptrace, process_vm_*, pidfd_getfd, kcmp).
    case ptrace
    /// Mounting, pivoting or changing the root.
    case mount
    /// Injecting input into a terminal (TIOCSTI, TIOCLINUX).
    case terminal
    /// Everything else the kernel refuses a sandboxed process: modules, bpf, keyrings,
    /// io_uring, clocks, reboot, personality.
    case kernel

    public init(syscall: String) {
        switch syscall {
        case "socket", "socketpair", "connect", "bind", "sendto", "sendmsg", "sendmmsg": self = .network
        case "clone", "clone3", "unshare", "setns": self = .namespace
        case "ptrace", "process_vm_readv", "process_vm_writev", "process_madvise", "kcmp", "pidfd_getfd": self = .ptrace
        case "mount", "umount2", "pivot_root", "chroot", "fsopen", "fsconfig", "fsmount", "fspick", "move_mount",
             "open_tree", "mount_setattr": self = .mount
        case "ioctl": self = .terminal
        default: self = .kernel
        }
    }
}
