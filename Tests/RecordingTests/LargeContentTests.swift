import Foundation
import Testing
import TerrariumBase
import TerrariumEpisode
import TerrariumRecording
import TerrariumWorld

/// Contents over 4096 bytes, and binary contents, live in `blobs/<sha256>` and the event
/// names them with `"blob": true`; small text stays inline.
@Suite struct LargeContentTests {
    /// (seq, parsed line) of every event.
    func events(_ dir: String) throws -> [(seq: Int, json: JSON)] {
        try logLines(dir).enumerated().map { ($0.offset + 1, try lineJSON($0.element)) }
    }

    /// The content reference of the writeFile effect that wrote `path`, with its seq.
    func writeEffect(_ dir: String, path: String) throws -> (seq: Int, content: JSON)? {
        for (seq, json) in try events(dir) {
            let effect = json["payload"]?["effect"]
            if effect?["op"] == "writeFile", effect?["path"]?.stringValue == path, let c = effect?["content"] {
                return (seq, c)
            }
        }
        return nil
    }

    func recordMini(_ tmp: TempDir, calls: [Call] = scriptedCalls) async throws -> String {
        try writeMiniScenario(into: tmp.sub("scenario"))
        let out = tmp.sub("episode")
        _ = try await record(scenarioDir: tmp.sub("scenario"), into: out, calls: calls)
        return out
    }

