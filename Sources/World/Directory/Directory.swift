import TerrariumBase

/// One person of the company.
public struct Person: Sendable, Hashable {
    public var name: String
    public var address: String
    public var title: String
    /// The manager's address, if any.
    public var manager: String?

    public init(name: String, address: String, title: String, manager: String? = nil) {
        self.name = name
        self.address = address
        self.title = title
        self.manager = manager
    }
}

/// The company directory: who works here, which mail domains are the company's, and which
/// person the agent is. Addresses are compared case-insensitively, as mail servers do.
public struct Directory: Sendable, Hashable {
    public var companyName: String
    public var domains: [String]
    public var people: [Person] { didSet { index = Directory.makeIndex(people) } }
    public var agentAddress: String
    /// Lower-cased address → index in `people`.
    private var index: [String: Int]

    public init(companyName: String, domains: [String], people: [Person], agentAddress: String) {
        self.companyName = companyName
        self.domains = domains.map { $0.lowercased() }
        self.people = people
        self.agentAddress = agentAddress.lowercased()
        self.index = Directory.makeIndex(people)
    }

    static func makeIndex(_ people: [Person]) -> [String: Int] {
        var index: [String: Int] = [:]
        for (i, p) in people.enumerated() where index[p.address.lowercased()] == nil { index[p.address.lowercased()] = i }
        return index
    }

    public var agent: Person? { person(agentAddress) }

    public func person(_ address: String) -> Person? {
        if let i = index[address] { return people[i] }
        return index[address.lowercased()].map { people[$0] }
    }

    /// True when the address's domain belongs to the company (whether or not someone has it).
    public func isInternal(_ address: String) -> Bool {
        guard let at = address.lastIndex(of: "@") else { return false }
        let domain = address[address.index(after: at)...].lowercased()
        return domains.contains(domain)
    }
}

/// Checks the shape of an e-mail address: one `@`, a non-empty local part and a domain with
/// a dot, no spaces or angle brackets. Deliberately simple: it catches typos, not RFC trivia.
public func isPlausibleAddress(_ address: String) -> Bool {
    if let ascii = isPlausibleASCIIAddress(address) { return ascii }
    let parts = address.split(separator: "@", omittingEmptySubsequences: false)
    guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
        !parts[1].hasPrefix("."), !parts[1].hasSuffix(".")
    else { return false }
    return !address.contains { $0.isWhitespace || $0 == "<" || $0 == ">" || $0 == "," || $0 == ";" }
}

/// The same test over the bytes of an all-ASCII address (nil for any other): scenario
/// loading checks every address of every message, and walking Characters made that a
/// tenth of loading. In ASCII, the whitespace Characters are the bytes 9–13 and 32.
func isPlausibleASCIIAddress(_ address: String) -> Bool? {
    var at: Int?
    var index = 0
    for byte in address.utf8 {
        if byte >= 0x80 { return nil }
        switch byte {
        case 9...13, 32, UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: ","), UInt8(ascii: ";"): return false
        case UInt8(ascii: "@"):
            if at != nil { return false }
            at = index
        default: break
        }
        index += 1
    }
    guard let at, at > 0 else { return false }
    let domain = address.utf8.dropFirst(at + 1)
    return domain.contains(UInt8(ascii: ".")) && domain.first != UInt8(ascii: ".") && domain.last != UInt8(ascii: ".")
}
