import TerrariumBase
import TerrariumWorld

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `blobs/`: contents named by their SHA-256 (`blobs/<hex>`). A blob is written under a
/// temporary name and renamed, so a present blob is always whole; on read its digest is
/// checked, so a damaged blob is reported, not used.
public struct BlobStore: Sendable {
    public let directory: String

    public init(directory: String) { self.directory = directory }

    public func path(_ digest: Digest) -> String { directory + "/" + digest.hex }

    public func contains(_ digest: Digest) -> Bool { FileIO.exists(path(digest)) }

    public func write(_ bytes: [UInt8], digest: Digest, sync: Bool) throws(RecordingError) {
        let target = path(digest)
        if FileIO.exists(target) { return }
        try FileIO.atomicWrite(target, bytes, sync: sync)
    }

    public func write(_ content: Content, sync: Bool) throws(RecordingError) {
        try write(content.bytes, digest: content.digest, sync: sync)
    }

    public func read(_ digest: Digest) throws(RecordingError) -> [UInt8] {
        let bytes: [UInt8]
        do { bytes = try FileIO.readAll(path(digest)) } catch {
            throw .badBlob("blob \(digest.hex) is missing or unreadable: \(error)")
        }
        guard Digest.sha256(bytes) == digest else { throw .badBlob("blob \(digest.hex) does not match its name") }
        return bytes
    }
}

/// How the recorder writes contents into events: small UTF-8 text inline (readable with
/// `grep`), everything else as a reference to `blobs/`. Encoding queues the blob; the
/// recorder writes queued blobs before the event line that names them.
public final class RecordingContentCodec: ContentCodec {
    public static let inlineLimit = 4096
    let store: BlobStore
    private(set) var pending: [Content] = []

    public init(store: BlobStore) { self.store = store }

    public func encode(_ content: Content) -> JSON {
        if content.count <= RecordingContentCodec.inlineLimit, let text = content.text {
            return ["sha256": .string(content.digest.hex), "size": .int(Int64(content.count)), "text": .string(text)]
        }
        pending.append(content)
        return ["sha256": .string(content.digest.hex), "size": .int(Int64(content.count)), "blob": true]
    }

    public func decode(_ json: JSON) throws(WorldDecodingError) -> Content {
        if json["blob"]?.boolValue == true {
            guard let hex = json["sha256"]?.stringValue, let digest = Digest(hex: hex) else {
                throw WorldDecodingError("blob reference without a valid sha256")
            }
            do { return try Content.verified(try store.read(digest), against: json) } catch let e as RecordingError {
                throw WorldDecodingError(e.description)
            } catch { throw WorldDecodingError("\(error)") }
        }
        return try InlineContentCodec().decode(json)
    }

    func flush(sync: Bool) throws(RecordingError) {
        let queued = pending
        pending.removeAll(keepingCapacity: true)
        for content in queued { try store.write(content, sync: sync) }
    }
}
