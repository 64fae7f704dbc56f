/// Names for episodes and their folders.
public enum EpisodeNaming {
    /// 128 random bits in hex: unguessable.
    public static func newID() -> String { Episode.newID() }

    /// `<scenario>-seed<N>-<first 8 of id>`: sortable by scenario, unique by id.
    public static func folderName(scenario: String, seed: UInt64, id: String) -> String {
        "\(scenario)-seed\(seed)-\(id.prefix(8))"
    }
}
