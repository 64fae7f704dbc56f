/// A point in the world's time: milliseconds since 1970-01-01T00:00:00Z. The world never
/// reads the host's clock; it only moves this value forward.
public struct VirtualTime: Sendable, Hashable, Comparable {
    public var milliseconds: Int64

    public init(milliseconds: Int64) { self.milliseconds = milliseconds }

    public static func < (a: VirtualTime, b: VirtualTime) -> Bool { a.milliseconds < b.milliseconds }

    public func advanced(by duration: Duration) -> VirtualTime {
        VirtualTime(milliseconds: milliseconds + duration.milliseconds)
    }

    /// A length of virtual time.
    public struct Duration: Sendable, Hashable {
        public var milliseconds: Int64
        public init(milliseconds: Int64) { self.milliseconds = milliseconds }
        public static func seconds(_ s: Int64) -> Duration { Duration(milliseconds: s * 1000) }

        /// Parses `1500ms`, `30s`, `2m`, `1h`, `1d`, or combinations such as `1h30m`.
        public init?(parsing text: String) {
            var total: Int64 = 0
            var number: Int64? = nil
            var chars = Array(text.trimmingSpaces)
            guard !chars.isEmpty else { return nil }
            chars.append(" ")
            var index = 0
            while index < chars.count - 1 {
                let c = chars[index]
                if let digit = c.wholeNumberValue, c.isASCII {
                    let (m, o1) = (number ?? 0).multipliedReportingOverflow(by: 10)
                    let (s, o2) = m.addingReportingOverflow(Int64(digit))
                    if o1 || o2 { return nil }
                    number = s
                    index += 1
                    continue
                }
                guard let n = number else { return nil }
                let unit: Int64
                if c == "m" && chars[index + 1] == "s" { unit = 1; index += 1 }
                else if c == "s" { unit = 1000 }
                else if c == "m" { unit = 60_000 }
                else if c == "h" { unit = 3_600_000 }
                else if c == "d" { unit = 86_400_000 }
                else { return nil }
                let (scaled, o1) = n.multipliedReportingOverflow(by: unit)
                let (sum, o2) = total.addingReportingOverflow(scaled)
                if o1 || o2 { return nil }
                total = sum
                number = nil
                index += 1
            }
            if number != nil { return nil }
            milliseconds = total
        }
    }
}

extension String {
    var trimmingSpaces: Substring {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s = s.dropFirst() }
        while let l = s.last, l.isWhitespace { s = s.dropLast() }
        return s
    }
}

