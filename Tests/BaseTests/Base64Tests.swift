import Testing
import TerrariumBase

@Suite("Base: base64")
struct Base64Tests {
    @Test(arguments: [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="),
                      ("foobar", "Zm9vYmFy")])
    func rfc4648Vectors(plain: String, encoded: String) {
        #expect(Base64.encode(Array(plain.utf8)) == encoded)
        #expect(Base64.decode(encoded) == Array(plain.utf8))
    }

    @Test func everyByteValueRoundTrips() {
        let bytes = (0...255).map(UInt8.init)
        let text = Base64.encode(bytes)
        #expect(text.hasPrefix("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0+P0BBQkNERUZH"))
        #expect(text.hasSuffix("/P3+/w=="))
        #expect(Base64.decode(text) == bytes)
        for n in 0..<8 {
            let slice = Array(bytes.prefix(n))
            #expect(Base64.decode(Base64.encode(slice)) == slice)
            #expect(Base64.encode(slice).count == (n + 2) / 3 * 4)
        }
    }

    @Test func whiteSpaceIsIgnored() {
        #expect(Base64.decode("Zm9v\nYmFy") == Array("foobar".utf8))
        #expect(Base64.decode(" Zm 9v\r\n\tYg== ") == Array("foob".utf8))
    }

    @Test(arguments: ["Zg", "Zm9", "Z", "Zg=", "Z===", "Zg==Zg==", "Zm9v!", "Zm-v", "Zm_v", "Zg=a", "====", "Zm9vY"])
    func invalidInputIsRefused(text: String) {
        #expect(Base64.decode(text) == nil)
    }
}
