#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Thin POSIX helpers: the recorder writes with plain `write(2)` so that an event is in the
/// kernel (and survives a SIGKILL of this process) before the tool result is returned.
enum FileIO {
    static func readAll(_ path: String) throws(RecordingError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .io(path: path, operation: "open", errno: errno) }
        defer { close(fd) }
        // Read straight into the result, sized by fstat (plus one byte, so reaching the end
        // needs no second buffer); a file that grows meanwhile still reads whole.
        var st = stat()
        let expected = fstat(fd, &st) == 0 ? max(Int(st.st_size), 0) : 0
        var out = [UInt8](repeating: 0, count: expected + 1)
        var filled = 0
        while true {
            if filled == out.count { out.append(contentsOf: repeatElement(0, count: max(out.count, 1 << 16))) }
            let n = out.withUnsafeMutableBytes { read(fd, $0.baseAddress.map { $0 + filled }, $0.count - filled) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .io(path: path, operation: "read", errno: errno)
            }
            if n == 0 {
                out.removeSubrange(filled...)
                return out
            }
            filled += n
        }
    }

    static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws(RecordingError) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { buffer in write(fd, buffer.baseAddress.map { $0 + offset }, buffer.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .io(path: path, operation: "write", errno: errno)
            }
            offset += n
        }
    }

    /// Writes a whole file under a temporary name, then renames it into place, so readers
    /// never see half a file.
    static func atomicWrite(_ path: String, _ bytes: [UInt8], sync: Bool) throws(RecordingError) {
        let temp = path + ".tmp"
        let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .io(path: temp, operation: "open", errno: errno) }
        var written = false
        defer {
            close(fd)
            if !written { unlink(temp) }
        }
        try writeAll(fd, bytes, path: temp)
        if sync && fsync(fd) != 0 { throw .io(path: temp, operation: "fsync", errno: errno) }
        guard rename(temp, path) == 0 else { throw .io(path: path, operation: "rename", errno: errno) }
        written = true
    }

    static func makeDirectory(_ path: String) throws(RecordingError) {
        if mkdir(path, 0o755) != 0 && errno != EEXIST { throw .io(path: path, operation: "mkdir", errno: errno) }
    }

    /// Creates a folder and its parents.
    static func makeDirectories(_ path: String) throws(RecordingError) {
        var current = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            current += "/" + part
            try makeDirectory(current)
        }
    }

    static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    static func syncDirectory(_ path: String) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 { fsync(fd); close(fd) }
    }
}

/// The wall clock, for the `wall` field only (never hashed, never seen by the world).
enum WallClock {
    static func now() -> String {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        let ms = Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
        return ISO8601.format(VirtualTime(milliseconds: ms), offsetMinutes: 0)
    }
}

import TerrariumBase
