import TerrariumBase

/// The whole simulated company at one instant: directory, clock, mailboxes, egress and the
/// agent's home tree. A value: copying it (snapshot, fork) costs a few reference counts.
///
/// The world keeps an incremental digest of its state (a set digest per part, updated by
/// each applied effect), so the hash after every recorded event costs one small SHA-256
/// instead of a walk over every message and file.
public struct World: Sendable {
    public let directory: Directory
    public let home: String
    public internal(set) var clock: WorldClock
    public internal(set) var mailboxes: [String: Mailbox]
    public internal(set) var messageIDs: Set<String>
    public internal(set) var egress: [Egress]
    public internal(set) var files: FileTree
    /// Flags, disabled tools, ended reason (Reactions/ReactiveState.swift).
    public internal(set) var reactive = ReactiveState()

    var mailDigest = SetDigest()
    var fileDigest = SetDigest()
    var egressDigest = SetDigest()
    /// Digest of `reactive`; nil while it is empty, so worlds without flags hash as before.
    var reactiveDigest: Digest?
    /// Digest of what never changes (directory, home, clock settings, folders).
    let fixedDigest: Digest

    public init(directory: Directory, home: String, clock: WorldClock,
                extraFolders: [String: [String]] = [:]) {
        self.directory = directory
        self.home = home
        self.clock = clock
        self.messageIDs = []
        self.egress = []
        self.files = FileTree(rootModified: clock.now)
        var boxes: [String: Mailbox] = [:]
        for person in directory.people where directory.isInternal(person.address) {
            let key = person.address.lowercased()
            boxes[key] = Mailbox(address: key, extraFolders: extraFolders[key] ?? [])
        }
        self.mailboxes = boxes
        self.fixedDigest = Digest.sha256(WorldCoding.fixedPart(directory: directory, home: home,
                                                               clock: clock, mailboxes: boxes).canonicalBytes())
        self.fileDigest.insert(World.entryDigest(.root, files[.root]!))
    }

    /// The hash of the whole state, as recorded after every event.
    public var stateHash: Digest {
        var bytes = DigestInput()
        bytes.append(fixedDigest)
        bytes.append(clock.now.milliseconds)
        for part in [mailDigest, fileDigest, egressDigest] {
            bytes.append(part.sum)
            bytes.append(Int64(part.count))
        }
        bytes.append(Int64(messageIDs.count))
        if let reactiveDigest { bytes.append(reactiveDigest) }
        return Digest.sha256(bytes.bytes)
    }

    public var agentMailbox: Mailbox? { mailboxes[directory.agentAddress] }

    public func mailbox(_ address: String) -> Mailbox? { mailboxes[address.lowercased()] }
}

