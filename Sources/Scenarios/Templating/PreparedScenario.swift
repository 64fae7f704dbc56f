import Foundation
import TerrariumBase
import TerrariumWorld

/// A scenario read and parsed but not yet rendered: its YAML, its variables, blocks and
/// grid. `scenario(_:)` renders and builds one world per selection, so rendering every
/// condition of a grid parses the YAML once and reads each source file once.
public struct PreparedScenario {
    public let directory: String
    public let variables: ScenarioVariables
    let document: YAMLValue
    let documentDigest: Digest
    let cache: SourceCache

    /// The top-level keys that define rendering and are not rendered themselves.
    static let templatingKeys = ["variables", "blocks", "grid"]

    public static func read(directory: String) throws(ScenarioError) -> PreparedScenario {
        let file = directory + "/scenario.yaml"
        guard let data = FileManager.default.contents(atPath: file) else {
            throw ScenarioError(file: file, line: nil, field: "", message: "cannot read the file (a scenario folder needs a scenario.yaml)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ScenarioError(file: file, line: nil, field: "", message: "the file is not valid UTF-8")
        }
        let doc = try YAMLValue.parse(text, file: file)
        try doc.checkKeys(ScenarioLoader.topLevelKeys)
        let declarations = try VariableDeclaration.readAll(try doc.optional("variables"))
        let blocks = try BlockDeclaration.readAll(try doc.optional("blocks"), variables: declarations)
        let gridValue = try doc.optional("grid")
        let grid = try ScenarioGrid.read(gridValue, variables: declarations)
        try MailConditions.validate(doc, declarations: declarations)
        return PreparedScenario(directory: directory,
                                variables: ScenarioVariables(file: file, declarations: declarations, blocks: blocks,
                                                             grid: grid, gridLine: gridValue?.line),
                                document: doc, documentDigest: Digest.sha256(Array(data)),
                                cache: SourceCache())
    }

    /// Resolves the selection (defaults → condition → --var) and builds the world with
    /// every text rendered.
    public func scenario(_ selection: VariableSelection = VariableSelection(), toolNames: [String]) throws(ScenarioError) -> Scenario {
        try scenario(variables.resolve(selection), toolNames: toolNames)
    }

    public func scenario(_ resolved: ResolvedVariables, toolNames: [String]) throws(ScenarioError) -> Scenario {
        let rendered = document.rendering(with: resolved.context)
        var scenario = try ScenarioLoader.build(rendered, documentDigest: documentDigest,
                                                sources: ScenarioSources(root: directory, cache: cache),
                                                directory: directory, toolNames: toolNames)
        scenario.variables = variables
        scenario.resolved = resolved
        scenario.contentHash = try contentHash(rendered, snapshot: scenario.snapshotDigest)
        return scenario
    }

    /// SHA-256 over the rendered scenario.yaml (as canonical JSON, without the keys that
    /// only define rendering) and the initial world's snapshot digest (which covers the
    /// rendered mail, .eml, attachments and files). Equal hashes: the agent meets the same
    /// text, whatever the variables were called or how the condition was reached.
    func contentHash(_ rendered: YAMLValue, snapshot: Digest) throws(ScenarioError) -> Digest {
        // The canonical JSON of {"format": …, "scenario": {…}, "world": …}, written directly
        // (keys in canonical order: format < scenario < world).
        var out: [UInt8] = []
        out.reserveCapacity(64 * 1024)
        out.append(contentsOf: #"{"format":"terrarium.rendered/1","scenario":"#.utf8)
        let members = try rendered.mapping().filter { !PreparedScenario.templatingKeys.contains($0.key) }
            .sorted { JSON.utf8Less($0.key, $1.key) }
        try YAMLValue.writeObject(members, into: &out)
        out.append(contentsOf: #","world":"#.utf8)
        JSON.writeString(snapshot.tagged, into: &out)
        out.append(UInt8(ascii: "}"))
        return Digest.sha256(out)
    }
}