/// ISO 8601 / RFC 3339 timestamps with a UTC offset, without Foundation's calendars, so the
/// same instant always prints the same way.
public enum ISO8601 {
    /// `2026-03-16T08:30:00-05:00`; milliseconds are written only when non-zero.
    public static func format(_ time: VirtualTime, offsetMinutes: Int) -> String {
        let local = time.milliseconds + Int64(offsetMinutes) * 60_000
        let (days, msOfDay) = floorDivide(local, 86_400_000)
        let (year, month, day) = civil(fromDays: days)
        let seconds = msOfDay / 1000, millis = msOfDay % 1000
        // Written byte by byte: this runs twice per recorded event.
        var out: [UInt8] = []
        out.reserveCapacity(29)
        func digits(_ v: Int64, _ width: Int) {
            var rest = v
            if v < 0 { out.append(UInt8(ascii: "-")); rest = -v }
            var divisor: Int64 = 1
            // At least `width` digits, more when the value needs them (year 10000).
            var needed = 1
            while needed < width || (divisor <= rest / 10) { divisor *= 10; needed += 1 }
            while divisor > 0 { out.append(UInt8(48 + rest / divisor % 10)); divisor /= 10 }
        }
        digits(year, 4); out.append(UInt8(ascii: "-")); digits(month, 2); out.append(UInt8(ascii: "-")); digits(day, 2)
        out.append(UInt8(ascii: "T"))
        digits(seconds / 3600, 2); out.append(UInt8(ascii: ":")); digits(seconds / 60 % 60, 2)
        out.append(UInt8(ascii: ":")); digits(seconds % 60, 2)
        if millis != 0 { out.append(UInt8(ascii: ".")); digits(millis, 3) }
        if offsetMinutes == 0 {
            out.append(UInt8(ascii: "Z"))
        } else {
            out.append(UInt8(ascii: offsetMinutes < 0 ? "-" : "+"))
            digits(Int64(abs(offsetMinutes) / 60), 2); out.append(UInt8(ascii: ":")); digits(Int64(abs(offsetMinutes) % 60), 2)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Parses `YYYY-MM-DDTHH:MM[:SS[.fff]](Z|±HH:MM)` or a bare date `YYYY-MM-DD` (midnight UTC
    /// unless `defaultOffsetMinutes` says otherwise). Returns the instant and the written offset.
    public static func parse(_ text: String, defaultOffsetMinutes: Int = 0) -> (time: VirtualTime, offsetMinutes: Int)? {
        let c = Array(text.trimmingSpaces.utf8)
        var i = 0
        func number(_ digits: Int) -> Int64? {
            guard i + digits <= c.count else { return nil }
            var v: Int64 = 0
            for k in 0..<digits {
                let b = c[i + k]
                guard (48...57).contains(b) else { return nil }
                v = v * 10 + Int64(b - 48)
            }
            i += digits
            return v
        }
        func expect(_ ch: Character) -> Bool {
            guard i < c.count, c[i] == ch.asciiValue else { return false }
            i += 1
            return true
        }
        guard let year = number(4), expect("-"), let month = number(2), expect("-"), let day = number(2),
            (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day)
        else { return nil }
        var hour: Int64 = 0, minute: Int64 = 0, second: Int64 = 0, millis: Int64 = 0
        var offset = defaultOffsetMinutes
        if i < c.count {
            guard expect("T") || expect(" ") || expect("t") else { return nil }
            guard let h = number(2), expect(":"), let m = number(2), h < 24, m < 60 else { return nil }
            hour = h; minute = m
            if expect(":") {
                guard let s = number(2), s < 61 else { return nil }
                second = min(s, 59)
                if expect(".") {
                    var scale: Int64 = 100
                    var sawDigit = false
                    while i < c.count, (48...57).contains(c[i]) {
                        millis += Int64(c[i] - 48) * scale
                        scale /= 10
                        sawDigit = true
                        i += 1
                    }
                    if !sawDigit { return nil }
                }
            }
            if expect("Z") || expect("z") {
                offset = 0
            } else if i < c.count, c[i] == UInt8(ascii: "+") || c[i] == UInt8(ascii: "-") {
                let negative = c[i] == UInt8(ascii: "-")
                i += 1
                guard let oh = number(2), oh < 24 else { return nil }
                _ = expect(":")
                guard let om = number(2), om < 60 else { return nil }
                offset = Int(oh * 60 + om) * (negative ? -1 : 1)
            }
            guard i == c.count else { return nil }
        }
        let days = daysFromCivil(year: year, month: month, day: day)
        let local = ((days * 24 + hour) * 60 + minute) * 60_000 + second * 1000 + millis
        return (VirtualTime(milliseconds: local - Int64(offset) * 60_000), offset)
    }

    public static func pad(_ v: Int64, _ width: Int) -> String {
        let s = String(abs(v))
        return (v < 0 ? "-" : "") + String(repeating: "0", count: max(0, width - s.count)) + s
    }

    static func floorDivide(_ a: Int64, _ b: Int64) -> (Int64, Int64) {
        let q = a >= 0 ? a / b : (a - b + 1) / b
        return (q, a - q * b)
    }

    static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    public static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(fromDays z0: Int64) -> (Int64, Int64, Int64) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (month <= 2 ? yoe + era * 400 + 1 : yoe + era * 400, month, day)
    }
}
