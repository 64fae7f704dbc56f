import CSandbox

/// The seccomp policy (`Sandbox/policy/default.policy`), parsed and compiled to BPF once
/// per process and shared read-only by every sandbox (the C library's contract).
public final class SandboxPolicy: @unchecked Sendable {
    let pointer: OpaquePointer
    public let path: String
    /// Instructions of the compiled BPF filter.
    public let instructions: Int

    init(path: String) throws(ShellError) {
        var err = [CChar](repeating: 0, count: 512)
        guard let p = cs_policy_load(path, &err, err.count) else {
            throw ShellError(layer: "policy", "\(path): \(cBufferString(err))")
        }
        self.pointer = p
        self.path = path
        self.instructions = Int(cs_policy_bpf_len(p))
    }

    deinit { cs_policy_free(pointer) }

    private static let loaded: Result<SandboxPolicy, ShellError> = {
        do throws(ShellError) {
            return .success(try SandboxPolicy(path: try SandboxDirectory.locate() + "/policy/default.policy"))
        } catch { return .failure(error) }
    }()

    /// The process's policy; the first call loads it, a failure is remembered and reported
    /// to every caller.
    public static func shared() throws(ShellError) -> SandboxPolicy { try loaded.get() }
}
