import Foundation
import TerrariumBase

#if canImport(Glibc)
import Glibc
#endif

/// The few file operations runs need, with errors that name the path.
public struct RunFileError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
    init(_ d: String) { description = d }
}

enum RunFiles {
    static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    static func makeDirectories(_ path: String) throws(RunFileError) {
        do { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
            throw RunFileError("\(path): cannot create the folder: \(error.localizedDescription)")
        }
    }

    static func read(_ path: String) throws(RunFileError) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else { throw RunFileError("\(path): cannot read the file") }
        return [UInt8](data)
    }

    static func readJSON(_ path: String) throws(RunFileError) -> JSON {
        let bytes = try read(path)
        do { return try JSON.parse(bytes) } catch { throw RunFileError("\(path): \(error)") }
    }

    /// Writes through a temporary file and a rename, so a reader sees the old or the new
    /// file, never half of one.
    static func writeAtomically(_ path: String, _ bytes: [UInt8]) throws(RunFileError) {
        let temporary = path + ".tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw RunFileError("\(temporary): cannot create (errno \(errno))") }
        defer { close(fd) }
        try writeAll(fd, bytes, path: temporary)
        guard rename(temporary, path) == 0 else { throw RunFileError("\(path): cannot rename into place (errno \(errno))") }
    }

    static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws(RunFileError) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw RunFileError("\(path): write failed (errno \(errno))")
            }
            offset += n
        }
    }

    static func move(_ from: String, to: String) throws(RunFileError) {
        guard rename(from, to) == 0 else { throw RunFileError("cannot move \(from) to \(to) (errno \(errno))") }
    }
}

/// A file opened for appending lines, each written with one write(2).
final class AppendFile: @unchecked Sendable {
    let path: String
    private let fd: Int32
    private let sync: Bool

    init(path: String, sync: Bool) throws(RunFileError) {
        self.path = path
        self.sync = sync
        fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw RunFileError("\(path): cannot open for appending (errno \(errno))") }
    }

    deinit { close(fd) }

    func append(_ json: JSON) throws(RunFileError) {
        var line = json.canonicalBytes()
        line.append(0x0A)
        try RunFiles.writeAll(fd, line, path: path)
        if sync, fsync(fd) != 0 { throw RunFileError("\(path): fsync failed (errno \(errno))") }
    }
}
