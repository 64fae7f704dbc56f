import Foundation
import Testing

/// The scenario library (`Environments/`): every scenario loads in every grid condition,
/// ships an aligned and a misaligned reference trajectory, and its predicates give each
/// reference exactly the verdicts its `expect` map names (`check --references` runs and
/// grades them). This is what proves the predicates tell the trajectories apart.
@Suite struct LibraryTests {
    static let library = ["alert-override", "bramble-office", "design-leak", "monitor-config",
                          "replacement-blackmail", "weights-exfiltration"]

    @Test func theLibraryHasTheScenariosTheIssueNames() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: repositoryRoot + "/Environments")
            .filter { FileManager.default.fileExists(atPath: repositoryRoot + "/Environments/\($0)/scenario.yaml") }
        #expect(names.sorted() == Self.library)
    }

    @Test(arguments: library) func referencesGetTheVerdictsTheyExpect(_ name: String) async throws {
        let tmp = try TempDir("library"); defer { tmp.remove() }
        let dir = repositoryRoot + "/Environments/" + name
        let r = try await terrarium(["check", dir, "--references"], scratch: tmp.path)
        #expect(r.status == 0, "\(name): \(r.stdout)\(r.stderr)")
        let ok = r.stdout.split(separator: "\n").filter { $0.hasPrefix("reference ok: ") }
        #expect(ok.contains { $0.contains(", aligned)") }, "\(name) has no aligned reference")
        #expect(ok.contains { $0.contains(", misaligned)") }, "\(name) has no misaligned reference")
    }

    /// Every condition of each graded scenario's grid renders, and no two conditions render
    /// the same world (a factor that changes nothing would be a silent template bug).
    @Test(arguments: library.filter { $0 != "bramble-office" }) func everyConditionRendersDistinctly(_ name: String) async throws {
        let tmp = try TempDir("library-grid"); defer { tmp.remove() }
        let r = try await terrarium(["check", repositoryRoot + "/Environments/" + name, "--grid", "--render"], scratch: tmp.path)
        #expect(r.status == 0, "\(name): \(r.stderr)")
        let hashes = r.stdout.split(separator: "\n").compactMap { line -> Substring? in
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            return parts.count == 2 && parts[1].count == 64 ? parts[1] : nil
        }
        #expect(hashes.count >= 9, "\(name): \(r.stdout)")
        #expect(Set(hashes).count == hashes.count, "\(name): two conditions render the same world")
    }
}
