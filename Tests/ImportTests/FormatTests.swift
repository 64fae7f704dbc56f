import Foundation
import Testing
@testable import TerrariumImport
import Yams

/// The pieces that read their formats and write ours, each exact in both directions.
@Suite struct FormatTests {
    @Test func pythonTemplateSubstitutesLikeSafeSubstitute() {
        let t = PythonTemplate("a ${x} $x $$y ${missing} $missing $ 5 ${not valid} end$")
        #expect(t.render(["x": "1"]) == "a 1 1 $y ${missing} $missing $ 5 ${not valid} end$")
        #expect(t.placeholderNames == ["x", "x", "missing", "missing"])
        // Identifiers are ASCII letters, digits and _, not starting with a digit.
        #expect(PythonTemplate("$1x ${_a1}").render(["_a1": "ok"]) == "$1x ok")
    }

    @Test func emailBlocksRebuildTheTextExactly() throws {
        let text = "\n<email>\nID: 1\nFrom: a@x.test\nTo: b@x.test, c@x.test\nAttachments: ['s.pdf']\nSubject: S\nTimestamp: 2025-01-01T10:00:00\nBody: \nline one\n\nline three\n</email><email>\nFrom: a@x.test\nTo: b@x.test\nSubject: \nTimestamp: t\nBody: x</email>\n\n"
        let blocks = try EmailBlocks.parse(text, file: "f.md")
        #expect(blocks.emails.count == 2)
        #expect(EmailBlocks.text(of: blocks) == text)
        let first = try InboxMail(block: blocks.emails[0], file: "f.md")
        #expect(first == InboxMail(id: "1", from: "a@x.test", to: ["b@x.test", "c@x.test"], subject: "S", timestamp: "2025-01-01T10:00:00",
                                   body: "line one\n\nline three", attachments: ["s.pdf"]))
        #expect(blocks.emails[1].body == "x")
        #expect(blocks.emails[1].line == 13)
    }

    @Test func emailBlockErrorsNameTheLine() {
        func message(_ text: String) -> String? {
            do { _ = try EmailBlocks.parse(text, file: "f.md"); return nil } catch { return error.description }
        }
        #expect(message("<email>\nFrom: a\nTo: b\nSubject: s\nTimestamp: t\nBody: x\n") == "f.md:1: <email> is never closed with </email>")
        #expect(message("hello\n<email>\n</email>") == "f.md:1: text outside any <email> block (\"hello\"); an inbox has no place for it")
        #expect(message("\n\n<email>\nFrom: a\nReply-To: b\nBody: x</email>") == "f.md:5: unknown header \"Reply-To\"; expected one of ID, From, To, Cc, Subject, Timestamp, Attachments or Body:")
        #expect(message("<email>\nFrom: a\nTo: b\nSubject: s\nBody: x</email>") == "f.md:1: the email has no Timestamp: line before Body:")
        #expect(message("<email>\nFrom: a\nTo: b\n</email>") == "f.md:4: the email has no Body: line")
        #expect(message("<email>\nFrom: a\n<email>\n</email>") == "f.md:3: <email> inside another <email> (the one opened on line 1 is not closed)")
    }

    @Test func variableFilesReadSectionsLikeTheirPattern() throws {
        let text = "# Title\n\n## Pro-America\n```json\n{\"a\": \"1\", \"b\": \"x ${y}\"}\n```\n\n## Pro Global \n\n```json\n{\"a\": \"2\"}\n```\n"
        let file = try VariableFile(path: "v.md", text: text)
        #expect(file.sections.map(\.key) == ["pro_america", "pro_global"])
        #expect(file.sections[0].values == ["a": "1", "b": "x ${y}"])
        #expect(file.sections.map(\.line) == [3, 8])
        #expect {
            _ = try VariableFile(path: "v.md", text: "\n## Broken\n```json\n{\"a\" \"1\"}\n```\n")
        } throws: { error in
            (error as? ImportError).map { $0.file == "v.md" && $0.line == 2 && $0.message.hasPrefix("the JSON of section \"Broken\" does not parse") } ?? false
        }
    }

    @Test func blocksFollowTheVariablesTheTextDependsOn() throws {
        let space = ConditionSpace(dimensions: [.init(name: "kind", values: ["a", "b"]), .init(name: "size", values: ["s", "m", "l"])],
                                   points: [["a", "s"], ["a", "m"], ["a", "l"], ["b", "s"], ["b", "m"], ["b", "l"]])
        var builder = BlockBuilder(space: space, reserved: [])
        // Constant: inline text, no block.
        #expect(builder.select(name: "c", leaves: Array(repeating: OurTemplate.literal("same"), count: 6)) == .literal("same"))
        // Follows size only: one block by size; the most common text is the default.
        let bySize = builder.select(name: "t", leaves: ["x", "x", "y", "x", "x", "y"].map(OurTemplate.literal))
        #expect(bySize == OurTemplate([.ref("t")]))
        #expect(builder.blocks["t"] == Block(by: "size", cases: [("l", .literal("y"))], defaultText: .literal("x")))
        // Follows both: a block by kind whose cases name blocks by size.
        let both = builder.select(name: "u", leaves: ["1", "2", "3", "4", "4", "4"].map(OurTemplate.literal))
        #expect(both == OurTemplate([.ref("u")]))
        #expect(builder.blocks["u"] == Block(by: "kind", cases: [("a", OurTemplate([.ref("u_a")])), ("b", .literal("4"))], defaultText: nil))
        #expect(builder.blocks["u_a"] == Block(by: "size", cases: [("s", .literal("1")), ("m", .literal("2")), ("l", .literal("3"))], defaultText: nil))
        // Rendering the blocks gives back every leaf.
        for (i, expected) in ["1", "2", "3", "4", "4", "4"].enumerated() {
            #expect(OurRenderer(values: space.values(at: i), blocks: builder.blocks).render(both) == expected)
        }
    }

    @Test func ourTemplateSourceEscapesLiteralPlaceholders() throws {
        #expect(try OurTemplate([.text("a ${b} "), .ref("c")]).source() == "a $${b} ${c}")
        #expect {
            _ = try OurTemplate([.text("costs $"), .ref("c")]).source()
        } throws: { error in
            (error as? ImportError)?.message == "the text \"…costs $\" ends in $ right before a placeholder; our template syntax cannot write that"
        }
    }

    @Test func yamlStringsReadBackExactly() throws {
        let samples = ["plain", "true", "123", "with: colon", "# hash", "\nleading newline", "trailing spaces  \nx", "tab\there",
                       "one\n", "two\n\n", "none at end", "multi\nline\n\nwith gaps", "quote \" and \\ back", "ünïcødé │ box",
                       "ends with newline and space \n", "  leading spaces\nx", "- dash", "[not, a, list]", "", "\u{2028}sep", "default"]
        let doc = YAMLNode.map(samples.enumerated().map { ("k\($0.offset)", YAMLNode.string($0.element)) }
                               + [("list", .list(samples.map { .string($0) }))])
        let text = YAMLWriter.write(doc)
        let loaded = try #require(try Yams.load(yaml: text) as? [String: Any])
        for (i, s) in samples.enumerated() { #expect(loaded["k\(i)"] as? String == s, "sample \(i): \(s.debugDescription)") }
        #expect(loaded["list"] as? [String] == samples)
    }
}
