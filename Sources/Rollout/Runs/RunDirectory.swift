import TerrariumBase

/// The layout of a run folder (docs/ROLLOUTS.md, "Runs and resume"):
///
///     RUN_DIR/run.json  journal.jsonl  summary.json  episodes/<condition>/<k>/
public struct RunDirectory: Sendable {
    public let root: String
    public init(_ root: String) { self.root = root }

    public var configurationPath: String { root + "/run.json" }
    public var journalPath: String { root + "/journal.jsonl" }
    public var summaryPath: String { root + "/summary.json" }

    /// Relative to `root` (as the journal records it).
    public func relativeEpisodeDirectory(_ key: RunPlan.Key) -> String { "episodes/\(key.conditionID)/\(key.k)" }
    public func episodeDirectory(_ key: RunPlan.Key) -> String { root + "/" + relativeEpisodeDirectory(key) }

    /// Writes run.json on the first run; on a rerun, refuses a different configuration
    /// naming the first differing field.
    public func claim(_ configuration: RunConfiguration) throws(RunFileError) {
        try RunFiles.makeDirectories(root)
        if RunFiles.exists(configurationPath) {
            let recorded = RunConfiguration(json: try RunFiles.readJSON(configurationPath))
            if let d = configuration.difference(from: recorded) {
                throw RunFileError("\(configurationPath) was written for a different run: \(d.field) is \(d.recorded) there and \(d.now) now; "
                    + "rerun with the same options to resume it, or give another --out")
            }
            // The operational part may change; keep the file as first written.
            return
        }
        try RunFiles.writeAtomically(configurationPath, Array(configuration.json.prettyString().utf8) + [0x0A])
    }

    /// Moves an unfinished episode's folder aside to `<k>.interrupted-<n>` (the first
    /// free n from 1), keeping it for inspection. Returns the new path, nil if there was
    /// no folder.
    public func setAside(_ key: RunPlan.Key) throws(RunFileError) -> String? {
        let path = episodeDirectory(key)
        guard RunFiles.exists(path) else { return nil }
        var n = 1
        while RunFiles.exists("\(path).interrupted-\(n)") { n += 1 }
        try RunFiles.move(path, to: "\(path).interrupted-\(n)")
        return "\(path).interrupted-\(n)"
    }
}
