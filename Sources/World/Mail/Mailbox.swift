import TerrariumBase

/// One person's mailbox: its folders and the copies of messages it holds, in arrival order.
public struct Mailbox: Sendable, Hashable {
    public static let standardFolders = ["inbox", "sent", "drafts", "trash"]

    public var address: String
    public private(set) var folders: [String]
    public private(set) var entries: [String: MailboxEntry] = [:]
    /// Keys ordered by message date, ties in arrival order (kept sorted on insert, so
    /// listing never sorts).
    public private(set) var arrival: [String] = []
    /// Digest of each copy's message, computed once when it arrives; state hashing reuses it.
    private(set) var messageDigests: [String: Digest] = [:]

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

    mutating func insert(_ entry: MailboxEntry, messageDigest: Digest) {
        precondition(entries[entry.key] == nil, "World.apply checks keys before inserting")
        // New mail is dated "now", so this is almost always an append; search from the end.
        var position = arrival.count
        while position > 0, let previous = entries[arrival[position - 1]], previous.message.date > entry.message.date {
            position -= 1
        }
        arrival.insert(entry.key, at: position)
        entries[entry.key] = entry
        messageDigests[entry.key] = messageDigest
    }

    @discardableResult
    mutating func remove(_ key: String) -> MailboxEntry? {
        guard let removed = entries.removeValue(forKey: key) else { return nil }
        if let index = arrival.lastIndex(of: key) { arrival.remove(at: index) }
        messageDigests.removeValue(forKey: key)
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
    /// One page of a folder, newest first, and how many entries match in all; only the
    /// page's entries are copied out.
    public func page(folder: String, unreadOnly: Bool, offset: Int, limit: Int) -> (entries: [MailboxEntry], total: Int) {
        var page: [MailboxEntry] = []
        var total = 0
        for key in arrival.reversed() {
            guard let entry = entries[key], entry.folder == folder, !(unreadOnly && entry.read) else { continue }
            if total >= offset && page.count < limit { page.append(entry) }
            total += 1
        }
        return (page, total)
    }

    public func entries(in folder: String?) -> [MailboxEntry] {
        var result: [MailboxEntry] = []
        for key in arrival.reversed() {
            guard let entry = entries[key] else { continue }
            if let folder, entry.folder != folder { continue }
            result.append(entry)
        }
        return result
    }
}
