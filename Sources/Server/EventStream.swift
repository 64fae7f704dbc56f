import HTTPTypes
import Hummingbird
import TerrariumBase
import TerrariumHosting

/// `GET /episodes/{id}/events/stream?since=N`: the episode's events as server-sent events,
/// each `id: SEQ`, `event: event`, `data: <the event line>`, as they are recorded. The
/// stream ends with `event: end` when the episode is deleted or reaped, or after the
/// server's stream limit (a client reconnects with `since=` its last id).
enum EventStream {
    static let pollInterval = Duration.milliseconds(50)

    static func response(_ request: Request, episode: HostedEpisode, host: EpisodeHost,
                         configuration: ServerConfiguration) throws -> Response {
        var since = 0
        if let raw = request.uri.queryParameters["since"] {
            guard let v = Int(raw), v >= 0 else {
                throw APIError(.badRequest, "bad_request", "query parameter \"since\" must be a non-negative integer, got \"\(raw)\"")
            }
            since = v
        }
        // Fail before the 200 when the episode has no recording.
        _ = try host.eventLines(episode, since: Int.max)
        let limit = configuration.streamLimit
        let start = since
        let body = ResponseBody { writer in
            let deadline = ContinuousClock.now + limit
            var last = start
            while true {
                let live = host.isLive(episode.id)
                let (lines, _) = (try? host.eventLines(episode, since: last)) ?? ([], last)
                for line in lines {
                    last += 1
                    var chunk = Array("id: \(last)\nevent: event\ndata: ".utf8)
                    chunk.append(contentsOf: line)
                    chunk.append(contentsOf: Array("\n\n".utf8))
                    try await writer.write(ByteBuffer(bytes: chunk))
                }
                if !live || ContinuousClock.now > deadline {
                    let why = live ? "stream limit reached; reconnect with since=\(last)" : "episode ended"
                    try await writer.write(ByteBuffer(bytes: Array("event: end\ndata: {\"reason\":\"\(why)\",\"lastSeq\":\(last)}\n\n".utf8)))
                    break
                }
                try await Task.sleep(for: pollInterval)
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"], body: body)
    }
}