extension World {
    /// Applies one effect. A recorded effect that does not fit the world (a corrupted or
    /// reordered log) is reported, never half-applied.
    public mutating func apply(_ effect: WorldEffect) throws(WorldDecodingError) {
        switch effect {
        case .advanceClock(let to):
            guard to >= clock.now else { throw WorldDecodingError("clock would move backwards") }
            clock.now = to
        case .deliver(let address, let entry):
            let box = address.lowercased()
            guard mailboxes[box] != nil else { throw WorldDecodingError("no mailbox \(address)") }
            guard mailboxes[box]!.folders.contains(entry.folder) else {
                throw WorldDecodingError("mailbox \(address) has no folder \(entry.folder)")
            }
            guard mailboxes[box]?.entry(entry.key) == nil else {
                throw WorldDecodingError("mailbox \(address) already has \(entry.key)")
            }
            let messageDigest = World.messageDigest(entry.message)
            mailboxes[box]!.insert(entry, messageDigest: messageDigest)
            messageIDs.insert(entry.message.messageID)
            mailDigest.insert(World.entryDigest(box, entry, messageDigest))
        case .setRead(let address, let key, let read):
            try changeEntry(address, key) { $0.read = read }
        case .moveMessage(let address, let key, let folder):
            guard mailboxes[address.lowercased()]?.folders.contains(folder) == true else {
                throw WorldDecodingError("mailbox \(address) has no folder \(folder)")
            }
            try changeEntry(address, key) { $0.folder = folder }
        case .removeMessage(let address, let key):
            let box = address.lowercased()
            guard let digest = mailboxes[box]?.messageDigests[key], let removed = mailboxes[box]?.remove(key) else {
                throw WorldDecodingError("no message \(key) in \(address)")
            }
            mailDigest.remove(World.entryDigest(box, removed, digest))
        case .egress(let record):
            egress.append(record)
            var bytes = DigestInput()
            bytes.append("egress")
            bytes.append(Int64(egress.count))
            bytes.append(record.recipient)
            bytes.append(World.messageDigest(record.message))
            egressDigest.insert(Digest.sha256(bytes.bytes))
        case .writeFile(let path, let content, let mode, let modified):
            try requireFolder(path.parent, for: path)
            if let old = files[path] {
                guard !old.isDirectory else { throw WorldDecodingError("\(path) is a directory") }
                fileDigest.remove(World.entryDigest(path, old))
            }
            let node = FileNode(kind: .file(content), mode: mode, modified: modified)
            files.put(path, node)
            fileDigest.insert(World.entryDigest(path, node))
        case .writeSymlink(let path, let target, let modified):
            try requireFolder(path.parent, for: path)
            if let old = files[path] {
                guard !old.isDirectory else { throw WorldDecodingError("\(path) is a directory") }
                fileDigest.remove(World.entryDigest(path, old))
            }
            let node = FileNode(kind: .symlink(target: target), mode: 0o777, modified: modified)
            files.put(path, node)
            fileDigest.insert(World.entryDigest(path, node))
        case .makeDirectory(let path, let mode, let modified):
            try requireFolder(path.parent, for: path)
            guard files[path] == nil else { throw WorldDecodingError("\(path) already exists") }
            let node = FileNode(kind: .directory, mode: mode, modified: modified)
            files.put(path, node)
            fileDigest.insert(World.entryDigest(path, node))
        case .remove(let path):
            guard !path.isRoot, files[path] != nil else { throw WorldDecodingError("\(path) does not exist") }
            for (p, node) in files.removeSubtree(path) { fileDigest.remove(World.entryDigest(p, node)) }
        case .move(let from, let to, let modified):
            guard !from.isRoot, files[from] != nil else { throw WorldDecodingError("\(from) does not exist") }
            guard files[to] == nil else { throw WorldDecodingError("\(to) already exists") }
            guard !to.isWithin(from) else { throw WorldDecodingError("cannot move \(from) into itself") }
            try requireFolder(to.parent, for: to)
            let removed = files.removeSubtree(from)
            for (p, node) in removed { fileDigest.remove(World.entryDigest(p, node)) }
            // Re-insert shallowest first so every folder exists before its children.
            for (p, node) in removed.reversed() {
                var moved = node
                if p == from { moved.modified = modified }
                let target = p.rebased(from: from, to: to)
                files.put(target, moved)
                fileDigest.insert(World.entryDigest(target, moved))
            }
        case .setFlags, .disableTools, .enableTools, .endEpisode:
            try applyReactive(effect)
        }
    }

    private mutating func changeEntry(_ address: String, _ key: String,
                                      _ change: (inout MailboxEntry) -> Void) throws(WorldDecodingError) {
        let box = address.lowercased()
        guard let digest = mailboxes[box]?.messageDigests[key], let (old, new) = mailboxes[box]?.update(key, change) else {
            throw WorldDecodingError("no message \(key) in \(address)")
        }
        mailDigest.remove(World.entryDigest(box, old, digest))
        mailDigest.insert(World.entryDigest(box, new, digest))
    }

    private func requireFolder(_ folder: WorkspacePath?, for path: WorkspacePath) throws(WorldDecodingError) {
        guard let folder else { throw WorldDecodingError("the home itself cannot be replaced") }
        guard files[folder]?.isDirectory == true else { throw WorldDecodingError("folder of \(path) does not exist") }
    }

    /// The message as written (canonical JSON, contents by digest), hashed once per copy.
    static func messageDigest(_ message: Message) -> Digest {
        var bytes: [UInt8] = []
        WorldSnapshotBytes.writeMessage(message, inline: false, into: &bytes)
        return Digest.sha256(bytes)
    }

    static func entryDigest(_ mailbox: String, _ entry: MailboxEntry, _ messageDigest: Digest) -> Digest {
        var bytes = DigestInput()
        bytes.append("mail")
        bytes.append(mailbox)
        bytes.append(entry.key)
        bytes.append(entry.folder)
        bytes.append(Int64(entry.read ? 1 : 0))
        bytes.append(messageDigest)
        return Digest.sha256(bytes.bytes)
    }

    static func entryDigest(_ path: WorkspacePath, _ node: FileNode) -> Digest {
        var bytes = DigestInput()
        bytes.append("file")
        bytes.append(path.raw)
        bytes.append(Int64(node.mode))
        bytes.append(node.modified.milliseconds)
        switch node.kind {
        case .file(let content): bytes.append(content.digest)
        case .directory: bytes.append("directory")
        case .symlink(let target): bytes.append("symlink"); bytes.append(target)
        }
        return Digest.sha256(bytes.bytes)
    }
}
