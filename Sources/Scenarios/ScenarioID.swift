/// `[a-z0-9][a-z0-9-]*`: a scenario id (checked by hand: a regular expression compiled
/// per load cost more than reading the id).
func isScenarioID(_ id: String) -> Bool {
    guard let first = id.utf8.first, isLowerOrDigit(first) else { return false }
    return id.utf8.allSatisfy { isLowerOrDigit($0) || $0 == UInt8(ascii: "-") }
}

private func isLowerOrDigit(_ c: UInt8) -> Bool {
    (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(c) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c)
}
