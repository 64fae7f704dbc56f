import TerrariumBase

/// A whole world as one JSON document: the initial state of an episode on disk, and what
/// `replay --at` prints. Reading it back rebuilds the world through `apply`, so a snapshot
/// and an event log go through the same checks.
extension World {
    public static let snapshotFormat = "terrarium.world/1"

    public func snapshotJSON(_ codec: some ContentCodec) -> JSON {
        var boxes: [String: JSON] = [:]
        var folders: [String: JSON] = [:]
        for (address, box) in mailboxes {
            boxes[address] = .array(box.arrival.compactMap { box.entry($0) }.map { WorldCoding.entry($0, codec) })
            folders[address] = JSON(box.folders)
        }
        let fileList: [JSON] = ([WorkspacePath.root] + files.descendants(of: .root)).compactMap { path in
            guard let node = files[path] else { return nil }
            var o: [String: JSON] = ["path": .string(path.raw), "mode": .int(Int64(node.mode)),
                                     "modified": .int(node.modified.milliseconds)]
            switch node.kind {
            case .file(let content): o["content"] = codec.encode(content)
            case .directory: o["directory"] = true
            case .symlink(let target): o["symlink"] = .string(target)
            }
            return .object(o)
        }
        var document: JSON = [
            "format": .string(World.snapshotFormat),
            "directory": WorldCoding.directory(directory), "home": .string(home),
            "clock": ["now": .int(clock.now.milliseconds), "settings": WorldCoding.clockSettings(clock)],
            "folders": .object(folders), "mailboxes": .object(boxes),
            "messageIDs": JSON(messageIDs.sorted(by: JSON.utf8Less)),
            "egress": .array(egress.map { WorldCoding.egress($0, codec) }),
            "files": .array(fileList),
        ]
        // Only present once a scenario changed it, so earlier snapshots keep their bytes.
        if !reactive.isEmpty, case .object(var o) = document { o["reactive"] = reactive.json; document = .object(o) }
        return document
    }

    public init(snapshot j: JSON, _ codec: some ContentCodec) throws(WorldDecodingError) {
        let r = Reader(j, "world")
        guard try r.string("format") == World.snapshotFormat else {
            throw WorldDecodingError("world snapshot format is not \(World.snapshotFormat)")
        }
        let directory = try World.decodeDirectory(try r.member("directory"))
        let clockJSON = try r.member("clock")
        guard let settings = clockJSON["settings"] else { throw WorldDecodingError("world: clock without settings") }
        let sr = Reader(settings, "clock settings")
        var perTool: [String: VirtualTime.Duration] = [:]
        for (tool, value) in try sr.member("advancePerTool").objectValue ?? [:] {
            guard let ms = value.intValue else { throw WorldDecodingError("clock settings: bad advance for \(tool)") }
            perTool[tool] = .init(milliseconds: ms)
        }
        let now = VirtualTime(milliseconds: try Reader(clockJSON, "clock").int("now"))
        let clock = WorldClock(now: now, utcOffsetMinutes: Int(try sr.int("utcOffsetMinutes")),
                               timezone: settings["timezone"]?.stringValue,
                               defaultAdvance: .init(milliseconds: try sr.int("defaultAdvance")), advancePerTool: perTool)
        var extra: [String: [String]] = [:]
        for (address, list) in try r.member("folders").objectValue ?? [:] {
            extra[address] = (list.arrayValue ?? []).compactMap(\.stringValue)
        }
        self.init(directory: directory, home: try r.string("home"), clock: clock, extraFolders: extra)
        for file in try r.array("files") {
            let fr = Reader(file, "file")
            let path = try fr.path("path")
            let mode = UInt32(clamping: try fr.int("mode"))
            let modified = VirtualTime(milliseconds: try fr.int("modified"))
            if path.isRoot {
                setRoot(mode: mode, modified: modified)
            } else if let content = file["content"] {
                try apply(.writeFile(path: path, content: try codec.decode(content), mode: mode, modified: modified))
            } else if let target = file["symlink"]?.stringValue {
                try apply(.writeSymlink(path: path, target: target, modified: modified))
            } else {
                try apply(.makeDirectory(path: path, mode: mode, modified: modified))
            }
        }
        for (address, entries) in try r.member("mailboxes").objectValue ?? [:] {
            for entry in entries.arrayValue ?? [] {
                try apply(.deliver(mailbox: address, entry: try WorldCoding.entry(entry, codec)))
            }
        }
        for record in try r.array("egress") { try apply(.egress(try WorldCoding.egress(record, codec))) }
        messageIDs.formUnion(try r.strings("messageIDs"))
        if let state = j["reactive"] {
            reactive = try ReactiveState(json: state)
            reactiveDigest = reactive.isEmpty ? nil : Digest.sha256(reactive.json.canonicalBytes())
        }
    }

    /// Sets the home folder's own mode and time (they are part of the state hash).
    public mutating func setRoot(mode: UInt32, modified: VirtualTime) {
        guard let old = files[.root] else { return }
        fileDigest.remove(World.entryDigest(.root, old))
        let node = FileNode(kind: .directory, mode: mode, modified: modified)
        files.put(.root, node)
        fileDigest.insert(World.entryDigest(.root, node))
    }

    static func decodeDirectory(_ j: JSON) throws(WorldDecodingError) -> Directory {
        let r = Reader(j, "directory")
        var people: [Person] = []
        for p in try r.array("people") {
            let pr = Reader(p, "person")
            people.append(Person(name: try pr.string("name"), address: try pr.string("address"),
                                 title: try pr.string("title"), manager: p["manager"]?.stringValue))
        }
        return Directory(companyName: try r.string("company"), domains: try r.strings("domains"), people: people,
                         agentAddress: try r.string("agent"))
    }
}
