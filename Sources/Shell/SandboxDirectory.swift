#if canImport(Glibc)
import Glibc
#endif

/// Finds the repository's `Sandbox/` folder (policy, rootfs skeleton) at run time:
/// `$TERRARIUM_SANDBOX_DIR` if set; else the nearest `Sandbox/` above the running
/// executable (a build folder sits inside the checkout); else the one next to this source
/// file (`#filePath`), for tests and `swift run`.
public enum SandboxDirectory {
    public static let environmentVariable = "TERRARIUM_SANDBOX_DIR"

    public static func locate() throws(ShellError) -> String {
        if let raw = getenv(environmentVariable) {
            let dir = String(cString: raw)
            guard isSandbox(dir) else {
                throw ShellError(layer: "policy", "$\(environmentVariable)=\(dir) holds no policy/default.policy and rootfs/etc")
            }
            return dir
        }
        if let exe = executablePath() {
            var dir = parent(exe)
            while dir != "/" && !dir.isEmpty {
                if isSandbox(dir + "/Sandbox") { return dir + "/Sandbox" }
                dir = parent(dir)
            }
        }
        // Sources/Shell/SandboxDirectory.swift → the checkout's Sandbox/.
        let source = parent(parent(parent(#filePath))) + "/Sandbox"
        if isSandbox(source) { return source }
        throw ShellError(layer: "policy", "cannot find the Sandbox/ folder (policy/default.policy): set $\(environmentVariable)")
    }

    static func isSandbox(_ dir: String) -> Bool {
        access(dir + "/policy/default.policy", R_OK) == 0 && access(dir + "/rootfs/etc", R_OK) == 0
    }

    static func executablePath() -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard n > 0 else { return nil }
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func parent(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
