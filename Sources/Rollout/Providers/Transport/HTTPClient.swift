import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One HTTP exchange as the providers see it: the status, the headers (names lowercased)
/// and the whole body. Streamed (SSE) responses arrive here whole too: the providers ask
/// for `stream: true` so a long generation keeps bytes flowing (no idle cut-off on the way)
/// and a body cut short is recognisable (no final event), then parse the events at once.
public struct HTTPReply: Sendable, Equatable {
    public var status: Int
    public var headers: [String: String]
    public var body: [UInt8]
    public init(status: Int, headers: [String: String], body: [UInt8]) {
        self.status = status; self.headers = headers; self.body = body
    }
    public var text: String { String(decoding: body, as: UTF8.self) }
}

/// Why no reply arrived. Both are retryable; the engine words them for `FailedAttempt`.
public enum TransportFailure: Error, Sendable, Equatable {
    /// Connection refused or reset, DNS, TLS, a body cut off mid-transfer, ...
    case connection(String)
    /// No complete reply within the per-request timeout.
    case timedOut(seconds: Double)
}

/// What a provider needs from HTTP: one POST with a JSON body.
public protocol HTTPTransport: Sendable {
    func post(url: URL, headers: [String: String], body: [UInt8], timeout: Double) async -> Result<HTTPReply, TransportFailure>
}

/// The real transport: Foundation's URLSession (libcurl underneath on Linux, so HTTPS
/// works without extra packages). One session per provider instance keeps its
/// connections alive across the episodes of a run.
public final class URLSessionTransport: HTTPTransport, @unchecked Sendable {
    // @unchecked: URLSession is thread-safe but not marked Sendable in corelibs Foundation.
    private let session: URLSession

    public init(maxConnections: Int = 8) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = max(1, maxConnections)
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        // Our own deadline (below) is the one that counts; these only must not cut first.
        configuration.timeoutIntervalForRequest = 24 * 3600
        configuration.timeoutIntervalForResource = 24 * 3600
        session = URLSession(configuration: configuration)
    }

    deinit { session.finishTasksAndInvalidate() }

    public func post(url: URL, headers: [String: String], body: [UInt8], timeout: Double) async -> Result<HTTPReply, TransportFailure> {
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        request.httpBody = Data(body)
        let once = OnceResult()
        return await withCheckedContinuation { (continuation: CheckedContinuation<Result<HTTPReply, TransportFailure>, Never>) in
            once.set(continuation)
            let task = session.dataTask(with: request) { data, response, error in
                if let error {
                    once.resume(.failure(.connection(Self.describe(error))))
                    return
                }
                guard let http = response as? HTTPURLResponse else {
                    once.resume(.failure(.connection("the response is not HTTP")))
                    return
                }
                var names: [String: String] = [:]
                for (key, value) in http.allHeaderFields {
                    if let k = key as? String, let v = value as? String { names[k.lowercased()] = v }
                }
                once.resume(.success(HTTPReply(status: http.statusCode, headers: names, body: [UInt8](data ?? Data()))))
            }
            // The whole exchange (connect, send, wait, receive) must finish within `timeout`;
            // URLSession's own intervals are idle timers, which a slow trickle never trips.
            // The timer is cancelled as soon as the reply is in, so none lingers.
            let timer = Task {
                try? await Task.sleep(for: .milliseconds(Int64((timeout * 1000).rounded())))
                if Task.isCancelled { return }
                if once.resume(.failure(.timedOut(seconds: timeout))) { task.cancel() }
            }
            once.setTimer(timer)
            task.resume()
        }
    }

    static func describe(_ error: Error) -> String {
        if let url = error as? URLError {
            switch url.code {
            case .networkConnectionLost: return "the connection was lost before the response was complete"
            case .cannotConnectToHost: return "could not connect to the host"
            case .cannotFindHost: return "could not resolve the host name"
            case .timedOut: return "the connection timed out"
            case .secureConnectionFailed: return "the TLS connection failed"
            default: return "\(url.localizedDescription) (URLError \(url.code.rawValue))"
            }
        }
        return "\(error.localizedDescription)"
    }
}

/// Resumes a continuation exactly once, whichever of the completion handler and the
/// timeout comes first.
private final class OnceResult: @unchecked Sendable {
    // @unchecked: every access is under `lock`.
    private let lock = NSLock()
    private var continuation: CheckedContinuation<Result<HTTPReply, TransportFailure>, Never>?
    private var pending: Result<HTTPReply, TransportFailure>?
    private var done = false
    private var timer: Task<Void, Never>?

    func setTimer(_ t: Task<Void, Never>) {
        lock.lock()
        if done { lock.unlock(); t.cancel(); return }
        timer = t
        lock.unlock()
    }

    func set(_ c: CheckedContinuation<Result<HTTPReply, TransportFailure>, Never>) {
        lock.lock()
        if let pending { lock.unlock(); c.resume(returning: pending); return }
        continuation = c
        lock.unlock()
    }

    /// True when this call delivered the result (it came first).
    @discardableResult
    func resume(_ result: Result<HTTPReply, TransportFailure>) -> Bool {
        lock.lock()
        guard !done else { lock.unlock(); return false }
        done = true
        timer?.cancel()
        timer = nil
        if let c = continuation {
            continuation = nil
            lock.unlock()
            c.resume(returning: result)
        } else {
            pending = result
            lock.unlock()
        }
        return true
    }
}
