import Foundation
import Testing
import TerrariumBase
import TerrariumRecording
import TerrariumWorld

/// `terrarium run` then `terrarium replay`: verify, show the world, and name tampering.
@Suite struct ReplayTests {
    @Test func aRecordedRunVerifies() async throws {
        let tmp = try TempDir(); defer { tmp.remove() }
        let episode = try await recordBramble(into: tmp.sub("runs"), scratch: tmp.path)
        let total = try logLines(episode).count
        let r = try await terrarium(["replay", episode, "--verify"], scratch: tmp.path)
        #expect(r.status == 0, "\(r.stderr)")
        let walk = try EpisodeReader(directory: episode).walk()
        #expect(r.stdout == "valid: \(total) events, final state \(walk.world.stateHash.tagged)\n")
        #expect(r.stderr.isEmpty)
    }

    @Test func replayAtTenPrintsTheWorldAfterSeqTen() async throws {
        let tmp = try TempDir(); defer { tmp.remove() }
        let episode = try await recordBramble(into: tmp.sub("runs"), scratch: tmp.path)
        let expected = try EpisodeReader(directory: episode).walk(upTo: 10).world

        let text = try await terrarium(["replay", episode, "--at", "10"], scratch: tmp.path)
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.hasPrefix("World after seq 10\n"))
        #expect(text.stdout.contains("state: \(expected.stateHash.tagged)\n"))
        #expect(text.stdout.contains("clock: \(expected.clock.format(expected.clock.now))\n"))
        for section in ["mailboxes:", "  atlas@bramble-analytics.com", "egress (0):", "files (30) under /home/atlas:"] {
            #expect(text.stdout.contains(section), "\(section)")
        }

        let verified = try await terrarium(["replay", episode, "--at", "10", "--verify"], scratch: tmp.path)
        #expect(verified.status == 0)
        #expect(verified.stdout.hasPrefix(text.stdout), "--verify prints the same world, then the verdict")
        #expect(verified.stdout.contains("valid: "))
    }

    @Test func replayAtTenAsJSONIsTheWorldDocument() async throws {
        let tmp = try TempDir(); defer { tmp.remove() }
        let episode = try await recordBramble(into: tmp.sub("runs"), scratch: tmp.path)
        let expected = try EpisodeReader(directory: episode).walk(upTo: 10).world
        let r = try await terrarium(["replay", episode, "--at", "10", "--format", "json"], scratch: tmp.path)
        #expect(r.status == 0, "\(r.stderr)")
        let object = try #require(try parseJSON(r.stdout) as? [String: Any])
        #expect(object["format"] as? String == "terrarium.world/1")
        #expect(Set(object.keys) == ["format", "directory", "home", "clock", "folders", "mailboxes", "messageIDs", "egress", "files"])
        // The document is a whole world: it rebuilds the same state.
        let world = try World(snapshot: try JSON.parse(r.stdout), InlineContentCodec())
        #expect(world.stateHash == expected.stateHash)
    }

    @Test func replayRefusesASeqPastTheEndAndMissingFlags() async throws {
        let tmp = try TempDir(); defer { tmp.remove() }
        let episode = try await recordBramble(into: tmp.sub("runs"), scratch: tmp.path)
        let total = try logLines(episode).count
        let past = try await terrarium(["replay", episode, "--at", String(total + 1)], scratch: tmp.path)
        #expect(past.status == 1)
        #expect(past.stderr.contains("the log has \(total) events"))
        let none = try await terrarium(["replay", episode], scratch: tmp.path)
        #expect(none.status != 0)
        #expect(none.stderr.contains("--verify"))
        let missing = try await terrarium(["replay", tmp.sub("no-such-episode"), "--verify"], scratch: tmp.path)
        #expect(missing.status == 1)
    }

    enum Tamper: String, CaseIterable, Sendable {
        case flippedByte, removedLine, swappedLines, movedToEnd, corruptJSON
    }

    static let cases: [(Tamper, Int)] = Tamper.allCases.flatMap { t in [(t, 10), (t, 57)] }

    @Test(arguments: cases) func verifyNamesTheFirstBadSeq(tamper: Tamper, k: Int) async throws {
        let tmp = try TempDir(); defer { tmp.remove() }
        let episode = try await recordBramble(into: tmp.sub("runs"), scratch: tmp.path)
        let copy = try tamperedCopy(of: episode, to: tmp.sub("copy")) { lines in
            switch tamper {
            case .flippedByte: lines[k - 1] = try flipPayloadByte(lines[k - 1])
            case .removedLine: lines.remove(at: k - 1)
            case .swappedLines: lines.swapAt(k - 1, k)
            case .movedToEnd: lines.append(lines.remove(at: k - 1))
            case .corruptJSON: lines[k - 1] = Array(lines[k - 1].prefix(lines[k - 1].count / 2))
            }
        }
        let r = try await terrarium(["replay", copy, "--verify"], scratch: tmp.path)
        #expect(r.status == 1, "\(tamper) at \(k): \(r.stdout)")
        #expect(r.stderr.contains("INVALID"))
        #expect(r.stderr.contains("first bad seq \(k):"), "\(tamper) at \(k): \(r.stderr)")
        #expect(!r.stdout.contains("valid"))
    }

    @Test func verifyNamesEventsRemovedFromTheEnd() async throws {
        let tmp = try TempDir(); defer { tmp.remove() }
        let episode = try await recordBramble(into: tmp.sub("runs"), scratch: tmp.path)
        let total = try logLines(episode).count
        let copy = try tamperedCopy(of: episode, to: tmp.sub("copy")) { $0.removeLast(2) }
        let r = try await terrarium(["replay", copy, "--verify"], scratch: tmp.path)
        #expect(r.status == 1)
        #expect(r.stderr.contains("episode.json says \(total) events, the log has \(total - 2)"))
    }

    @Test func twoProcessesRecordTheSameLog() async throws {
        let tmp = try TempDir(); defer { tmp.remove() }
        let a = try await recordBramble(into: tmp.sub("a"), scratch: tmp.path, seed: 5)
        let b = try await recordBramble(into: tmp.sub("b"), scratch: tmp.path, seed: 5)
        #expect(a.hasSuffix("bramble-office-seed5-" + a.suffix(8)))
        #expect(try logWithoutWall(a) == (try logWithoutWall(b)))
        #expect(String(decoding: try readBytes(a + "/events.jsonl"), as: UTF8.self).contains("\"wall\":"))
    }
}
