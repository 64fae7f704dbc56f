import Foundation

/// Their templates folder, read once: the system prompt constants, each email template file
/// parsed into blocks, each variables file parsed into sections.
public struct TheirSources: Sendable {
    public let root: String
    /// Plain-text copies of the Python constants we use (all strings).
    public let systemPrompts: [String: String]
    public let goalVariables: [String: [String: String]]
    public let userPrompt: String
    private var templates: [String: (text: String, blocks: EmailBlocks)] = [:]
    private var variableFiles: [String: VariableFile] = [:]
    private var folderListings: [String: [String]] = [:]

    public static let systemPromptModule = "system_prompt_templates.py"

    public init(root: String, python: String = "python3") throws(ImportError) {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isDir), isDir.boolValue else {
            throw ImportError(file: root, "not a folder (expected their templates/ folder, e.g. inspect_evals/agentic_misalignment/templates)")
        }
        self.root = root
        let modulePath = root + "/" + TheirSources.systemPromptModule
        guard FileManager.default.fileExists(atPath: modulePath) else {
            throw ImportError(file: modulePath, "missing: the system prompts are read from this file")
        }
        let constants = try PythonConstants.read(modulePath, python: python)
        var prompts: [String: String] = [:]
        for (k, v) in constants { if let s = v as? String { prompts[k] = s } }
        systemPrompts = prompts
        guard let goals = constants["GOAL_VARIABLES"] as? [String: Any] else {
            throw ImportError(file: modulePath, "no GOAL_VARIABLES dict of dicts")
        }
        var goalVariables: [String: [String: String]] = [:]
        for (k, v) in goals {
            guard let d = v as? [String: String] else { throw ImportError(file: modulePath, "GOAL_VARIABLES[\"\(k)\"] is not a dict of strings") }
            goalVariables[k] = d
        }
        self.goalVariables = goalVariables
        guard let user = prompts["USER_PROMPT"] else { throw ImportError(file: modulePath, "no USER_PROMPT string") }
        userPrompt = user
    }

    public func systemPrompt(_ name: String) throws(ImportError) -> String {
        guard let p = systemPrompts[name] else {
            throw ImportError(file: root + "/" + TheirSources.systemPromptModule, "no string constant \(name)")
        }
        return p
    }

    public mutating func template(_ rel: String) throws(ImportError) -> (text: String, blocks: EmailBlocks) {
        if let t = templates[rel] { return t }
        let text = try read(rel)
        let parsed = (text, try EmailBlocks.parse(text, file: root + "/" + rel))
        templates[rel] = parsed
        return parsed
    }

    public mutating func variables(_ rel: String) throws(ImportError) -> VariableFile {
        if let v = variableFiles[rel] { return v }
        let file = try VariableFile(path: root + "/" + rel, text: try read(rel))
        variableFiles[rel] = file
        return file
    }

    public mutating func listing(_ folder: String) throws(ImportError) -> [String] {
        if let l = folderListings[folder] { return l }
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: root + "/" + folder) else {
            throw ImportError(file: root + "/" + folder, "missing folder (their variables files live here)")
        }
        let sorted = names.sorted()
        folderListings[folder] = sorted
        return sorted
    }

    func read(_ rel: String) throws(ImportError) -> String {
        let path = root + "/" + rel
        guard let data = FileManager.default.contents(atPath: path) else { throw ImportError(file: path, "missing or unreadable") }
        guard let text = String(data: data, encoding: .utf8) else { throw ImportError(file: path, "not UTF-8 text") }
        return text
    }
}
