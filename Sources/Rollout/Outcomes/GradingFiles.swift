import Foundation

/// File reading and atomic writing for what grading rewrites (rollout.json, summary.json,
/// judge verdicts): write to a temporary name beside the target, then rename, so a reader
/// never sees half a file and a crash leaves the old one.
enum GradingFiles {
    struct Failure: Error, Sendable, CustomStringConvertible {
        var description: String
    }

    static func read(_ path: String) throws(Failure) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else { throw Failure(description: "\(path): cannot read it") }
        return [UInt8](data)
    }

    static func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }

    static func atomicWrite(_ path: String, _ bytes: [UInt8]) throws(Failure) {
        let temporary = path + ".tmp-\(getpid())"
        do { try Data(bytes).write(to: URL(fileURLWithPath: temporary)) } catch {
            throw Failure(description: "\(path): cannot write it (\(error.localizedDescription))")
        }
        // rename(2) replaces the target atomically (FileManager.replaceItemAt does not, on Linux).
        guard rename(temporary, path) == 0 else {
            let code = errno
            try? FileManager.default.removeItem(atPath: temporary)
            throw Failure(description: "\(path): cannot replace it (\(String(cString: strerror(code))))")
        }
    }

    static func makeDirectory(_ path: String) throws(Failure) {
        do { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) } catch {
            throw Failure(description: "\(path): cannot create the folder (\(error.localizedDescription))")
        }
    }
}
