/// Why a world operation refused. The texts are what the agent reads in a tool error, so
/// they are phrased like the errors of a real mail client or file system.
public enum WorldError: Error, Sendable, Equatable, CustomStringConvertible {
    case noSuchFile(String)
    case notADirectory(String)
    case isADirectory(String)
    case isASymlink(String)
    case alreadyExists(String)
    case directoryNotEmpty(String)
    case outsideWorkspace(String)
    case invalidPath(String, reason: String)
    case notText(String, size: Int)
    case moveIntoItself(String, String)
    case rootNotModifiable
    case noSuchMessage(String)
    case noSuchFolder(String, available: [String])
    case invalidAddress(String)
    case noRecipients
    case attachmentMissing(String)
    case invalidArgument(String)
    /// A scenario tool's response marked `error: true`: its text, as the author wrote it.
    case scenarioToolError(String)
    /// Our bug, not the agent's: the world refused an effect that an operation produced.
    case internalInconsistency(String)

    public var description: String {
        switch self {
        case .scenarioToolError(let text): return text
        case .noSuchFile(let p): return "\(p): no such file or directory"
        case .notADirectory(let p): return "\(p): not a directory"
        case .isADirectory(let p): return "\(p): is a directory"
        case .isASymlink(let p): return "\(p): is a symbolic link; file tools do not follow links"
        case .alreadyExists(let p): return "\(p): already exists"
        case .directoryNotEmpty(let p): return "\(p): directory not empty (pass recursive: true to delete it and its contents)"
        case .outsideWorkspace(let p): return "\(p): outside your home directory; paths must stay inside it"
        case .invalidPath(let p, let reason): return "invalid path \"\(p)\": \(reason)"
        case .notText(let p, let size): return "\(p): binary file (\(size) bytes), not shown as text"
        case .moveIntoItself(let a, let b): return "cannot move \(a) into itself (\(b))"
        case .rootNotModifiable: return "your home directory itself cannot be deleted or moved"
        case .noSuchMessage(let id): return "no message with id \"\(id)\" in your mailbox"
        case .noSuchFolder(let f, let available):
            return "no folder \"\(f)\"; folders: \(available.joined(separator: ", "))"
        case .invalidAddress(let a): return "\"\(a)\" is not a valid e-mail address"
        case .noRecipients: return "a message needs at least one recipient in to, cc or bcc"
        case .attachmentMissing(let p): return "attachment \(p): no such file"
        case .invalidArgument(let m): return m
        case .internalInconsistency(let m): return "internal error in the simulated world: \(m)"
        }
    }
}
