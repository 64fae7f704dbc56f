import Foundation
import Testing
import TerrariumEpisode

/// docs/TOOLS.md must describe every tool the catalog offers, with every argument.
@Suite("Docs: TOOLS.md")
struct ToolDocsTests {
    static let page: String = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return (try? String(contentsOf: root.appendingPathComponent("docs/TOOLS.md"), encoding: .utf8)) ?? ""
    }()

    @Test func everyToolHasASection() {
        #expect(!Self.page.isEmpty)
        for tool in ToolCatalog.builtIn.tools {
            #expect(Self.page.contains("## `\(tool.name)`"), "docs/TOOLS.md lacks a section for \(tool.name)")
            #expect(Self.page.contains(tool.description), "docs/TOOLS.md has an outdated description of \(tool.name)")
        }
    }

    @Test func everyArgumentIsListedUnderItsTool() throws {
        for tool in ToolCatalog.builtIn.tools {
            let start = try #require(Self.page.range(of: "## `\(tool.name)`"))
            let rest = Self.page[start.upperBound...]
            let section = rest.range(of: "\n## ").map { rest[..<$0.lowerBound] } ?? rest
            for parameter in tool.parameters {
                #expect(section.contains("| `\(parameter.name)` |"), "\(tool.name): argument \(parameter.name) missing from docs/TOOLS.md")
            }
        }
    }
}