    @Test func aLargeWrittenFileGoesToBlobsAndIsReferenced() async throws {
        let tmp = try TempDir(); defer { tmp.remove() }
        let out = try await recordMini(tmp)
        let text = bigText(6000)
        let digest = Digest.sha256(text)
        let (seq, content) = try #require(try writeEffect(out, path: "reports/big.md"))
        #expect(content["blob"] == .bool(true))
        #expect(content["sha256"]?.stringValue == digest.hex)
        #expect(content["size"]?.intValue == 6000)
        #expect(content["text"] == nil)
        #expect(try readBytes(out + "/blobs/" + digest.hex) == Array(text.utf8))
        let writeLine = String(decoding: try logLines(out)[seq - 1], as: UTF8.self)
        #expect(!writeLine.contains("line 99: the quick"), "the content is not inline in the event")

        // Reading it back gives a tool output over the limit: also a blob.
        let result = try #require(try events(out).first {
            $0.json["kind"] == "tool.result" && $0.json["payload"]?["tool"] == "read_file"
                && $0.json["payload"]?["isError"] == .bool(false)
        })
        let output = try #require(result.json["payload"]?["output"])
        #expect(output["blob"] == .bool(true))
        let outputBytes = try readBytes(out + "/blobs/" + (output["sha256"]?.stringValue ?? "?"))
        #expect(String(decoding: outputBytes, as: UTF8.self).hasPrefix("line 0: the quick"))
    }

    @Test func theInlineLimitIs4096Bytes() async throws {
        let tmp = try TempDir(); defer { tmp.remove() }
        let out = try await recordMini(tmp, calls: [
            ("write_file", ["path": "at-limit.txt", "content": .string(bigText(4096))]),
            ("write_file", ["path": "over-limit.txt", "content": .string(bigText(4097))]),
            ("write_file", ["path": "small.txt", "content": "small\n"]),
        ])
        let at = try #require(try writeEffect(out, path: "at-limit.txt")).content
        #expect(at["blob"] == nil)
        #expect(at["text"]?.stringValue == bigText(4096))
        #expect(!FileManager.default.fileExists(atPath: out + "/blobs/" + Digest.sha256(bigText(4096)).hex))
        let over = try #require(try writeEffect(out, path: "over-limit.txt")).content
        #expect(over["blob"] == .bool(true))
        #expect(try readBytes(out + "/blobs/" + Digest.sha256(bigText(4097)).hex) == Array(bigText(4097).utf8))
        let small = try #require(try writeEffect(out, path: "small.txt")).content
        #expect(small["text"] == "small\n")
        // blobs/ holds the initial snapshot and the one large file, nothing else.
        #expect(try blobNames(out).count == 2)
    }

    @Test func aBinaryAttachmentGoesToBlobsEvenWhenSmall() async throws {
        let tmp = try TempDir(); defer { tmp.remove() }
        let out = try await recordMini(tmp)
        let digest = Digest.sha256(binaryBytes)
        var references = 0
        for (_, json) in try events(out) where json["payload"]?["effect"]?["op"] == "deliver" {
            for attachment in json["payload"]?["effect"]?["entry"]?["message"]?["attachments"]?.arrayValue ?? [] {
                #expect(attachment["content"]?["blob"] == .bool(true))
                #expect(attachment["content"]?["sha256"]?.stringValue == digest.hex)
                #expect(attachment["content"]?["base64"] == nil)
                references += 1
            }
        }
        #expect(references == 2, "the sender's sent copy and Dana's inbox copy")
        #expect(try readBytes(out + "/blobs/" + digest.hex) == binaryBytes)
        let world = try EpisodeReader(directory: out).walk().world
        #expect(world.mailbox("dana@mini.test")?.entries.values.first { !$0.message.attachments.isEmpty }?
            .message.attachments.first?.content.bytes == binaryBytes)
    }

    @Test func aDamagedBlobIsReportedAtTheEventThatNamesIt() async throws {
        let tmp = try TempDir(); defer { tmp.remove() }
        let out = try await recordMini(tmp)
        let (seq, _) = try #require(try writeEffect(out, path: "reports/big.md"))
        let blob = out + "/blobs/" + Digest.sha256(bigText(6000)).hex
        var bytes = try readBytes(blob)
        bytes[100] ^= 0x01
        try writeFile(blob, bytes)

        let reader = try EpisodeReader(directory: out)
        let walk = try reader.walk()
        let error = try #require(walk.error)
        #expect(error.seq == seq)
        #expect(error.description.contains("does not match its name"))
        #expect(try reader.walk(upTo: seq - 1).error == nil, "everything before it is still valid")
    }

    @Test func aMissingBlobIsReported() async throws {
        let tmp = try TempDir(); defer { tmp.remove() }
        let out = try await recordMini(tmp)
        let seq = try #require(try writeEffect(out, path: "reports/big.md")).seq
        try FileManager.default.removeItem(atPath: out + "/blobs/" + Digest.sha256(bigText(6000)).hex)
        let error = try #require(try EpisodeReader(directory: out).walk().error)
        #expect(error.seq == seq)
        #expect(error.description.contains("missing"))
    }

    @Test func aDamagedInitialSnapshotIsReported() async throws {
        let tmp = try TempDir(); defer { tmp.remove() }
        let out = try await recordMini(tmp)
        let reader = try EpisodeReader(directory: out)
        let path = reader.blobs.path(reader.manifest.initialSnapshot)
        var bytes = try readBytes(path)
        bytes[bytes.count / 2] ^= 0x01
        try writeFile(path, bytes)
        let error = #expect(throws: RecordingError.self) { _ = try reader.walk() }
        guard case .badBlob(let message)? = error else {
            Issue.record("expected a badBlob error, got \(String(describing: error))")
            return
        }
        #expect(message.contains(reader.manifest.initialSnapshot.hex))
    }

    /// A tool output stored as a blob is part of what the agent saw; `walk()` (and so
    /// `replay --verify`) should notice when it is damaged.
    @Test func aDamagedToolOutputBlobIsReported() async throws {
        let tmp = try TempDir(); defer { tmp.remove() }
        // A window of the file: an output of its own (text plus a "[lines …]" note), over 4096 bytes.
        let out = try await recordMini(tmp, calls: [
            ("write_file", ["path": "big.md", "content": .string(bigText(6000))]),
            ("read_file", ["path": "big.md", "limit": 90]),
        ])
        let (seq, json) = try #require(try events(out).first {
            $0.json["kind"] == "tool.result" && $0.json["payload"]?["output"]?["blob"] == .bool(true)
        })
        let path = out + "/blobs/" + (json["payload"]?["output"]?["sha256"]?.stringValue ?? "?")
        var bytes = try readBytes(path)
        bytes[10] ^= 0x01
        try writeFile(path, bytes)
        let walk = try EpisodeReader(directory: out).walk()
        #expect(walk.error?.seq == seq, "damaged output blob of seq \(seq) is not reported")
    }

    /// A large tool result goes to a blob so that the log stays small and greppable; the
    /// same text should not also be copied inline into the result's `data`.
    @Test func aLargeToolResultIsNotCopiedInlineIntoTheLog() async throws {
        let tmp = try TempDir(); defer { tmp.remove() }
        let out = try await recordMini(tmp, calls: [
            ("write_file", ["path": "big.md", "content": .string(bigText(20_000))]),
            ("read_file", ["path": "big.md"]),
        ])
        let (seq, json) = try #require(try events(out).first {
            $0.json["kind"] == "tool.result" && $0.json["payload"]?["tool"] == "read_file"
        })
        #expect(json["payload"]?["output"]?["blob"] == .bool(true))
        let size = try logLines(out)[seq - 1].count
        #expect(size < 2 * RecordingContentCodec.inlineLimit,
                "tool.result line \(seq) is \(size) bytes: data.content repeats the 20000-byte output inline")
    }
}
