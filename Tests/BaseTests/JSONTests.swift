import Testing
import TerrariumBase

@Suite("Base: canonical JSON")
struct JSONCanonicalTests {
    @Test func scalars() {
        #expect(JSON.null.canonicalString() == "null")
        #expect(JSON.bool(true).canonicalString() == "true")
        #expect(JSON.bool(false).canonicalString() == "false")
        #expect(JSON.int(0).canonicalString() == "0")
        #expect(JSON.int(-42).canonicalString() == "-42")
        #expect(JSON.int(Int64.max).canonicalString() == "9223372036854775807")
        #expect(JSON.int(Int64.min).canonicalString() == "-9223372036854775808")
        #expect(JSON.string("").canonicalString() == "\"\"")
    }

    @Test func doubles() {
        #expect(JSON.double(3.0).canonicalString() == "3")
        #expect(JSON.double(-0.0).canonicalString() == "0")
        #expect(JSON.double(1.5).canonicalString() == "1.5")
        #expect(JSON.double(0.1).canonicalString() == "0.1")
        #expect(JSON.double(-2.25).canonicalString() == "-2.25")
        #expect(JSON.double(1e-7).canonicalString() == "1e-07")
        #expect(JSON.double(8.9e15).canonicalString() == "8900000000000000")
        #expect(JSON.double(1e16).canonicalString() == "1e+16")
        #expect(JSON.double(.nan).canonicalString() == "null")
        #expect(JSON.double(.infinity).canonicalString() == "null")
        #expect(JSON.double(-.infinity).canonicalString() == "null")
    }

    @Test func stringsEscapeOnlyWhatJSONRequires() {
        #expect(JSON.string("a\"b\\c").canonicalString() == #""a\"b\\c""#)
        #expect(JSON.string("\n\r\t\u{8}\u{C}").canonicalString() == #""\n\r\t\b\f""#)
        #expect(JSON.string("\u{0}\u{1}\u{1F}").canonicalString() == #""\u0000\u0001\u001f""#)
        #expect(JSON.string("\u{7F}").canonicalBytes() == [0x22, 0x7F, 0x22])
        #expect(JSON.string("/").canonicalString() == "\"/\"")
        #expect(JSON.string("é😀\u{202E}").canonicalBytes() == [0x22] + Array("é😀\u{202E}".utf8) + [0x22])
    }

    @Test func objectKeysAreSortedByUTF8Bytes() {
        let o: JSON = ["b": 1, "a": 2, "B": 3, "é": 4, "z": 5, "aa": 6, "": 7]
        #expect(o.canonicalString() == #"{"":7,"B":3,"a":2,"aa":6,"b":1,"z":5,"é":4}"#)
        #expect(JSON.utf8Less("Z", "a"))
        #expect(JSON.utf8Less("z", "é"))
        #expect(!JSON.utf8Less("a", "a"))
    }

    @Test func nestedValuesHaveNoWhiteSpace() {
        let v: JSON = ["list": [1, "two", nil, true, ["k": []]], "empty": [:]]
        #expect(v.canonicalString() == #"{"empty":{},"list":[1,"two",null,true,{"k":[]}]}"#)
    }

    @Test func prettyIsSortedAndIndented() {
        let v: JSON = ["b": [1, 2], "a": [:], "c": []]
        #expect(v.prettyString() == "{\n  \"a\": {},\n  \"b\": [\n    1,\n    2\n  ],\n  \"c\": []\n}")
    }

    @Test func equalValuesGiveEqualBytes() {
        let a: JSON = .object(["x": 1, "y": ["p": true, "q": nil]])
        var members: [String: JSON] = [:]
        members["y"] = ["q": nil, "p": true]
        members["x"] = 1
        #expect(a.canonicalBytes() == JSON.object(members).canonicalBytes())
    }

    @Test func accessors() {
        let v: JSON = ["s": "x", "i": 3, "d": .double(4.0), "f": .double(4.5), "b": true, "a": [1], "o": ["k": "v"]]
        #expect(v["s"]?.stringValue == "x")
        #expect(v["i"]?.intValue == 3)
        #expect(v["d"]?.intValue == 4)
        #expect(v["f"]?.intValue == nil)
        #expect(v["b"]?.boolValue == true)
        #expect(v["a"]?.arrayValue == [1])
        #expect(v["o"]?.objectValue == ["k": "v"])
        #expect(v["missing"] == nil)
        #expect(JSON.int(1)["k"] == nil)
        #expect(JSON.double(1e300).intValue == nil)
        #expect([JSON.null, true, 1, .double(1), "s", [], [:]].map(\.typeName)
                == ["null", "boolean", "integer", "number", "string", "array", "object"])
        #expect(JSON(nil as String?) == .null)
        #expect(JSON("x" as String?) == "x")
        #expect(JSON(5) == .int(5))
        #expect(JSON(["a", "b"]) == ["a", "b"])
    }
}

@Suite("Base: JSON parser")
struct JSONParserTests {
    func parse(_ text: String) throws -> JSON { try JSON.parse(text) }

    func failure(_ text: String) -> JSONParseError? {
        do {
            _ = try JSON.parse(text)
            return nil
        } catch {
            return error
        }
    }

