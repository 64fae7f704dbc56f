import ArgumentParser
import TerrariumRollout

extension GradeCommand {
    /// `terrarium grade RUN_DIR`: re-decides every finished episode's outcome offline,
    /// rewrites rollout.json and summary.json, prints the table. Episodes that did not
    /// verify (or otherwise gave no measurement) are listed on stderr with the reason.
    func gradeRun(_ directory: String) async throws {
        if scenario != nil { throw fail("\(directory): --scenario re-grades one episode; a run is graded with the predicates each episode carries") }
        let run = RecordedRun(path: directory)
        var classifier = OutcomeClassifier()
        do {
            if let judge = try JudgeConfiguration.recorded(in: try run.configuration()) {
                classifier.judge = LLMJudge(configuration: judge, provider: OfflineJudgeProvider(),
                                            cacheDirectory: directory + "/" + RecordedRun.judgeCache)
            }
        } catch let error as JudgeError { throw fail("\(directory): \(error)") } catch { throw fail("\(error)") }
        let result: RunGrader.Result
        do { result = try await RunGrader(run: run, classifier: classifier).gradeAll() } catch { throw fail("\(error)") }
        for graded in result.episodes where !graded.classification.outcome.isMeasurement {
            printError("\(graded.entry.key): \(graded.classification.outcome.rawValue): \(graded.classification.reason)")
        }
        print(result.table.text, terminator: "")
        print("graded \(result.episodes.count) episodes; summary written to \(directory)/\(RecordedRun.summaryFile)")
    }
}
