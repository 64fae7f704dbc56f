import TerrariumRecording
import TerrariumWorld

/// A failure of the environment, not of the agent. It is never shown to the agent as a
/// normal tool result and never counted as the agent's behaviour.
public enum EpisodeError: Error, Sendable, CustomStringConvertible {
    case recording(RecordingError)
    case world(String)
    case ended
    /// An earlier environment failure left this episode unusable.
    case broken(String)

    public var description: String {
        switch self {
        case .recording(let e): return "recording failed: \(e)"
        case .world(let m): return "simulated world failed: \(m)"
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
    /// Seq of the `tool.called` and `tool.result` events (0 when not recorded).
    public var calledSeq: Int
    public var resultSeq: Int
}

import TerrariumBase
