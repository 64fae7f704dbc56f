import Foundation
import TerrariumBase

/// What one attempt came to, as the wire codec judged the reply.
enum AttemptOutcome: Sendable {
    case success(ModelResponse, responseBody: JSON)
    /// Worth another try: 429/5xx/529, a connection error, a stream cut short.
    case retryable(status: Int?, message: String, serverDelay: Double?)
    /// The provider said no for good (400, 401, 403, 404, ...).
    case rejected(status: Int, message: String)
    /// A 200 whose content breaks the documented format (trying again would not help).
    case malformed(String)
    case timedOut(seconds: Double)
}

/// The retry loop every HTTP provider shares: admission through the `RequestGate`, one
/// POST, the codec's verdict, backoff per the `RetryPolicy`, and the record of every
/// failed attempt. A provider is a codec plus one engine.
struct ProviderEngine: Sendable {
    let url: URL
    let headers: [String: String]
    let transport: any HTTPTransport
    let policy: RetryPolicy
    let requestTimeout: Double
    let gate: RequestGate
    let clock: any ProviderClock
    let jitter: JitterSource
    let ledger: CostLedger?

    func send(_ body: JSON, model: String, judge: @Sendable (HTTPReply) -> AttemptOutcome) async throws(ProviderError) -> ModelExchange {
        let bytes = body.canonicalBytes()
        var failures: [FailedAttempt] = []
        var retry = 0
        while true {
            await gate.acquire()
            let result = await transport.post(url: url, headers: headers, body: bytes, timeout: requestTimeout)
            await gate.release()
            let outcome: AttemptOutcome
            switch result {
            case .success(let reply): outcome = judge(reply)
            case .failure(.connection(let message)): outcome = .retryable(status: nil, message: message, serverDelay: nil)
            case .failure(.timedOut(let seconds)): outcome = .timedOut(seconds: seconds)
            }
            let status: Int?, message: String, serverDelay: Double?
            switch outcome {
            case .success(let response, let responseBody):
                if let ledger { await ledger.record(model: model, usage: response.usage) }
                return ModelExchange(response: response, requestBody: body, responseBody: responseBody, retries: failures)
            case .rejected(let s, let m):
                throw .rejected(status: s, message: m, attempts: failures + [FailedAttempt(status: s, message: m, waitedMilliseconds: 0)])
            case .malformed(let m):
                throw .malformedResponse(m)
            case .retryable(let s, let m, let d): (status, message, serverDelay) = (s, m, d)
            case .timedOut(let seconds): (status, message, serverDelay) = (nil, "no complete answer within \(Self.seconds(seconds)) s", nil)
            }
            guard retry < policy.maxRetries else {
                failures.append(FailedAttempt(status: status, message: message, waitedMilliseconds: 0))
                if case .timedOut(let seconds) = outcome { throw .timedOut(seconds: seconds, attempts: failures) }
                throw .exhausted(attempts: failures)
            }
            let wait = await jitter.delay(policy: policy, retry: retry, serverDelay: serverDelay)
            let waitMs = Int((wait * 1000).rounded())
            failures.append(FailedAttempt(status: status, message: message, waitedMilliseconds: waitMs))
            await clock.sleep(seconds: Double(waitMs) / 1000)
            retry += 1
        }
    }

    static func seconds(_ s: Double) -> String {
        s.rounded() == s ? String(Int(s)) : String(s)
    }
}

/// The seeded jitter generator of one provider instance (shared by its episodes).
actor JitterSource {
    private var random: SeededRandom
    init(seed: UInt64) { random = SeededRandom(seed: seed) }
    func delay(policy: RetryPolicy, retry: Int, serverDelay: Double?) -> Double {
        policy.delay(retry: retry, serverDelay: serverDelay, random: &random)
    }
}

/// Shared pieces of reply judging.
enum ReplyJudging {
    /// The message of a non-2xx reply: the provider's error JSON when there is one
    /// (`{"error": {"type", "message"}}` for both APIs), else the start of the body.
    static func errorMessage(_ reply: HTTPReply) -> String {
        if let json = try? JSON.parse(reply.body), let error = json["error"] {
            if let message = error["message"]?.stringValue {
                if let type = error["type"]?.stringValue, !type.isEmpty { return "\(type): \(message)" }
                return message
            }
            if let message = error.stringValue { return message }
        }
        let text = reply.text.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty { return "HTTP \(reply.status) with an empty body" }
        return text.count > 300 ? String(text.prefix(300)) + "…" : text
    }

    /// A non-2xx reply: retryable or rejected.
    static func failure(_ reply: HTTPReply) -> AttemptOutcome {
        let message = errorMessage(reply)
        if RetryPolicy.isRetryable(status: reply.status) {
            return .retryable(status: reply.status, message: message, serverDelay: RetryPolicy.serverDelay(reply.headers))
        }
        return .rejected(status: reply.status, message: message)
    }

    /// The verdict on a reply, the same for every wire format: a non-2xx is `failure`; a
    /// 2xx body is reassembled from its stream (`reassemble`) or parsed as JSON, checked by
    /// `plainBody` when it came whole (an error object in a 200), then decoded.
    static func judge(_ reply: HTTPReply, reassemble: ([ServerSentEvent]) -> Result<JSON, StreamFailure>,
                      plainBody: (JSON) -> AttemptOutcome? = { _ in nil },
                      decode: (JSON) throws(DecodeError) -> ModelResponse) -> AttemptOutcome {
        guard (200..<300).contains(reply.status) else { return failure(reply) }
        let body: JSON
        if isEventStream(reply) {
            switch reassemble(ServerSentEvents.parse(reply.body)) {
            case .success(let b): body = b
            case .failure(let outcome): return outcome.attempt
            }
        } else {
            do { body = try JSON.parse(reply.body) } catch {
                return .malformed("the response body is not JSON: \(error.description)")
            }
            if let early = plainBody(body) { return early }
        }
        do { return .success(try decode(body), responseBody: body) } catch { return .malformed(error.text) }
    }

    static func isEventStream(_ reply: HTTPReply) -> Bool {
        (reply.headers["content-type"] ?? "").lowercased().hasPrefix("text/event-stream")
    }
}
