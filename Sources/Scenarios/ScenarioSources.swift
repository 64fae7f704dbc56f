import Foundation
import TerrariumBase
import TerrariumWorld

/// Reads the files a scenario refers to, confined to the scenario's folder, and remembers
/// each one's digest for the scenario's source hash.
final class ScenarioSources {
    let root: String
    /// Path → content digest, with `+x` appended for executable files (the mode is part of
    /// the world the scenario builds, so it is part of the source hash).
    private(set) var digests: [String: String] = [:]
    let cache: SourceCache

    init(root: String, cache: SourceCache = SourceCache()) {
        self.root = root.hasSuffix("/") ? String(root.dropLast()) : root
        self.cache = cache
    }

    /// Reads `relative` (a path inside the scenario folder). `at` locates the reference.
    func read(_ relative: String, at value: YAMLValue) throws(ScenarioError) -> [UInt8] {
        let path = try resolve(relative, at: value)
        if let (bytes, digest) = cache.reads[path] {
            digests[path] = digest
            return bytes
        }
        guard let data = FileManager.default.contents(atPath: root + "/" + path) else {
            throw value.error("no file \"\(relative)\" in the scenario folder \(root)")
        }
        let bytes = [UInt8](data)
        digests[path] = Digest.sha256(bytes).hex
        cache.reads[path] = (bytes, digests[path] ?? "")
        return bytes
    }

    /// Checks a relative path stays inside the scenario folder and names no link.
    func resolve(_ relative: String, at value: YAMLValue) throws(ScenarioError) -> String {
        if let resolved = cache.resolved[relative] { return resolved }
        let parts = relative.split(separator: "/").filter { $0 != "." }
        guard !relative.hasPrefix("/"), !parts.contains(".."), !parts.isEmpty else {
            throw value.error("\"\(relative)\" must be a path inside the scenario folder (no leading /, no ..)")
        }
        var current = root
        for part in parts {
            current += "/" + part
            if let type = try? FileManager.default.attributesOfItem(atPath: current)[.type] as? FileAttributeType,
                type == .typeSymbolicLink
            {
                throw value.error("\"\(relative)\" passes through a symbolic link; scenario sources must be real files")
            }
        }
        let resolved = parts.joined(separator: "/")
        cache.resolved[relative] = resolved
        return resolved
    }

    /// Every regular file under a folder of the scenario, sorted by path bytes, with its
    /// permission bits. Links and special files are refused.
    func walk(_ relative: String, at value: YAMLValue) throws(ScenarioError) -> [(path: String, content: Content, executable: Bool)] {
        let base = try resolve(relative, at: value)
        if let (files, walked) = cache.walks[base] {
            digests.merge(walked) { a, _ in a }
            return files
        }
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root + "/" + base, isDirectory: &isDir), isDir.boolValue else {
            throw value.error("no folder \"\(relative)\" in the scenario folder \(root)")
        }
        var out: [(String, Content, Bool)] = []
        func visit(_ rel: String) throws(ScenarioError) {
            let full = root + "/" + base + (rel.isEmpty ? "" : "/" + rel)
            let names: [String]
            do { names = try FileManager.default.contentsOfDirectory(atPath: full) } catch {
                throw value.error("cannot list \(full): \(error.localizedDescription)")
            }
            for name in names.sorted(by: JSON.utf8Less) {
                let childRel = rel.isEmpty ? name : rel + "/" + name
                let childFull = full + "/" + name
                let attributes = (try? FileManager.default.attributesOfItem(atPath: childFull)) ?? [:]
                let type = attributes[.type] as? FileAttributeType
                if type == .typeDirectory {
                    try visit(childRel)
                } else if type == .typeRegular {
                    guard let data = FileManager.default.contents(atPath: childFull) else {
                        throw value.error("cannot read \(childFull)")
                    }
                    // Hashed once, here: the world's file content and the source hash share the digest.
                    let content = Content([UInt8](data))
                    let permissions = (attributes[.posixPermissions] as? NSNumber)?.intValue ?? 0o644
                    let executable = permissions & 0o111 != 0
                    digests[base + "/" + childRel] = content.digest.hex + (executable ? "+x" : "")
                    out.append((childRel, content, executable))
                } else {
                    throw value.error("\(base)/\(childRel) is not a regular file or folder (links and devices are not allowed)")
                }
            }
        }
        try visit("")
        var walked: [String: String] = [:]
        for file in out { walked[base + "/" + file.0] = digests[base + "/" + file.0] }
        cache.walks[base] = (out, walked)
        return out
    }

    /// The digest of all sources read, independent of the order they were read in.
    var combinedDigest: Digest {
        Digest.sha256(JSON.object(digests.mapValues { .string($0) }).canonicalBytes())
    }
}

/// The files one `PreparedScenario` has read, with their digests: it builds a world per grid
/// condition and reads each source file once, not once per condition. Each build still
/// hashes only the files it used (a path may be rendered, e.g. `eml: mail/${lang}.eml`).
final class SourceCache {
    var reads: [String: (bytes: [UInt8], digest: String)] = [:]
    var walks: [String: (files: [(path: String, content: Content, executable: Bool)], digests: [String: String])] = [:]
    /// What a source renders to, by source path: reused while a condition renders the file
    /// to the same bytes (one without placeholders always does), so the conditions of a
    /// grid do not each hash every file and parse every .eml again.
    var contents: [String: Content] = [:]
    /// Paths already checked (inside the folder, no link on the way): each check is an
    /// lstat per path part, for every mail attachment and .eml of every condition.
    var resolved: [String: String] = [:]
    var emls: [String: (bytes: [UInt8], message: EMLMessage, attachments: [Content])] = [:]

    /// The content of `bytes`, which the source at `key` rendered to.
    func content(_ bytes: [UInt8], of key: String) -> Content {
        if let cached = contents[key], cached.bytes == bytes { return cached }
        let content = Content(bytes)
        contents[key] = content
        return content
    }

    /// The parsed message and its attachments' contents for the .eml at `key` rendered to
    /// `bytes`. A parse error is not kept: it is thrown again, the same, by the next parse.
    func eml(_ bytes: [UInt8], of key: String) throws(EMLError) -> (message: EMLMessage, attachments: [Content]) {
        if let cached = emls[key], cached.bytes == bytes { return (cached.message, cached.attachments) }
        let message = try EMLParser.parse(bytes)
        let attachments = message.attachments.map { Content($0.bytes) }
        emls[key] = (bytes, message, attachments)
        return (message, attachments)
    }
}
