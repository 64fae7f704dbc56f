import Testing
import TerrariumBase
import TerrariumScenarios
import Yams

/// Plain scalars are typed by hand (Sources/Scenarios/YAML/PlainScalar.swift) instead of by
/// Yams' regular expressions: the result must be exactly what Yams' default resolver and
/// constructors gave, for every shape its rules name and for thousands of random ones.
@Suite struct PlainScalarTests {
    /// What `YAMLValue.json()` returned before: Yams' resolver, then its constructors.
    func yams(_ text: String) -> JSON {
        let node = Node.scalar(.init(text, .implicit, .plain))
        switch Resolver.default.resolveTag(of: node) {
        case .null: return .null
        case .bool: if let b = node.bool { return .bool(b) }
        case .int: if let i = node.int { return .int(Int64(i)) }
        case .float: if let d = node.float { return .double(d) }
        default: break
        }
        return .string(text)
    }

    func ours(_ text: String) throws -> JSON {
        try YAMLValue(node: .scalar(.init(text, .implicit, .plain)), file: "t.yaml").json()
    }

    func same(_ a: JSON, _ b: JSON) -> Bool {
        if case .double(let x) = a, case .double(let y) = b, x.isNaN, y.isNaN { return true }
        return a == b
    }

    static let shapes = [
        "", "~", "null", "Null", "NULL", "nULL", "yes", "Yes", "YES", "yEs", "no", "on", "On", "ON", "off", "OFF", "true", "True",
        "TRUE", "false", "False", "FALSE", "y", "n", "0", "-0", "+0", "00", "007", "08", "09", "0o17", "0o", "0o8", "0b101", "0b",
        "0b2", "-0b11", "0x1F", "0xg", "+0x_ff", "0x", "1_000", "-12", "+12", "12_", "1:30", "17:00", "190:20:30", "1:60", "1:5",
        "1:123", "0:30", "-1:30", "1.5", "1.", ".5", "-.5", ".5e+3", ".5e3", "1e5", "1E-5", "1.5e+10", "1e", "1.2.3", "1:30.5",
        "1:30.", "1:60.5", "-1:30.25", ".inf", "-.inf", "+.inf", ".Inf", ".INF", ".iNf", ".nan", ".NaN", ".NAN", "-.nan", "<<",
        "=", "2026-03-16", "2026-03-16T08:30:00-05:00", "30s", "1h30m", "v1", "1.0.0", "9223372036854775807",
        "9223372036854775808", "-9223372036854775808", "1e400", "12abc", "_1", "1__2", "0_7", "0_8", "١٢", "½",
    ]

    @Test func everyShapeTypesAsYamsTypesIt() throws {
        for text in PlainScalarTests.shapes {
            let (a, b) = (try ours(text), yams(text))
            #expect(same(a, b), "\"\(text)\": ours \(a), Yams \(b)")
        }
    }

    @Test func randomScalarsTypeAsYamsTypesThem() throws {
        let alphabet = Array("0123456789_:.+-eEoxbB~aflnsuINFinfNaT ")
        var rng = SeededRandom(seed: 0x5eed)
        var mismatches: [String] = []
        for _ in 0..<20_000 {
            let length = Int(rng.next() % 9)
            let text = String((0..<length).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] })
            if !same(try ours(text), yams(text)) { mismatches.append(text) }
        }
        #expect(mismatches.isEmpty, "typed differently from Yams: \(mismatches.prefix(20))")
    }
}

