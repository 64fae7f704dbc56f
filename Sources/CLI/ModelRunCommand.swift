import ArgumentParser
import Foundation
import TerrariumBase
import TerrariumRollout
import TerrariumScenarios

extension ToolMode: ExpressibleByArgument {}

/// The `--model` options of `terrarium run` (the run itself is `ModelRun`).
struct ModelRunOptions: ParsableArguments {
    @Option(help: "Run a model: PROVIDER:MODEL (script:FILE is an offline scripted model, see docs/ROLLOUTS.md).")
    var model: String?

    @Option(help: "Episodes per condition.")
    var episodes: Int = 1

    @Option(help: "Episodes run at the same time.")
    var concurrency: Int = 4

    @Option(name: .customLong("tool-mode"), help: "native: the provider's tool calling; text: <tool_use:NAME> blocks in plain text.")
    var toolMode: ToolMode = .native

    @Option(name: .customLong("max-turns"), help: "Model turns per episode before it stops as truncated.")
    var maxTurns: Int = 30

    @Option(name: .customLong("max-output-tokens"), help: "Output tokens per episode (all turns) before it stops as truncated.")
    var maxOutputTokens: Int?

    @Option(name: .customLong("max-tokens"), help: "max_tokens of each model call.")
    var maxTokens: Int = 4096

    @Option(help: "Sampling temperature (the provider's default when not given).")
    var temperature: Double?

    @Option(name: .customLong("thinking-budget"), help: "Extended-thinking token budget (providers that support it).")
    var thinkingBudget: Int?

    @Option(name: .customLong("episode-timeout"), help: "Wall-clock seconds per episode before it stops as timeout.")
    var episodeTimeout: Double?

    @Option(name: .customLong("user-prompt"), help: "The first user message (scenarios have no user turn of their own).")
    var userPrompt: String = LoopConfig.defaultUserPrompt

    @Option(name: .customLong("base-url"), help: "The provider's API base URL.")
    var baseURL: String?

    @Option(name: .customLong("api-key-env"), help: "The environment variable holding the API key.")
    var apiKeyEnv: String?

    @Option(name: .customLong("max-retries"), help: "Retries of a failed model call (429, 5xx, cut streams).")
    var maxRetries: Int = 6

    @Option(name: .customLong("request-timeout"), help: "Seconds per model call attempt.")
    var requestTimeout: Double = 600

    @Option(name: .customLong("max-in-flight"), help: "Model calls in flight at once, over all episodes.")
    var maxInFlight: Int?

    @Option(help: "Model calls per minute, over all episodes.")
    var rpm: Int?

    @Option(help: "LLM judge PROVIDER:MODEL, asked (temperature 0) whether each episode shows the harm; needs --judge-prompt.")
    var judge: String?

    @Option(name: .customLong("judge-prompt"), help: "The judge's instructions (a text file); its answer must hold <verdict>harmful|not_harmful</verdict>.")
    var judgePrompt: String?

    @Flag(name: .customLong("judge-sees-reasoning"), help: "Show the model's reasoning to the judge (default: text and tool calls only).")
    var judgeSeesReasoning = false

    func validate() throws {
        if episodes < 1 { throw ValidationError("--episodes must be at least 1") }
        if concurrency < 1 { throw ValidationError("--concurrency must be at least 1") }
        if maxTurns < 1 { throw ValidationError("--max-turns must be at least 1") }
        if let m = maxOutputTokens, m < 1 { throw ValidationError("--max-output-tokens must be at least 1") }
        if maxTokens < 1 { throw ValidationError("--max-tokens must be at least 1") }
        if let t = episodeTimeout, t <= 0 { throw ValidationError("--episode-timeout must be more than 0 seconds") }
    }

    var flags: ProviderFlags {
        ProviderFlags(baseURL: baseURL, apiKeyEnv: apiKeyEnv, maxRetries: maxRetries, requestTimeout: requestTimeout,
                      maxInFlight: maxInFlight, rpm: rpm)
    }
}

/// `terrarium run DIR --model PROVIDER:MODEL`: conditions × episodes with a model, into a
/// resumable run folder; progress on stderr, the summary table on stdout.
struct ModelRun {
    var directory: String
    var options: ModelRunOptions
    var variables: VariableOptions
    var grid: Bool
    var seed: UInt64
    var out: String?
    /// Turns `--model` into a provider (tests may swap it).
    var resolver: any ProviderResolver = BuiltInProviderResolver()

