import Foundation
import TerrariumBase
import TerrariumWorld

/// Decoded initial worlds by the digest of their snapshot blob. Every episode of a
/// scenario condition starts from the same snapshot, so a runner or host grading thousands
/// of them decodes it once. A digest names its bytes, and the bytes decode to one world:
/// a hit is exactly what decoding would give.
final class InitialWorldCache: @unchecked Sendable {
    // Unchecked: `worlds` is only touched while holding `lock`; `World` is a value.
    static let shared = InitialWorldCache()
    /// A few dozen scenario conditions at a time; beyond that the cache starts over.
    static let capacity = 64

    private let lock = NSLock()
    private var worlds: [Digest: World] = [:]

    func world(_ snapshot: Digest) -> World? { lock.withLock { worlds[snapshot] } }

    func keep(_ world: World, for snapshot: Digest) {
        lock.withLock {
            if worlds.count >= InitialWorldCache.capacity { worlds.removeAll() }
            worlds[snapshot] = world
        }
    }
}
