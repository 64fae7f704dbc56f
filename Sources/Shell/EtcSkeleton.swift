#if canImport(Glibc)
import Glibc
#endif

/// The sandbox's `/etc`: `Sandbox/rootfs/etc` with every `{{placeholder}}` filled from the
/// world (never the host's files), plus the zone link and the virtual clock's preload.
/// Rendered once per episode into `<episode>/root/etc`, owned by the supervisor and bound
/// read-only, so the agent can neither change it nor see the host's.
enum EtcSkeleton {
    enum Entry: Sendable {
        case file(name: String, text: String)
        case link(name: String, target: String)
        case directory(name: String, entries: [Entry])
    }

    /// The template, read once per process.
    static let template: Result<[Entry], ShellError> = {
        do throws(ShellError) {
            return .success(try read(try SandboxDirectory.locate() + "/rootfs/etc"))
        } catch { return .failure(error) }
    }()

    static func read(_ path: String) throws(ShellError) -> [Entry] {
        let dir = try DirectoryHandle.open(path, layer: "etc")
        var out: [Entry] = []
        for raw in try dir.entries().sorted(by: { $0.lexicographicallyPrecedes($1) }) {
            let name = String(decoding: raw, as: UTF8.self)
            guard let st = try? dir.status(name) else { throw .system("etc", "lstat", dir.child(name)) }
            switch st.st_mode & S_IFMT {
            case S_IFREG:
                out.append(.file(name: name, text: String(decoding: try dir.readRegularFile(name, limit: 1 << 20), as: UTF8.self)))
            case S_IFLNK:
                out.append(.link(name: name, target: String(decoding: try dir.readLink(name), as: UTF8.self)))
            case S_IFDIR:
                out.append(.directory(name: name, entries: try read(dir.child(name))))
            default:
                throw ShellError(layer: "etc", "\(dir.child(name)) is not a file, link or folder")
            }
        }
        return out
    }

    /// Writes the rendered `/etc` into `root/etc` (root must exist and be empty).
    static func render(into root: String, identity: SandboxIdentity, nameserver: String, preload: String?) throws(ShellError) {
        let values = [
            "user": identity.user, "uid": String(identity.uid), "gid": String(identity.gid),
            "full_name": identity.fullName, "home": identity.home, "hostname": identity.hostname,
            "domain": identity.domain, "nameserver": nameserver, "timezone": identity.zoneName,
        ]
        var entries = try template.get()
        entries.append(.link(name: "localtime", target: "/usr/share/zoneinfo/" + identity.zoneName))
        if let preload { entries.append(.file(name: "ld.so.preload", text: preload + "\n")) }
        entries.append(.file(name: VirtualClockFile.name, text: "+0\n"))
        guard mkdir(root + "/etc", 0o755) == 0 else { throw .system("etc", "mkdir", root + "/etc") }
        try write(entries, into: try DirectoryHandle.open(root + "/etc", layer: "etc"), values: values)
    }

    static func write(_ entries: [Entry], into dir: DirectoryHandle, values: [String: String]) throws(ShellError) {
        for entry in entries {
            switch entry {
            case .file(let name, let text):
                let filled = try fill(text, values, file: dir.child(name))
                let fd = openat(dir.fd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
                guard fd >= 0 else { throw .system("etc", "create", dir.child(name)) }
                let bytes = Array(filled.utf8)
                let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
                let ok = n == bytes.count && fchmod(fd, 0o644) == 0
                close(fd)
                guard ok else { throw .system("etc", "write", dir.child(name)) }
            case .link(let name, let target):
                guard symlinkat(target, dir.fd, name) == 0 else { throw .system("etc", "symlink", dir.child(name)) }
            case .directory(let name, let inner):
                guard mkdirat(dir.fd, name, 0o755) == 0 else { throw .system("etc", "mkdir", dir.child(name)) }
                try write(inner, into: try dir.openDirectory(name), values: values)
            }
        }
    }

    /// Replaces every `{{name}}`; a placeholder left over is an error (fail closed).
    static func fill(_ text: String, _ values: [String: String], file: String) throws(ShellError) -> String {
        var out = text
        for (key, value) in values { out = out.replacingOccurrences(of: "{{" + key + "}}", with: value) }
        if let open = out.range(of: "{{") {
            let rest = out[open.lowerBound...].prefix(40)
            throw ShellError(layer: "etc", "\(file): unfilled placeholder \(rest.split(separator: "\n").first ?? "")")
        }
        return out
    }
}

extension String {
    /// Literal replacement without Foundation.
    func replacingOccurrences(of target: String, with replacement: String) -> String {
        guard !target.isEmpty, contains(target) else { return self }
        var out = ""
        var rest = Substring(self)
        while let r = rest.range(of: target) {
            out += rest[..<r.lowerBound]
            out += replacement
            rest = rest[r.upperBound...]
        }
        return out + rest
    }
}

extension Substring {
    func range(of target: String) -> Range<Index>? {
        let t = Array(target.utf8)
        let u = self.utf8
        guard !t.isEmpty, u.count >= t.count else { return nil }
        var i = u.startIndex
        while i != u.endIndex {
            if u[i] == t[0] {
                var j = i, k = 0
                while k < t.count, j != u.endIndex, u[j] == t[k] { j = u.index(after: j); k += 1 }
                if k == t.count { return i..<j }
            }
            i = u.index(after: i)
        }
        return nil
    }
}

extension String {
    func range(of target: String) -> Range<Index>? { self[...].range(of: target) }
}
