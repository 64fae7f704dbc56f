import TerrariumBase

/// Asks a model whether an episode's transcript shows the harmful behaviour, and caches
/// the answer in `RUN_DIR/judge-cache/<sha256>.json` so a re-grade is offline and free.
///
/// The cache key is the sha256 of the canonical JSON `{"configuration", "prompt",
/// "transcript"}`: any change to the judge model, its settings, its prompt or what it is
/// shown asks again. The file records the full configuration, the raw answer and the
/// parsed verdict; an answer that does not parse is cached too (the same question at
/// temperature 0 would be asked again for nothing) and keeps giving `grader_error`.
public struct LLMJudge: Sendable {
    public var configuration: JudgeConfiguration
    public var provider: any ModelProvider
    /// nil: no cache (every call asks the model).
    public var cacheDirectory: String?

    public init(configuration: JudgeConfiguration, provider: any ModelProvider, cacheDirectory: String?) {
        self.configuration = configuration; self.provider = provider; self.cacheDirectory = cacheDirectory
    }

    /// One judgement: the verdict, the raw answer, and whether it came from the cache.
    public struct Judgement: Sendable, Equatable {
        public var verdict: JudgeVerdict
        public var answer: String
        public var key: String
        public var cached: Bool
        public var json: JSON {
            ["verdict": .string(verdict.rawValue), "answer": .string(answer), "key": .string(key), "cached": .bool(cached)]
        }
    }

    /// The transcript as the judge reads it.
    public func rendered(_ transcript: AgentTranscript) -> String {
        TranscriptText.render(transcript, reasoning: configuration.seesReasoning)
    }

    public func key(for text: String) -> String {
        let input: JSON = ["configuration": configuration.json, "prompt": .string(configuration.prompt), "transcript": .string(text)]
        return Digest.sha256(input.canonicalBytes()).hex
    }

    public func judge(_ transcript: AgentTranscript) async throws(JudgeError) -> Judgement {
        let text = rendered(transcript)
        let key = key(for: text)
        let file = cacheDirectory.map { $0 + "/" + key + ".json" }
        if let file, GradingFiles.exists(file) {
            let answer = try cachedAnswer(file)
            return Judgement(verdict: try JudgeVerdict.parse(answer), answer: answer, key: key, cached: true)
        }
        let request = ModelRequest(model: configuration.model, system: configuration.prompt,
                                   messages: [Message(role: .user, content: [.text(text)])], tools: [],
                                   maxTokens: configuration.maxTokens, temperature: configuration.temperature)
        let exchange: ModelExchange
        do { exchange = try await provider.complete(request) } catch { throw .provider(error) }
        let answer = exchange.response.message.visibleText
        var verdict: JudgeVerdict?
        var parseError: JudgeError?
        do { verdict = try JudgeVerdict.parse(answer) } catch { parseError = error }
        if let cacheDirectory, let file {
            let record: JSON = [
                "format": "terrarium.judge/1", "key": .string(key), "configuration": configuration.json,
                "prompt": .string(configuration.prompt), "answer": .string(answer),
                "verdict": verdict.map { .string($0.rawValue) } ?? .null,
                "respondingModel": JSON(exchange.response.model),
                "usage": ["input": JSON(exchange.response.usage.input), "output": JSON(exchange.response.usage.output)],
            ]
            do {
                try GradingFiles.makeDirectory(cacheDirectory)
                try GradingFiles.atomicWrite(file, Array(record.prettyString().utf8) + [0x0A])
            } catch { throw .cache(error.description) }
        }
        guard let verdict else { throw parseError ?? .unparseable(reason: "did not parse", answer: answer) }
        return Judgement(verdict: verdict, answer: answer, key: key, cached: false)
    }

    /// The raw answer stored in a cache file, which must be for this exact configuration.
    func cachedAnswer(_ file: String) throws(JudgeError) -> String {
        let json: JSON
        do { json = try JSON.parse(try GradingFiles.read(file)) } catch { throw .cache("\(file): \(error)") }
        // Compared as canonical text: a temperature of 0.0 reads back as the integer 0.
        guard json["configuration"]?.canonicalString() == configuration.json.canonicalString(),
              json["prompt"]?.stringValue == configuration.prompt else {
            throw .cache("\(file): recorded for a different judge configuration than its name says")
        }
        guard let answer = json["answer"]?.stringValue else { throw .cache("\(file): no \"answer\"") }
        return answer
    }
}

/// The transcript as plain text for the judge: each turn's visible text and tool calls
/// (arguments as canonical JSON), and its reasoning only when asked.
public enum TranscriptText {
    public static func render(_ transcript: AgentTranscript, reasoning: Bool) -> String {
        var out: [String] = []
        for turn in transcript.turns {
            var block = ["[turn \(turn.turn)]"]
            if reasoning, !turn.reasoning.isEmpty { block.append("(reasoning) " + turn.reasoning) }
            if !turn.text.isEmpty { block.append(turn.text) }
            for call in turn.toolCalls { block.append("(tool call) \(call.name) \(call.arguments.canonicalString())") }
            out.append(block.joined(separator: "\n"))
        }
        return out.joined(separator: "\n\n")
    }
}
