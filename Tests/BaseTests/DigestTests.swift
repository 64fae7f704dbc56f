import Testing
import TerrariumBase

@Suite("Base: digests")
struct DigestTests {
    @Test func sha256KnownVectors() {
        #expect(Digest.sha256("").hex == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(Digest.sha256("abc").hex == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Digest.sha256("abc") == Digest.sha256([0x61, 0x62, 0x63] as [UInt8]))
        #expect(Digest.sha256("abc") == Digest.sha256([0x61, 0x62, 0x63][...]))
        #expect(Digest.sha256("abc").tagged == "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Digest.sha256("abc").description == Digest.sha256("abc").hex)
        #expect(Digest.sha256("abc").bytes.count == 32)
        #expect(Digest.sha256("abc").bytes.prefix(4) == [0xBA, 0x78, 0x16, 0xBF])
    }

    @Test func hexParsing() {
        let d = Digest.sha256("abc")
        #expect(Digest(hex: d.hex) == d)
        #expect(Digest(hex: d.tagged) == d)
        #expect(Digest(hex: d.hex.uppercased()) == nil)
        #expect(Digest(hex: String(d.hex.dropLast())) == nil)
        #expect(Digest(hex: d.hex + "0") == nil)
        // A non-hex byte in any of the four words, with or without the tag.
        for k in [0, 17, 40, 63] {
            var bytes = Array(d.hex.utf8)
            bytes[k] = UInt8(ascii: "g")
            #expect(Digest(hex: String(decoding: bytes, as: UTF8.self)) == nil)
            #expect(Digest(hex: "sha256:" + String(decoding: bytes, as: UTF8.self)) == nil)
        }
        #expect(Digest(hex: "sha257:" + d.hex) == nil)
        #expect(Digest(hex: "g" + d.hex.dropFirst()) == nil)
        #expect(Digest(hex: "") == nil)
        #expect(Digest(hex: String(repeating: "0", count: 64)) == .zero)
        #expect(Digest.zero.hex == String(repeating: "0", count: 64))
    }

    @Test func ordering() {
        let a = Digest(words: (0, 0, 0, 1)), b = Digest(words: (0, 0, 1, 0)), c = Digest(words: (1, 0, 0, 0))
        #expect(a < b && b < c && Digest.zero < a)
        #expect([c, a, b].sorted() == [a, b, c])
    }

    @Test func setDigestIsOrderIndependentAndReversible() {
        let items = (0..<50).map { Digest.sha256("item \($0)") }
        var forward = SetDigest()
        for d in items { forward.insert(d) }
        var backward = SetDigest()
        for d in items.reversed() { backward.insert(d) }
        #expect(forward == backward)
        #expect(forward.count == 50)
        var removed = forward
        for d in items.shuffled() { removed.remove(d) }
        #expect(removed.sum == .zero)
        #expect(removed.count == 0)
        #expect(removed == SetDigest())
        var partial = forward
        partial.remove(items[7])
        var rebuilt = SetDigest()
        for (i, d) in items.enumerated() where i != 7 { rebuilt.insert(d) }
        #expect(partial == rebuilt)
    }

    @Test func setDigestCarriesAcrossWords() {
        var s = SetDigest()
        let max = Digest(words: (0, UInt64.max, UInt64.max, UInt64.max))
        s.insert(max)
        s.insert(Digest(words: (0, 0, 0, 1)))
        #expect(s.sum == Digest(words: (1, 0, 0, 0)))
        // Wraps modulo 2^256.
        var w = SetDigest()
        w.insert(Digest(words: (UInt64.max, UInt64.max, UInt64.max, UInt64.max)))
        w.insert(Digest(words: (0, 0, 0, 2)))
        #expect(w.sum == Digest(words: (0, 0, 0, 1)))
        w.remove(Digest(words: (0, 0, 0, 2)))
        #expect(w.sum == Digest(words: (UInt64.max, UInt64.max, UInt64.max, UInt64.max)))
        // A multiset: the same entry twice counts twice.
        var twice = SetDigest()
        twice.insert(Digest(words: (0, 0, 0, 5)))
        twice.insert(Digest(words: (0, 0, 0, 5)))
        #expect(twice.sum == Digest(words: (0, 0, 0, 10)))
        #expect(twice.count == 2)
    }

    @Test func digestInputEncoding() {
        var i = DigestInput()
        i.append(Int64(1))
        i.append("é")
        i.append(Digest(words: (1, 2, 3, 4)))
        i.append(Int64(-1))
        var expected: [UInt8] = [0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2, 0xC3, 0xA9]
        for w in [1, 2, 3, 4] as [UInt8] { expected += [0, 0, 0, 0, 0, 0, 0, w] }
        expected += Array(repeating: 0xFF, count: 8)
        #expect(i.bytes == expected)
        // Length prefixes keep field boundaries unambiguous.
        var ab = DigestInput(); ab.append("ab"); ab.append("c")
        var a = DigestInput(); a.append("a"); a.append("bc")
        #expect(ab.bytes != a.bytes)
    }
}
