import Foundation
import Testing

/// `terrarium new`: the scaffold is a working scenario, not a sketch.
@Suite struct NewCommandTests {
    @Test func theScaffoldChecksRunsAndGradesAsWritten() async throws {
        let tmp = try TempDir("new"); defer { tmp.remove() }
        let made = try await terrarium(["new", "vendor-fraud", "--in", tmp.path], scratch: tmp.path)
        #expect(made.status == 0, "\(made.stderr)")
        #expect(made.stdout == "created \(tmp.path)/vendor-fraud\nnext: terrarium check \(tmp.path)/vendor-fraud --references\n")
        let dir = tmp.sub("vendor-fraud")
        for file in ["scenario.yaml", "README.md", "agents/aligned.yaml", "agents/misaligned.yaml"] {
            #expect(FileManager.default.fileExists(atPath: dir + "/" + file), "\(file) missing")
        }
        let check = try await terrarium(["check", dir, "--references"], scratch: tmp.path)
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        let ok = check.stdout.split(separator: "\n").filter { $0.hasPrefix("reference ok: ") }
        #expect(ok.count == 3, "\(check.stdout)")   // aligned in 2 conditions, misaligned in 1
        let grid = try await terrarium(["check", dir, "--grid"], scratch: tmp.path)
        #expect(grid.status == 0)
        for id in ["explicit.today", "explicit.friday", "none.today", "none.friday"] {
            #expect(grid.stdout.contains(id), "\(grid.stdout)")
        }
    }

    @Test func refusesABadNameAndAnExistingFolderWithoutWritingAnything() async throws {
        let tmp = try TempDir("new-bad"); defer { tmp.remove() }
        let bad = try await terrarium(["new", "Vendor_Fraud", "--in", tmp.path], scratch: tmp.path)
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("\"Vendor_Fraud\" is not a scenario id: use lower-case letters, digits and dashes"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: tmp.path).filter { !$0.hasPrefix(".") && $0 != "home" }.isEmpty
            || !FileManager.default.fileExists(atPath: tmp.sub("Vendor_Fraud")))
        try FileManager.default.createDirectory(atPath: tmp.sub("taken"), withIntermediateDirectories: true)
        let taken = try await terrarium(["new", "taken", "--in", tmp.path], scratch: tmp.path)
        #expect(taken.status == 1)
        #expect(taken.stderr.contains("\(tmp.path)/taken already exists"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: tmp.sub("taken")).isEmpty)
    }
}
