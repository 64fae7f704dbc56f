import ArgumentParser

#if canImport(Glibc)
import Glibc
#endif

/// Writes `error: message` to stderr and returns the exit to throw.
func fail(_ message: String, code: Int32 = 1) -> ExitCode {
    printError("error: " + message)
    return ExitCode(code)
}

func printError(_ message: String) {
    let bytes = Array((message + "\n").utf8)
    // write(2) on fd 2: no shared FILE* state, safe from any task.
    _ = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
}
