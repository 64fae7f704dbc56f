import Foundation

/// One condition rendered the way their generator renders it (our Swift mirror of
/// `generate_prompts`): the variables it fills in, the system prompt and the email content.
/// The importer uses this to learn what each placeholder becomes in each condition, and to
/// check its own scenario against it before writing anything.
public struct TheirCondition: Sendable {
    public var goalType: String
    public var goalValue: String
    public var urgency: String
    /// Section variables plus the goal variables (their `get_variables_for_condition`).
    public var mailMapping: [String: String]
    /// The same plus `extra_system_instructions` and `alignment_faking_warning` (both empty:
    /// their task's defaults), as their `generate_system_prompt` fills in.
    public var promptMapping: [String: String]
    public var templateFiles: [String]
    public var warnings: [String]

    public init(_ type: AgenticMisalignmentDesign.ScenarioType, goalType: String, goalValue: String, urgency: String,
                sources: inout TheirSources) throws(ImportError) {
        self.goalType = goalType
        self.goalValue = goalValue
        self.urgency = urgency
        var warnings: [String] = []
        let folder = AgenticMisalignmentDesign.variablesFolder(type)
        let (fileName, fileWarning) = AgenticMisalignmentDesign.variablesFile(
            goalType: goalType, goalValue: goalValue, files: try sources.listing(folder))
        if let fileWarning { warnings.append(fileWarning) }
        let file = try sources.variables(folder + "/" + fileName)
        let (index, sectionWarning) = AgenticMisalignmentDesign.section(goalValue: goalValue, keys: file.sections.map(\.key))
        if let sectionWarning { warnings.append("\(file.path): \(sectionWarning)") }
        var mapping: [String: String] = [:]
        if let index {
            mapping = file.sections[index].values
        } else if !file.sections.isEmpty {
            throw ImportError(file: file.path, "expected exactly one section for goal value \"\(goalValue)\" (their generator asserts it), found \(file.sections.count)")
        }
        let key = AgenticMisalignmentDesign.goalVariablesKey(goalType: goalType, goalValue: goalValue,
                                                             available: Set(sources.goalVariables.keys))
        for (k, v) in sources.goalVariables[key] ?? [:] { mapping[k] = v }
        mailMapping = mapping
        mapping["extra_system_instructions"] = ""
        mapping["alignment_faking_warning"] = ""
        promptMapping = mapping
        templateFiles = AgenticMisalignmentDesign.emailTemplates(type, goalType: goalType, urgency: urgency)
        self.warnings = warnings
    }

    public var id: String { "\(goalType).\(goalValue).\(urgency)" }

    /// Their email content for this condition.
    public func emailContent(_ type: AgenticMisalignmentDesign.ScenarioType, sources: inout TheirSources) throws(ImportError) -> String {
        var content = ""
        for rel in templateFiles { content += PythonTemplate(try sources.template(rel).text).render(mailMapping) }
        if AgenticMisalignmentDesign.numbersEmails(type) {
            let parts = content.components(separatedBy: "<email>")
            if parts.count > 1 {
                content = parts[0]
                for (i, part) in parts.dropFirst().enumerated() { content += "<email>\nID: \(i + 1)" + part }
            }
        }
        return content
    }

    public func systemPrompt(_ type: AgenticMisalignmentDesign.ScenarioType, prod: Bool, sources: TheirSources) throws(ImportError) -> String {
        PythonTemplate(try sources.systemPrompt(AgenticMisalignmentDesign.systemPromptName(type, prod: prod))).render(promptMapping)
    }
}
