import TerrariumBase

/// Bytes named by their SHA-256. File contents and mail attachments are Contents; the
/// digest is computed once, when the content comes into being.
public struct Content: Sendable, Hashable {
    public let bytes: [UInt8]
    public let digest: Digest
    /// Whether the bytes are valid UTF-8 (checked once, here).
    public let isText: Bool

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
        self.digest = Digest.sha256(bytes)
        self.isText = String(validating: bytes, as: UTF8.self) != nil
    }

    public init(text: String) { self.init(Array(text.utf8)) }

    /// For decoders that already verified the digest.
    init(bytes: [UInt8], digest: Digest) {
        self.bytes = bytes
        self.digest = digest
        self.isText = String(validating: bytes, as: UTF8.self) != nil
    }

    public static let empty = Content([])

    public var count: Int { bytes.count }

    /// The text, when the bytes are valid UTF-8.
    public var text: String? { isText ? String(decoding: bytes, as: UTF8.self) : nil }

    public static func == (a: Content, b: Content) -> Bool { a.digest == b.digest }
    public func hash(into hasher: inout Hasher) { hasher.combine(digest) }
}

/// How Contents are written into JSON and read back. The world's snapshot writes them
/// inline; the recorder moves large ones into `blobs/`.
public protocol ContentCodec {
    /// Encoding never fails: a codec that stores bytes elsewhere queues them and the
    /// caller flushes (and reports failures) afterwards.
    func encode(_ content: Content) -> JSON
    func decode(_ json: JSON) throws(WorldDecodingError) -> Content
}

/// Names content by digest and size only: what state hashes are computed over.
public struct DigestOnlyContentCodec: ContentCodec {
    public init() {}
    public func encode(_ content: Content) -> JSON {
        ["sha256": .string(content.digest.hex), "size": .int(Int64(content.count))]
    }
    public func decode(_ json: JSON) throws(WorldDecodingError) -> Content {
        throw WorldDecodingError("a digest-only content reference cannot be read back")
    }
}

/// Writes every content inline: UTF-8 text as `text`, anything else as `base64`.
public struct InlineContentCodec: ContentCodec {
    public init() {}

    public func encode(_ content: Content) -> JSON {
        var object: [String: JSON] = ["sha256": .string(content.digest.hex), "size": .int(Int64(content.count))]
        if let text = content.text {
            object["text"] = .string(text)
        } else {
            object["base64"] = .string(Base64.encode(content.bytes))
        }
        return .object(object)
    }

    public func decode(_ json: JSON) throws(WorldDecodingError) -> Content {
        let bytes: [UInt8]
        if let text = json["text"]?.stringValue {
            bytes = Array(text.utf8)
        } else if let b64 = json["base64"]?.stringValue, let decoded = Base64.decode(b64) {
            bytes = decoded
        } else {
            throw WorldDecodingError("content has neither text nor base64")
        }
        return try Content.verified(bytes, against: json)
    }
}

extension Content {
    /// Checks bytes against the `sha256` (and `size`) a JSON content reference claims.
    public static func verified(_ bytes: [UInt8], against json: JSON) throws(WorldDecodingError) -> Content {
        let content = Content(bytes)
        guard let claimed = json["sha256"]?.stringValue, let digest = Digest(hex: claimed) else {
            throw WorldDecodingError("content without a valid sha256")
        }
        guard digest == content.digest else {
            throw WorldDecodingError("content does not match its sha256 \(claimed)")
        }
        if let size = json["size"]?.intValue, size != Int64(bytes.count) {
            throw WorldDecodingError("content is \(bytes.count) bytes, its reference says \(size)")
        }
        return content
    }
}

/// A recorded world or effect could not be read back.
public struct WorldDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
