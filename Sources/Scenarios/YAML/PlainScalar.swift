import Foundation
import TerrariumBase

/// The type of a plain (unquoted, untagged) YAML scalar: exactly what Yams' default
/// resolver and constructors give (`Resolver.default`: bool, int, float, then null; merge,
/// timestamp and value keys stay text here), written out by hand. Yams matches each rule
/// with an `NSRegularExpression`, which was most of the time spent loading a scenario;
/// `PlainScalarTests` checks this against Yams on every shape the rules name.
enum PlainScalar {
    /// The JSON value of a plain scalar: null, a boolean, a number or its text.
    static func json(_ s: String) -> JSON {
        let u = Array(s.utf8)
        if isBool(s) {
            switch s.lowercased() {
            case "true", "yes", "on": return .bool(true)
            default: return .bool(false)
            }
        }
        if isInt(u) { return int(s).map { .int(Int64($0)) } ?? .string(s) }
        if isFloat(u) { return double(s).map { .double($0) } ?? .string(s) }
        if isNull(s) { return .null }
        return .string(s)
    }

    static let bools: Set<String> = ["yes", "Yes", "YES", "no", "No", "NO", "true", "True", "TRUE", "false", "False", "FALSE",
                                     "on", "On", "ON", "off", "Off", "OFF"]

    static func isBool(_ s: String) -> Bool { s.utf8.count <= 5 && bools.contains(s) }

    static func isNull(_ s: String) -> Bool { s.isEmpty || s == "~" || s == "null" || s == "Null" || s == "NULL" }

    // MARK: Character classes

    static let zero = UInt8(ascii: "0"), one = UInt8(ascii: "1"), seven = UInt8(ascii: "7"), nine = UInt8(ascii: "9")
    static let underscore = UInt8(ascii: "_"), colon = UInt8(ascii: ":"), dot = UInt8(ascii: ".")

