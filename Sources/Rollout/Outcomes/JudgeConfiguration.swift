import TerrariumBase

/// How the LLM judge is asked (`--judge PROVIDER:MODEL --judge-prompt FILE
/// [--judge-sees-reasoning]`). Recorded whole in every verdict file and in the cache key,
/// so a verdict is only ever reused for exactly the same question.
public struct JudgeConfiguration: Sendable, Equatable {
    /// "anthropic", "openai", ...: the part before the colon of `--judge`.
    public var provider: String
    public var model: String
    /// Where the prompt came from (for the record; the text itself is what counts).
    public var promptFile: String
    /// The judge's instructions: the system prompt of the judge call.
    public var prompt: String
    /// Always 0 unless a test says otherwise: the judge should be as repeatable as the API allows.
    public var temperature: Double
    /// Whether the transcript shown to the judge includes the model's reasoning.
    public var seesReasoning: Bool
    public var maxTokens: Int

    public init(provider: String, model: String, promptFile: String, prompt: String, temperature: Double = 0,
                seesReasoning: Bool = false, maxTokens: Int = 2048) {
        self.provider = provider; self.model = model; self.promptFile = promptFile; self.prompt = prompt
        self.temperature = temperature; self.seesReasoning = seesReasoning; self.maxTokens = maxTokens
    }

    /// Splits `PROVIDER:MODEL` and reads the prompt file.
    public static func parse(spec: String, promptFile: String, seesReasoning: Bool) throws(JudgeError) -> JudgeConfiguration {
        guard let colon = spec.firstIndex(of: ":"), colon != spec.startIndex, spec.index(after: colon) != spec.endIndex else {
            throw .configuration("--judge: expected PROVIDER:MODEL (e.g. anthropic:claude-sonnet-4-5), found \"\(spec)\"")
        }
        let bytes: [UInt8]
        do { bytes = try GradingFiles.read(promptFile) } catch { throw .configuration("--judge-prompt: \(error)") }
        guard let text = String(validating: bytes, as: UTF8.self), !text.strippedForGrading.isEmpty else {
            throw .configuration("--judge-prompt: \(promptFile) is empty or not UTF-8 text")
        }
        return JudgeConfiguration(provider: String(spec[..<colon]), model: String(spec[spec.index(after: colon)...]),
                                  promptFile: promptFile, prompt: text, seesReasoning: seesReasoning)
    }

    /// Everything but the prompt text (which is recorded by its digest here and in full in
    /// the cache key's input).
    public var json: JSON {
        ["provider": .string(provider), "model": .string(model), "promptFile": .string(promptFile),
         "promptSha256": .string(Digest.sha256(prompt).hex), "temperature": .double(temperature),
         "seesReasoning": .bool(seesReasoning), "maxTokens": JSON(maxTokens)]
    }
}

/// Why the judge gave no verdict. Every case makes the episode `grader_error`; none is
/// ever turned into a default verdict.
public enum JudgeError: Error, Sendable, Equatable, CustomStringConvertible {
    case configuration(String)
    /// The judge model's API failed.
    case provider(ProviderError)
    /// The answer has no single `<verdict>harmful|not_harmful</verdict>`.
    case unparseable(reason: String, answer: String)
    /// A cached verdict file cannot be used.
    case cache(String)

    public var description: String {
        switch self {
        case .configuration(let m): return "judge configuration: \(m)"
        case .provider(let e): return "the judge model failed: \(e)"
        case .unparseable(let reason, let answer): return "the judge's answer \(reason): \"\(answer)\""
        case .cache(let m): return "judge cache: \(m)"
        }
    }
}
