import Foundation
import TerrariumBase

/// One provider call raced against the episode's wall-clock deadline. The race returns
/// as soon as either side finishes, even if the provider ignores cancellation (it is
/// cancelled; its late answer is dropped).
enum ProviderCall {
    enum Failure: Error {
        case provider(ProviderError)
        case deadline
    }

    static func complete(_ provider: any ModelProvider, _ request: ModelRequest,
                         deadline: ContinuousClock.Instant?) async -> Result<ModelExchange, Failure> {
        guard let deadline else {
            do throws(ProviderError) { return .success(try await provider.complete(request)) } catch { return .failure(.provider(error)) }
        }
        if ContinuousClock.now >= deadline { return .failure(.deadline) }
        let once = ProviderCallOutcome()
        return await withCheckedContinuation { (continuation: CheckedContinuation<Result<ModelExchange, Failure>, Never>) in
            once.set(continuation)
            let work = Task {
                do throws(ProviderError) { once.resume(.success(try await provider.complete(request))) } catch {
                    once.resume(.failure(.provider(error)))
                }
            }
            let timer = Task {
                try? await Task.sleep(until: deadline, clock: .continuous)
                once.resume(.failure(.deadline))
            }
            once.onResume { work.cancel(); timer.cancel() }
        }
    }
}

/// Resumes a continuation exactly once, whichever task gets there first.
final class ProviderCallOutcome: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<Result<ModelExchange, ProviderCall.Failure>, Never>?
    private var done = false
    private var cleanup: (@Sendable () -> Void)?

    func set(_ c: CheckedContinuation<Result<ModelExchange, ProviderCall.Failure>, Never>) {
        lock.lock(); continuation = c; lock.unlock()
    }

    func onResume(_ body: @escaping @Sendable () -> Void) {
        lock.lock()
        if done { lock.unlock(); body(); return }
        cleanup = body
        lock.unlock()
    }

    func resume(_ result: Result<ModelExchange, ProviderCall.Failure>) {
        lock.lock()
        guard !done, let c = continuation else { lock.unlock(); return }
        done = true
        let after = cleanup
        lock.unlock()
        c.resume(returning: result)
        after?()
    }
}
