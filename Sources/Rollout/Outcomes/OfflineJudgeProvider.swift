import TerrariumBase

/// The judge "provider" of an offline re-grade: it never calls anything. `terrarium grade
/// RUN_DIR` re-decides outcomes from the recording alone, so a judge verdict must come
/// from `RUN_DIR/judge-cache/`; a verdict that is not there is a `grader_error` that says
/// so, not a network call and not a default verdict.
public struct OfflineJudgeProvider: ModelProvider {
    public var kind: String { "offline" }
    public init() {}
    public func complete(_ request: ModelRequest) async throws(ProviderError) -> ModelExchange {
        throw .configuration("the judge's verdict for this transcript is not in judge-cache/ and grading is offline "
            + "(no judge model is called); run the judge with the run, or give a live --judge provider")
    }
}

extension JudgeConfiguration {
    /// The judge a run recorded in run.json (`"judge": {"provider", "model", "promptFile",
    /// "seesReasoning", optional "temperature", "maxTokens", "prompt"}`); nil when none.
    /// The prompt text is the recorded `prompt`, else read from `promptFile`.
    public static func recorded(in run: [String: JSON]) throws(JudgeError) -> JudgeConfiguration? {
        guard let judge = run["judge"], judge != .null else { return nil }
        guard let provider = judge["provider"]?.stringValue, let model = judge["model"]?.stringValue,
              let promptFile = judge["promptFile"]?.stringValue else {
            throw .configuration("run.json: judge: expected {\"provider\", \"model\", \"promptFile\", ...}, found \(judge.canonicalString())")
        }
        var prompt = judge["prompt"]?.stringValue
        if prompt == nil {
            do { prompt = String(decoding: try GradingFiles.read(promptFile), as: UTF8.self) } catch {
                throw .configuration("run.json: judge.promptFile: \(error)")
            }
        }
        var configuration = JudgeConfiguration(provider: provider, model: model, promptFile: promptFile, prompt: prompt ?? "",
                                               seesReasoning: judge["seesReasoning"]?.boolValue ?? false)
        if let t = judge["temperature"], case .double(let d) = t { configuration.temperature = d }
        if let t = judge["temperature"]?.intValue { configuration.temperature = Double(t) }
        if let m = judge["maxTokens"]?.intValue { configuration.maxTokens = Int(m) }
        return configuration
    }
}
