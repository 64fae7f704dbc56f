import TerrariumBase
import TerrariumWorld

/// Decoded initial worlds by the digest of their snapshot blob. Every episode of a
/// scenario condition starts from the same snapshot, so a runner or host grading thousands
/// of them decodes it once; a few dozen scenario conditions are live at a time.
enum InitialWorldCache {
    static let shared = ProcessCache<Digest, World>(capacity: 64)
}
