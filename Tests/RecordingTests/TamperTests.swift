import Foundation
import Testing
import TerrariumBase
import TerrariumEpisode
import TerrariumRecording
import TerrariumWorld

/// Any change to events.jsonl is found by `walk()`, which names the first bad seq.
@Suite struct TamperTests {
    /// A recorded, ended episode of the mini scenario, and its world.
    struct Recorded {
        let tmp: TempDir
        let dir: String
        let lines: [[UInt8]]
        let world: World
    }

    func recorded() async throws -> Recorded {
        let tmp = try TempDir("tamper")
        try writeMiniScenario(into: tmp.sub("scenario"))
        let dir = tmp.sub("episode")
        let (episode, _, _) = try await record(scenarioDir: tmp.sub("scenario"), into: dir)
        let lines = try logLines(dir)
        #expect(lines.count > 40)
        return Recorded(tmp: tmp, dir: dir, lines: lines, world: await episode.snapshot())
    }

    /// Rewrites the log with `change` applied to its lines and walks it.
    func walkAfter(_ r: Recorded, _ change: (inout [[UInt8]]) throws -> Void) throws -> EpisodeReader.Walk {
        var lines = r.lines
        try change(&lines)
        try writeLogLines(r.dir, lines)
        return try EpisodeReader(directory: r.dir).walk()
    }

    /// Flips the case of the first letter of the first string value inside `payload`.
    static func flipPayloadByte(_ line: [UInt8]) throws -> [UInt8] {
        let text = String(decoding: line, as: UTF8.self)
        let payload = try #require(text.range(of: "\"payload\":{"))
        let value = try #require(text.range(of: "\":\"", range: payload.upperBound..<text.endIndex))
        var offset = text.utf8.distance(from: text.startIndex, to: value.upperBound)
        while !(line[offset] >= 0x41 && line[offset] <= 0x5A || line[offset] >= 0x61 && line[offset] <= 0x7A) { offset += 1 }
        var out = line
        out[offset] ^= 0x20
        return out
    }

    static let positions = [2, 7, 25]

    @Test(arguments: positions) func aFlippedPayloadByteIsNamed(k: Int) async throws {
        let r = try await recorded(); defer { r.tmp.remove() }
        let walk = try walkAfter(r) { lines in
            let flipped = try Self.flipPayloadByte(lines[k - 1])
            #expect(flipped != lines[k - 1])
            #expect((try? JSON.parse(flipped)) != nil, "still valid JSON")
            lines[k - 1] = flipped
        }
        let error = try #require(walk.error)
        #expect(error.seq == k)
        #expect(error.description.contains("does not match its own hash"))
        #expect(error.description.contains("line \(k)"))
    }

    @Test(arguments: positions) func aRemovedLineIsNamed(k: Int) async throws {
        let r = try await recorded(); defer { r.tmp.remove() }
        let walk = try walkAfter(r) { $0.remove(at: k - 1) }
        let error = try #require(walk.error)
        #expect(error.seq == k)
        #expect(error.description.contains("expected seq \(k), found \(k + 1)"))
    }

    @Test(arguments: positions) func swappedLinesAreNamed(k: Int) async throws {
        let r = try await recorded(); defer { r.tmp.remove() }
        let walk = try walkAfter(r) { $0.swapAt(k - 1, k) }
        #expect(try #require(walk.error).seq == k)
    }

    @Test(arguments: positions) func aDuplicatedLineIsNamed(k: Int) async throws {
        let r = try await recorded(); defer { r.tmp.remove() }
        let walk = try walkAfter(r) { $0.insert($0[k - 1], at: k) }
        let error = try #require(walk.error)
        #expect(error.seq == k + 1)
        #expect(error.description.contains("out of order"))
    }

    @Test(arguments: positions) func corruptJSONIsNamed(k: Int) async throws {
        let r = try await recorded(); defer { r.tmp.remove() }
        let walk = try walkAfter(r) { lines in lines[k - 1] = Array(lines[k - 1].prefix(lines[k - 1].count / 2)) }
        let error = try #require(walk.error)
        #expect(error.description.contains("line \(k)"))
        #expect(error.description.contains("not valid JSON"))
        // The walk knows which seq belongs on line k: the error should name it.
        #expect(error.seq == k, "a line that is not JSON is not named by seq: \(error)")
    }

    @Test(arguments: positions) func aChangedStateFieldIsNamed(k: Int) async throws {
        let r = try await recorded(); defer { r.tmp.remove() }
        let walk = try walkAfter(r) { lines in
            let text = String(decoding: lines[k - 1], as: UTF8.self)
            let state = try #require(text.range(of: "\"state\":\"sha256:"))
            let digit = text[state.upperBound]
            var changed = text
            changed.replaceSubrange(state.upperBound...state.upperBound, with: digit == "0" ? "1" : "0")
            lines[k - 1] = Array(changed.utf8)
        }
        let error = try #require(walk.error)
        #expect(error.seq == k)
        #expect(error.description.contains("does not match its own hash"))
    }