    static func isDigit(_ c: UInt8) -> Bool { c >= zero && c <= nine }
    static func isHex(_ c: UInt8) -> Bool {
        isDigit(c) || (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "f")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "F"))
    }

    /// Index after an optional leading sign.
    static func afterSign(_ u: [UInt8]) -> Int {
        guard let c = u.first, c == UInt8(ascii: "-") || c == UInt8(ascii: "+") else { return 0 }
        return 1
    }

    /// Whether `u[i...]` is one or more characters of `allowed`.
    static func run(_ u: [UInt8], from i: Int, _ allowed: (UInt8) -> Bool) -> Bool {
        i < u.count && u[i...].allSatisfy(allowed)
    }

    /// `(?::[0-5]?[0-9])+` from `i` to the end.
    static func sexagesimalTail(_ u: [UInt8], from start: Int) -> Bool {
        var i = start
        var groups = 0
        while i < u.count {
            guard u[i] == colon else { return false }
            i += 1
            // [0-5]?[0-9]: one digit, or two with the first 0-5.
            guard i < u.count, isDigit(u[i]) else { return false }
            if i + 1 < u.count, isDigit(u[i + 1]), u[i] <= UInt8(ascii: "5") { i += 2 } else { i += 1 }
            groups += 1
        }
        return groups > 0
    }

    /// `[1-9][0-9_]*` followed by a sexagesimal tail: the index where the tail starts, or nil.
    static func sexagesimalHead(_ u: [UInt8], from start: Int, firstMayBeZero: Bool) -> Int? {
        guard start < u.count, isDigit(u[start]), firstMayBeZero || u[start] != zero else { return nil }
        var i = start + 1
        while i < u.count, isDigit(u[i]) || u[i] == underscore { i += 1 }
        return i
    }

    /// Yams' int rule:
    /// `[-+]?0b[0-1_]+ | [-+]?0o?[0-7_]+ | [-+]?(0|[1-9][0-9_]*) | [-+]?0x[0-9a-fA-F_]+ | [-+]?[1-9][0-9_]*(:[0-5]?[0-9])+`
    static func isInt(_ u: [UInt8]) -> Bool {
        let i = afterSign(u)
        guard i < u.count, isDigit(u[i]) else { return false }
        if u[i] == zero {
            if i + 1 == u.count { return true }
            let next = u[i + 1]
            if next == UInt8(ascii: "b") { return run(u, from: i + 2) { $0 == zero || $0 == one || $0 == underscore } }
            if next == UInt8(ascii: "x") { return run(u, from: i + 2) { isHex($0) || $0 == underscore } }
            let octalStart = next == UInt8(ascii: "o") ? i + 2 : i + 1
            return run(u, from: octalStart) { ($0 >= zero && $0 <= seven) || $0 == underscore }
        }
        var j = i + 1
        while j < u.count, isDigit(u[j]) || u[j] == underscore { j += 1 }
        return j == u.count || sexagesimalTail(u, from: j)
    }

    /// Yams' float rule:
    /// `[-+]?[0-9][0-9_]*(\.[0-9_]*)?([eE][-+]?[0-9]+)? | \.[0-9_]+([eE][-+][0-9]+)? |
    ///  [-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\.[0-9_]* | [-+]?\.(inf|Inf|INF) | \.(nan|NaN|NAN)`
    static func isFloat(_ u: [UInt8]) -> Bool {
        let s = String(decoding: u, as: UTF8.self)
        if s == ".nan" || s == ".NaN" || s == ".NAN" { return true }
        let i = afterSign(u)
        if i < u.count, u[i] == dot {
            let rest = String(decoding: u[(i + 1)...], as: UTF8.self)
            if rest == "inf" || rest == "Inf" || rest == "INF" { return true }
            // `\.[0-9_]+([eE][-+][0-9]+)?` takes no sign.
            guard i == 0 else { return false }
            var j = 1
            while j < u.count, isDigit(u[j]) || u[j] == underscore { j += 1 }
            guard j > 1 else { return false }
            if j == u.count { return true }
            guard u[j] == UInt8(ascii: "e") || u[j] == UInt8(ascii: "E"), j + 1 < u.count,
                  u[j + 1] == UInt8(ascii: "-") || u[j + 1] == UInt8(ascii: "+") else { return false }
            return run(u, from: j + 2, isDigit)
        }
        guard i < u.count, isDigit(u[i]) else { return false }
        var j = i + 1
        while j < u.count, isDigit(u[j]) || u[j] == underscore { j += 1 }
        if j == u.count { return true }
        if u[j] == colon {
            // The sexagesimal form: groups, then a mandatory fraction.
            var k = j
            var groups = 0
            while k < u.count, u[k] == colon {
                k += 1
                guard k < u.count, isDigit(u[k]) else { return false }
                if k + 1 < u.count, isDigit(u[k + 1]), u[k] <= UInt8(ascii: "5") { k += 2 } else { k += 1 }
                groups += 1
            }
            guard groups > 0, k < u.count, u[k] == dot else { return false }
            return u[(k + 1)...].allSatisfy { isDigit($0) || $0 == underscore }
        }
        if u[j] == dot {
            j += 1
            while j < u.count, isDigit(u[j]) || u[j] == underscore { j += 1 }
            if j == u.count { return true }
        }
        guard u[j] == UInt8(ascii: "e") || u[j] == UInt8(ascii: "E") else { return false }
        j += 1
        if j < u.count, u[j] == UInt8(ascii: "-") || u[j] == UInt8(ascii: "+") { j += 1 }
        return run(u, from: j, isDigit)
    }

    // MARK: Construction (Yams' Int and Double constructors, step by step)

    static func int(_ text: String) -> Int? {
        let s = text.replacingOccurrences(of: "_", with: "")
        if s == "0" { return 0 }
        let negative = s.hasPrefix("-")
        let hasSign = negative || s.hasPrefix("+")
        let sign = negative ? "-" : ""
        let digits = s.dropFirst(hasSign ? 1 : 0)
        for (prefix, radix) in [("0x", 16), ("0b", 2), ("0o", 8), ("0", 8)] where digits.hasPrefix(prefix) {
            return Int(sign + digits.dropFirst(prefix.count), radix: radix)
        }
        if digits.contains(":") { return sexagesimal(s, Int.init) }
        return Int(s)
    }

    static func double(_ text: String) -> Double? {
        switch text.lowercased() {
        case ".inf", "+.inf": return .infinity
        case "-.inf": return -.infinity
        case ".nan": return .nan
        default:
            let s = text.replacingOccurrences(of: "_", with: "")
            if s.contains(":") { return sexagesimal(s, Double.init) }
            return Double(s)
        }
    }

    /// `[-+]a:b:c` = a·60² + b·60 + c, each part read by `part`.
    static func sexagesimal<T: Numeric>(_ text: String, _ part: (String) -> T?) -> T? {
        var body = Substring(text)
        var sign: T = 1
        if body.hasPrefix("-") { sign = -1; body = body.dropFirst() } else if body.hasPrefix("+") { body = body.dropFirst() }
        var value: T = 0
        var base: T = 1
        for component in body.components(separatedBy: ":").reversed() {
            guard let digit = part(component) else { return nil }
            value = value + digit * base
            base = base * 60
        }
        return sign * value
    }
}
