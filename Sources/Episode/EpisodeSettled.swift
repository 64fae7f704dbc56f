extension Episode {
    /// The last seq once the call in progress (if any) has finished: every event up to it
    /// is in the log on disk, whole. A reader of a live episode's log (grading over HTTP)
    /// reads up to this seq, never into a batch that is still being written.
    public func settledSeq() async -> Int {
        await acquireTurn()
        defer { releaseTurn() }
        return lastSeq
    }
}
