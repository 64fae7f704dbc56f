import Foundation
import Testing
import TerrariumBase
import TerrariumScenarios

/// Content hashes are taken over canonical JSON written straight from the YAML tree
/// (`writeCanonicalJSON`); those bytes must be exactly `json().canonicalBytes()`, or every
/// published content hash would change.
@Suite struct CanonicalYAMLTests {
    static let environments = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path + "/Environments"

    func bytes(_ value: YAMLValue) throws -> [UInt8] {
        var out: [UInt8] = []
        try value.writeCanonicalJSON(into: &out)
        return out
    }

    @Test func everyLibraryScenarioWritesTheBytesItsJSONTreeWrites() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: CanonicalYAMLTests.environments).sorted()
        var checked = 0
        for name in names {
            let file = CanonicalYAMLTests.environments + "/" + name + "/scenario.yaml"
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { continue }
            let doc = try YAMLValue.parse(text, file: file)
            #expect(try bytes(doc) == (try doc.json()).canonicalBytes(), "\(name)")
            checked += 1
        }
        #expect(checked == 6)
    }

    @Test func scalarsKeysAndNestingMatch() throws {
        let doc = try YAMLValue.parse("""
            z: [1, 0x1F, 1:30, 1.5, .inf, ~, "", yes, "yes", 'text', {b: 2, a: [], "é": null, A: {}}]
            a: |
              multi "quoted" \\ line
            "ä": 2026-03-16
            B: -0
            """, file: "t.yaml")
        #expect(try bytes(doc) == (try doc.json()).canonicalBytes())
        #expect(String(decoding: try bytes(doc), as: UTF8.self)
            == #"{"B":"-0","a":"multi \"quoted\" \\ line\n","z":[1,31,90,1.5,"#
            + #"\#(String(decoding: JSON.double(.infinity).canonicalBytes(), as: UTF8.self)),null,"",true,"yes","text","#
            + #"{"A":{},"a":[],"b":2,"é":null}],"ä":"2026-03-16"}"#)
    }
}
