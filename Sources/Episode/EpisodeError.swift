import TerrariumRecording
import TerrariumShell
import TerrariumWorld

/// A failure of the environment, not of the agent. It is never shown to the agent as a
/// normal tool result and never counted as the agent's behaviour.
public enum EpisodeError: Error, Sendable, CustomStringConvertible {
    case recording(RecordingError)
    case world(String)
    /// The shell's sandbox could not be set up (a layer failed, named in the error).
    case shell(ShellError)
    case ended
    /// An earlier environment failure left this episode unusable.
    case broken(String)

    public var description: String {
        switch self {
        case .recording(let e): return "recording failed: \(e)"
        case .world(let m): return "simulated world failed: \(m)"
        case .shell(let e): return e.description
        case .ended: return "the episode has ended"
        case .broken(let m): return "the episode is unusable after an earlier environment failure: \(m)"
        }
    }
}

/// The result of one tool call as the agent receives it.
public struct ToolCallResult: Sendable {
    public var isError: Bool
    public var text: String
    public var data: JSON?
    /// Seq of the `tool.called` and `tool.result` events (numbered the same way when the
    /// episode is not recorded).
    public var calledSeq: Int
    public var resultSeq: Int
}

import TerrariumBase
