import TerrariumBase

/// One person's mailbox: its folders and the copies of messages it holds, in arrival order.
public struct Mailbox: Sendable, Hashable {
    public static let standardFolders = ["inbox", "sent", "drafts", "trash"]

    public var address: String
    public private(set) var folders: [String]
    public private(set) var entries: [String: MailboxEntry] = [:]
    /// Keys in arrival order; listing sorts by date, ties broken by this order.
    public private(set) var arrival: [String] = []

    public init(address: String, extraFolders: [String] = []) {
        self.address = address
        var folders = Mailbox.standardFolders
        for folder in extraFolders where !folders.contains(folder) { folders.append(folder) }
        self.folders = folders
    }

    public func entry(_ key: String) -> MailboxEntry? { entries[key] }

    /// A key for a new copy of `messageID` that no entry of this mailbox uses yet.
    public func freshKey(for messageID: String) -> String {
        if entries[messageID] == nil { return messageID }
        var n = 2
        while entries["\(messageID)-\(n)"] != nil { n += 1 }
        return "\(messageID)-\(n)"
    }

    mutating func insert(_ entry: MailboxEntry) {
        if entries[entry.key] == nil { arrival.append(entry.key) }
        entries[entry.key] = entry
    }

    @discardableResult
    mutating func remove(_ key: String) -> MailboxEntry? {
        guard let removed = entries.removeValue(forKey: key) else { return nil }
        if let index = arrival.lastIndex(of: key) { arrival.remove(at: index) }
        return removed
    }

    mutating func update(_ key: String, _ change: (inout MailboxEntry) -> Void) -> (old: MailboxEntry, new: MailboxEntry)? {
        guard var entry = entries[key] else { return nil }
        let old = entry
        change(&entry)
        entries[key] = entry
        return (old, entry)
    }

    /// Entries of a folder (or all folders), newest first; equal dates keep arrival order reversed.
    public func entries(in folder: String?) -> [MailboxEntry] {
        var result: [(Int, MailboxEntry)] = []
        for (index, key) in arrival.enumerated() {
            guard let entry = entries[key] else { continue }
            if let folder, entry.folder != folder { continue }
            result.append((index, entry))
        }
        result.sort { a, b in
            if a.1.message.date != b.1.message.date { return a.1.message.date > b.1.message.date }
            return a.0 > b.0
        }
        return result.map(\.1)
    }
}
