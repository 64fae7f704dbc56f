// RFC 5322 §3.3 date-time, with the §4.3 obsolete forms:
//   [day-of-week ","] day month year hour ":" minute [":" second] zone
// Comments and extra whitespace are allowed; 2-digit years 00-49 mean 20xx, 50-99 and
// 3-digit years mean 19xx + n; zones are ±hhmm, UT/GMT/Z, the US zones and military letters
// (which RFC 5322 says to read as -0000).

enum EMLDateParser {
    struct Failure: Error {
        var message: String
    }

    private enum Token: Equatable {
        case word(String)
        case number(String)
        case punct(Unicode.Scalar)
    }

    private static let weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    private static let months = ["january", "february", "march", "april", "may", "june", "july",
                                 "august", "september", "october", "november", "december"]
    private static let zones: [String: Int] = [
        "ut": 0, "utc": 0, "gmt": 0, "z": 0,
        "est": -5 * 60, "edt": -4 * 60, "cst": -6 * 60, "cdt": -5 * 60,
        "mst": -7 * 60, "mdt": -6 * 60, "pst": -8 * 60, "pdt": -7 * 60,
    ]

    static func parse(_ value: String) throws(Failure) -> EMLDate {
        let tokens = try tokenize(EMLHeaderParameters.stripComments(value))
        var position = 0
        func next() -> Token? {
            guard position < tokens.count else { return nil }
            defer { position += 1 }
            return tokens[position]
        }
        func number(_ what: String, digits: ClosedRange<Int>) throws(Failure) -> Int {
            guard case .number(let text)? = next(), digits.contains(text.count), let value = Int(text) else {
                throw Failure(message: "expected the \(what)")
            }
            return value
        }
        func expect(_ punct: Unicode.Scalar, _ what: String) throws(Failure) {
            guard next() == .punct(punct) else { throw Failure(message: "expected '\(punct)' \(what)") }
        }

        // Optional day of week.
        if case .word(let word)? = tokens.first {
            let lower = word.lowercased()
            guard lower.count >= 3, let day = weekdays.first(where: { lower.hasPrefix($0) }),
                  lower.count == 3 || fullWeekday(day) == lower else {
                throw Failure(message: "unknown day of week \"\(word)\"")
            }
            position = 1
            if position < tokens.count, tokens[position] == .punct(",") { position += 1 }
        }
        let day = try number("day of month", digits: 1...2)
        guard case .word(let monthWord)? = next() else { throw Failure(message: "expected the month name") }
        let monthLower = monthWord.lowercased()
        guard monthLower.count >= 3, let monthIndex = months.firstIndex(where: { $0.hasPrefix(monthLower) }) else {
            throw Failure(message: "unknown month \"\(monthWord)\"")
        }
        let month = monthIndex + 1
        guard case .number(let yearText)? = next(), (2...4).contains(yearText.count), var year = Int(yearText) else {
            throw Failure(message: "expected the year")
        }
        switch yearText.count {
        case 2: year += year < 50 ? 2000 : 1900
        case 3: year += 1900
        default: break
        }
        let hour = try number("hour", digits: 1...2)
        try expect(":", "between hour and minute")
        let minute = try number("minute", digits: 2...2)
        var second = 0
        if position < tokens.count, tokens[position] == .punct(":") {
            position += 1
            second = try number("second", digits: 2...2)
        }
        let offset: Int
        switch next() {
        case .punct(let sign)? where sign == "+" || sign == "-":
            guard case .number(let text)? = next(), text.count == 4, let hhmm = Int(text) else {
                throw Failure(message: "expected a zone like -0500")
            }
            guard hhmm / 100 <= 23, hhmm % 100 <= 59 else { throw Failure(message: "zone offset out of range") }
            offset = (sign == "-" ? -1 : 1) * (hhmm / 100 * 60 + hhmm % 100)
        case .word(let word)?:
            let lower = word.lowercased()
            if let known = zones[lower] {
                offset = known
            } else if lower.count == 1, lower != "j" {
                offset = 0
            } else {
                throw Failure(message: "unknown time zone \"\(word)\"")
            }
        case nil:
            throw Failure(message: "missing time zone")
        default:
            throw Failure(message: "expected a time zone")
        }
        guard position == tokens.count else { throw Failure(message: "unexpected text after the time zone") }

        guard (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year) else {
            throw Failure(message: "day \(day) does not exist in \(monthWord) \(year)")
        }
        guard hour <= 23, minute <= 59, second <= 60 else { throw Failure(message: "time out of range") }
        let days = daysSinceEpoch(year: year, month: month, day: day)
        let local = days * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        return EMLDate(epochSeconds: local - Int64(offset * 60), utcOffsetMinutes: offset)
    }

    private static func fullWeekday(_ abbreviation: String) -> String {
        ["mon": "monday", "tue": "tuesday", "wed": "wednesday", "thu": "thursday",
         "fri": "friday", "sat": "saturday", "sun": "sunday"][abbreviation] ?? abbreviation
    }

    private static func tokenize(_ text: String) throws(Failure) -> [Token] {
        var tokens: [Token] = []
        let scalars = Array(text.unicodeScalars)
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if EMLText.isSpace(scalar) {
                index += 1
            } else if ("0"..."9").contains(scalar) {
                var run = String.UnicodeScalarView()
                while index < scalars.count, ("0"..."9").contains(scalars[index]) {
                    run.append(scalars[index])
                    index += 1
                }
                tokens.append(.number(String(run)))
            } else if ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) {
                var run = String.UnicodeScalarView()
                while index < scalars.count, ("a"..."z").contains(scalars[index]) || ("A"..."Z").contains(scalars[index]) {
                    run.append(scalars[index])
                    index += 1
                }
                tokens.append(.word(String(run)))
            } else if scalar == "," || scalar == ":" || scalar == "+" || scalar == "-" {
                tokens.append(.punct(scalar))
                index += 1
            } else {
                throw Failure(message: "unexpected character \"\(Character(scalar))\"")
            }
        }
        guard !tokens.isEmpty else { throw Failure(message: "empty date") }
        return tokens
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days from 1970-01-01 to the given proleptic Gregorian date.
    static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int64 {
        // Count years from March so the leap day is the last day of the counted year.
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let shiftedMonth = Int64((month + 9) % 12)
        let dayOfYear = (153 * shiftedMonth + 2) / 5 + Int64(day) - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
