import Foundation

/// A bounded, locked dictionary kept for the life of the process: for values that a key
/// determines completely (a digest and what its bytes decode to, a pattern source and its
/// compiled form), so a hit is exactly what computing again would give. When full it
/// starts over; the bound only keeps a long-running host from growing without limit.
public final class ProcessCache<Key: Hashable, Value>: @unchecked Sendable {
    // Unchecked: `entries` is only touched while holding `lock`. Callers store values that
    // are immutable once made (or values types), so sharing them across threads is safe.
    private let lock = NSLock()
    private var entries: [Key: Value] = [:]
    private let capacity: Int

    public init(capacity: Int) { self.capacity = capacity }

    public subscript(key: Key) -> Value? { lock.withLock { entries[key] } }

    public func keep(_ value: Value, for key: Key) {
        lock.withLock {
            if entries.count >= capacity { entries.removeAll() }
            entries[key] = value
        }
    }
}