    /// A forger who also re-hashes the line (and every later one, to keep the chain)
    /// is still caught: the recorded state is not what replaying the effects gives.
    @Test func aReHashedForgeryIsCaughtByTheStateHash() async throws {
        let r = try await recorded(); defer { r.tmp.remove() }
        var records = try r.lines.enumerated().map { try EventRecord(parsing: $0.element[...], line: $0.offset + 1) }
        let k = try #require(records.firstIndex { $0.kind == "mail.read" }) + 1
        var effect = try #require(records[k - 1].payload["effect"]?.objectValue)
        effect["read"] = false
        records[k - 1].payload["effect"] = .object(effect)
        let walk = try walkAfter(r) { lines in
            var prev = records[k - 2].hash
            for i in (k - 1)..<records.count {
                records[i].prev = prev
                let (line, hash) = records[i].encoded()
                lines[i] = Array(line.dropLast())
                prev = hash
            }
        }
        let error = try #require(walk.error)
        #expect(error.seq == k)
        guard case .stateMismatch = error else { Issue.record("expected a state mismatch, got \(error)"); return }
    }

    @Test func aTornLastLineIsSetApartAndThePrefixIsValid() async throws {
        let r = try await recorded(); defer { r.tmp.remove() }
        let handle = try #require(FileHandle(forWritingAtPath: r.dir + "/events.jsonl"))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(#"{"hash":"sha256:ab"#.utf8))
        try handle.close()
        let walk = try EpisodeReader(directory: r.dir).walk()
        #expect(walk.error == nil)
        #expect(walk.tornTail == .tornTail(line: r.lines.count + 1, bytes: 18))
        expectSameWorld(walk.world, r.world)
    }

    @Test func aCutLastLineIsTornAndTheLinesBeforeItAreValid() async throws {
        let r = try await recorded(); defer { r.tmp.remove() }
        var bytes = try readBytes(r.dir + "/events.jsonl")
        bytes.removeLast(30)
        try writeFile(r.dir + "/events.jsonl", bytes)
        let reader = try EpisodeReader(directory: r.dir)
        let walk = try reader.walk()
        #expect(walk.error == nil)
        #expect(walk.tornTail == .tornTail(line: r.lines.count, bytes: r.lines.last!.count + 1 - 30))
        #expect(walk.world.stateHash == (try reader.walk(upTo: r.lines.count - 1)).world.stateHash)
    }

    @Test func theWallFieldIsNotHashed() async throws {
        let r = try await recorded(); defer { r.tmp.remove() }
        let walk = try walkAfter(r) { lines in
            let text = String(decoding: lines[4], as: UTF8.self)
            let wall = try #require(text.range(of: ",\"wall\":", options: .backwards))
            let regex = try NSRegularExpression(pattern: #"\d{4}-\d\d-\d\dT[0-9:.]+Z"#)
            let tail = String(text[wall.lowerBound...])
            let changed = regex.stringByReplacingMatches(in: tail, range: NSRange(tail.startIndex..., in: tail),
                                                         withTemplate: "1999-01-01T00:00:00.000Z")
            #expect(changed != tail)
            lines[4] = Array((text[..<wall.lowerBound] + changed).utf8)
        }
        #expect(walk.error == nil)
        expectSameWorld(walk.world, r.world)
    }

    /// A line holding the same members in another layout (spaces, another key order) has
    /// no `lineHash` and is verified by re-encoding; a line as the recorder wrote it is
    /// verified from its own bytes, and both agree with `hash`.
    @Test func aLineLaidOutOtherwiseIsVerifiedByReEncoding() async throws {
        let r = try await recorded(); defer { r.tmp.remove() }
        let original = try EventRecord(parsing: r.lines[6][...], line: 7)
        #expect(original.lineHash == original.hash)
        #expect(original.lineHash == original.claimedHash)
        let json = try JSON.parse(r.lines[6])
        let pretty = Array(json.prettyString().utf8)
        let relaid = try EventRecord(parsing: pretty[...], line: 7)
        #expect(relaid.lineHash == nil)
        #expect(relaid.hash == original.hash)
        let walk = try walkAfter(r) { lines in lines[6] = Array(pretty.filter { $0 != 0x0A }) }
        #expect(walk.error == nil)
        expectSameWorld(walk.world, r.world)
    }

    /// A changed hashed part is caught whichever way the line is verified.
    @Test func aChangedPartIsCaughtInEitherLayout() async throws {
        let r = try await recorded(); defer { r.tmp.remove() }
        let flipped = try Self.flipPayloadByte(r.lines[6])
        let record = try EventRecord(parsing: flipped[...], line: 7)
        #expect(record.lineHash != nil && record.lineHash != record.claimedHash)
        #expect(record.hash != record.claimedHash)
        let pretty = Array(try JSON.parse(flipped).prettyString().utf8.filter { $0 != 0x0A })
        let walk = try walkAfter(r) { lines in lines[6] = pretty }
        #expect(walk.error?.seq == 7)
        #expect(walk.error?.description.contains("does not match its own hash") == true)
    }
}