    func run() async throws {
        guard let modelText = options.model else { throw fail("--model is missing") }
        let spec: ModelSpec
        let provider: any ModelProvider
        do throws(ProviderError) {
            spec = try ModelSpec(parsing: modelText)
            provider = try resolver.provider(for: spec, flags: options.flags, environment: ProcessInfo.processInfo.environment)
        } catch { throw fail(error.description) }
        if grid, let condition = variables.condition { throw fail("--grid runs every condition; drop --condition \(condition)") }
        let plan: RunPlan
        do {
            plan = try RunPlan.make(directory: directory, selection: grid ? .grid : .single(condition: variables.condition),
                                    overrides: variables.variables, episodes: options.episodes, seed: seed)
        } catch { throw fail(error.description) }
        let loop = LoopConfig(model: spec.model, toolMode: options.toolMode, maxTurns: options.maxTurns,
                              maxOutputTokens: options.maxOutputTokens, maxTokensPerCall: options.maxTokens,
                              temperature: options.temperature, thinkingBudget: options.thinkingBudget,
                              episodeTimeout: options.episodeTimeout, userPrompt: options.userPrompt)
        let root = out ?? "runs/\(plan.conditions.first?.scenario.id ?? "run")-\(ModelRun.folderName(spec))"
        var runner = Runner(plan: plan, provider: provider, loop: loop, directory: RunDirectory(root), concurrency: options.concurrency,
                            pricing: tablePricing())
        var judgeRecord: JSON = .null
        if options.judge != nil || options.judgePrompt != nil {
            guard let judgeSpec = options.judge, let promptFile = options.judgePrompt else {
                throw fail("--judge and --judge-prompt go together")
            }
            let judge: JudgeConfiguration
            let judgeProvider: any ModelProvider
            do throws(JudgeError) {
                judge = try JudgeConfiguration.parse(spec: judgeSpec, promptFile: promptFile, seesReasoning: options.judgeSeesReasoning)
            } catch { throw fail(error.description) }
            do throws(ProviderError) {
                judgeProvider = try ProviderFactory.make(modelSpec: judgeSpec, environment: ProcessInfo.processInfo.environment)
            } catch { throw fail("--judge: \(error.description)") }
            runner.classifier = OutcomeClassifier(judge: LLMJudge(configuration: judge, provider: judgeProvider,
                                                                  cacheDirectory: root + "/" + RecordedRun.judgeCache))
            // The prompt text itself goes into run.json, so `grade RUN_DIR` asks the same question later.
            var record = judge.json.objectValue ?? [:]
            record["prompt"] = .string(judge.prompt)
            // As run.json will read back (a temperature of 0.0 is written "0"), so a rerun compares equal.
            judgeRecord = (try? JSON.parse(JSON.object(record).canonicalString())) ?? .object(record)
        }
        let configuration = RunConfiguration(plan: plan, model: spec, loop: loop, flags: options.flags, concurrency: options.concurrency,
                                             judge: judgeRecord)
        let before: Int
        do {
            // A different configuration is the user's mistake (exit 1), found before anything runs.
            try runner.directory.claim(configuration)
            before = plan.keys.count - (try runner.pending().todo.count)
        } catch { throw fail(error.description) }
        printError("run \(root): \(plan.conditions.count) condition\(plan.conditions.count == 1 ? "" : "s") × \(plan.episodes) episode\(plan.episodes == 1 ? "" : "s") with \(spec)"
            + (before > 0 ? " (resuming: \(before) finished)" : ""))
        let result: Runner.Result
        do { result = try await runner.run(configuration: configuration) } catch { throw fail(error.description, code: 2) }
        for moved in result.setAside { printError("unfinished episode kept as \(moved); running it again") }
        print(result.table.text)
        print("run written to \(root)")
    }

    /// `anthropic:claude-sonnet-4-5` → `anthropic-claude-sonnet-4-5`; a script's path → its file name.
    static func folderName(_ spec: ModelSpec) -> String {
        let model = spec.provider == "script" ? (spec.model as NSString).lastPathComponent : spec.model
        return (spec.provider + "-" + model).map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "." || $0 == "_" ? $0 : "-" }
            .reduce(into: "") { $0.append($1) }
    }
}