    @Test func values() throws {
        #expect(try parse("null") == .null)
        #expect(try parse(" true ") == true)
        #expect(try parse("false") == false)
        #expect(try parse("0") == .int(0))
        #expect(try parse("-12") == .int(-12))
        #expect(try parse("1.5") == .double(1.5))
        #expect(try parse("1e3") == .double(1000))
        #expect(try parse("-0.5E-2") == .double(-0.005))
        #expect(try parse("9223372036854775807") == .int(Int64.max))
        #expect(try parse("9223372036854775808") == .double(9223372036854775808))
        #expect(try parse("\"hi\"") == "hi")
        #expect(try parse("[]") == [])
        #expect(try parse("{}") == [:])
        #expect(try parse(" { \"a\" : [ 1 , { \"b\" : null } ] }\n") == ["a": [1, ["b": nil]]])
    }

    @Test func escapes() throws {
        #expect(try parse(#""\"\\\/\b\f\n\r\t""#) == "\"\\/\u{8}\u{C}\n\r\t")
        #expect(try parse(#""\u00e9\u00E9""#) == "éé")
        #expect(try parse(#""\ud83d\ude00""#) == "😀")
        #expect(try parse(#""\u0000""#) == "\u{0}")
        #expect(try parse("\"é😀\"") == "é😀")
    }

    @Test func roundTripsThroughCanonicalBytes() throws {
        let v: JSON = ["text": "line\nnext \"quoted\" \u{1} é", "n": -7, "f": .double(2.5), "list": [true, nil, [:]],
                       "nested": ["deep": ["deeper": [1, 2, 3]]]]
        #expect(try JSON.parse(v.canonicalBytes()) == v)
        #expect(try JSON.parse(v.prettyString()) == v)
    }

    @Test(arguments: [
        ("", 0, "unexpected end of input"),
        ("nul", 0, "unexpected end of input"),
        ("nulx", 0, "invalid literal"),
        ("tru", 0, "unexpected end of input"),
        ("[1,]", 3, "unexpected character ']'"),
        ("[1 2]", 3, "expected ',' or ']'"),
        ("[1", 2, "unexpected end of input in an array"),
        ("{\"a\" 1}", 5, "expected ':'"),
        ("{\"a\":1,}", 7, "expected a string key"),
        ("{a:1}", 1, "expected a string key"),
        ("{\"a\":1", 6, "unexpected end of input in an object"),
        ("{\"a\":1 \"b\":2}", 7, "expected ',' or '}'"),
        ("{\"a\":1,\"a\":2}", 11, "duplicate key \"a\" (keys are compared after Unicode normalisation)"),
        ("1 2", 2, "unexpected data after the value"),
        ("01", 1, "unexpected data after the value"),
        ("-", 1, "truncated number"),
        ("-a", 1, "invalid number"),
        ("1.", 2, "digits expected after '.'"),
        ("1e", 2, "digits expected in exponent"),
        ("+1", 0, "unexpected character '+'"),
        ("'a'", 0, "unexpected character '''"),
        ("\"abc", 4, "unterminated string"),
        ("\"a\u{1}\"", 2, "control character in a string"),
        ("\"a\nb\"", 2, "control character in a string"),
        (#""\x""#, 3, "invalid escape"),
        (#""\u12zz""#, 5, "invalid hex digit in \\u escape"),
        (#""\u12""#, 3, "short \\u escape"),
        (#""\u1""#, 3, "short \\u escape"),
        (#""\ud83d""#, 7, "unpaired surrogate"),
        (#""\ud83d\u0041""#, 13, "unpaired surrogate"),
        (#""\ude00""#, 7, "unpaired surrogate"),
    ])
    func errorsNameTheOffset(text: String, offset: Int, message: String) {
        let error = failure(text)
        #expect(error?.offset == offset, "\(text)")
        #expect(error?.message == message, "\(text)")
        #expect(error?.description == "invalid JSON at byte \(offset): \(message)")
    }

    @Test func invalidUTF8IsRefused() {
        #expect(throws: JSONParseError.self) { try JSON.parse([0x22, 0xFF, 0x22]) }
        #expect(throws: JSONParseError.self) { try JSON.parse([0x22, 0x5C, 0x6E, 0xC3, 0x22]) }
    }

    @Test func nestingIsLimited() throws {
        let ok = String(repeating: "[", count: 511) + String(repeating: "]", count: 511)
        #expect(throws: Never.self) { try JSON.parse(ok) }
        let deep = String(repeating: "[", count: 513) + String(repeating: "]", count: 513)
        #expect(failure(deep)?.message == "nested more than 512 levels")
    }

    @Test func hugeNumbersBecomeDoubles() throws {
        #expect(try parse("1" + String(repeating: "0", count: 30)) == .double(1e30))
        // Out of Double's range: refused, not turned into infinity (which writes back as null).
        #expect(failure("1e999")?.message == "number out of range")
        #expect(failure("-1e999")?.message == "number out of range")
    }

    /// Object keys that differ only in Unicode normalisation are different names in JSON
    /// (RFC 8259 compares code units), and the canonical form is defined on UTF-8 bytes.
    /// Object keys are Swift strings (compared after Unicode normalisation), so keys that
    /// differ only in normalisation cannot both be kept: they are refused, never merged.
    @Test func keysDifferingOnlyInNormalisationAreRefusedNotMerged() throws {
        let text = "{\"caf\u{E9}\":1,\"cafe\u{301}\":2}"
        #expect(throws: JSONParseError.self) { try JSON.parse(text) }
        do { _ = try JSON.parse(text) } catch {
            #expect(error.message.hasPrefix("duplicate key"))
            #expect(error.offset == 20)
        }
    }
}
