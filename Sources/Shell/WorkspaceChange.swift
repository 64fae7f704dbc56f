import TerrariumWorld

/// One change a command made to the home tree, as the world records it: the same effects
/// the file tools produce, so replaying the log rebuilds the world without running
/// anything.
public struct WorkspaceChange: Sendable {
    public enum Kind: Sendable { case created, modified, deleted }

    public var kind: Kind
    public var path: WorkspacePath
    public var effect: WorldEffect
    /// The node before the change (for modified and deleted).
    public var previous: FileNode?
    /// For a deleted folder: everything that was inside it.
    public var contents: [WorkspacePath]
}

/// Something a command left in the tree that the world cannot hold. It was removed from
/// the workspace (never opened) and is reported instead of recorded as a file.
public struct SkippedEntry: Sendable, Equatable {
    /// The path, with bytes that are not UTF-8 shown as `\xNN`.
    public var path: String
    /// `fifo`, `socket`, `character device`, `block device`, `name not UTF-8`,
    /// `link target not UTF-8`, `over the size budget`.
    public var kind: String
    /// What the supervisor did about it.
    public var action: String
}

/// How the change scan went (host measurements, for the unhashed `wall` object).
public struct ScanStatistics: Sendable {
    /// `events` (only what inotify saw touched) or `walk` (the whole tree).
    public var method = "walk"
    /// Entries examined with lstat.
    public var examined = 0
    /// Files whose content was read and hashed (the fast path failed for them).
    public var hashed = 0
    public var hashedBytes = 0
    /// Entries restamped to the world's time.
    public var restamped = 0
    /// World changes written to disk before the command (by other tools since the last one).
    public var synced = 0
    public var seconds = 0.0
    public var syncSeconds = 0.0
    public init() {}
}

extension SkippedEntry {
    static func printable(_ parent: WorkspacePath, _ name: [UInt8]) -> String {
        let shown: String
        if let s = String(validating: name, as: UTF8.self) {
            shown = s
        } else {
            var out = ""
            for b in name {
                if b >= 0x20 && b < 0x7F && b != 0x5C { out.unicodeScalars.append(Unicode.Scalar(b)) } else {
                    let hex = String(b, radix: 16, uppercase: true)
                    out += "\\x" + (hex.count == 1 ? "0" : "") + hex
                }
            }
            shown = out
        }
        return parent.isRoot ? shown : parent.raw + "/" + shown
    }
}
