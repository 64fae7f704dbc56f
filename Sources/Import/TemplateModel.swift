/// Text in OUR template syntax (docs/design/scenario-extensions.md §2): literal pieces and
/// `${name}` references to variables or blocks. The importer builds every templated field
/// as one of these, renders it itself (to check it against their generator) and writes it
/// into scenario.yaml with `source`.
public struct OurTemplate: Sendable, Hashable {
    public enum Piece: Sendable, Hashable {
        case text(String)
        case ref(String)
    }

    public var pieces: [Piece]

    public init(_ pieces: [Piece]) {
        var merged: [Piece] = []
        for p in pieces {
            if case .text(let t) = p {
                if t.isEmpty { continue }
                if case .text(let prev)? = merged.last { merged[merged.count - 1] = .text(prev + t); continue }
            }
            merged.append(p)
        }
        self.pieces = merged
    }

    public static func literal(_ s: String) -> OurTemplate { OurTemplate([.text(s)]) }

    public var isLiteral: Bool { pieces.allSatisfy { if case .text = $0 { true } else { false } } }

    /// The text as written in scenario.yaml: `${` in literal text becomes `$${`. A literal `$`
    /// right before a reference cannot be written in our syntax (`$${x}` reads as a literal
    /// `${x}`), so it is refused rather than written wrong.
    public func source() throws(ImportError) -> String {
        var out = ""
        for (i, p) in pieces.enumerated() {
            switch p {
            case .text(let t):
                if t.hasSuffix("$"), i + 1 < pieces.count {
                    throw ImportError(file: "", "the text \"…\(t.suffix(30))\" ends in $ right before a placeholder; our template syntax cannot write that")
                }
                out += t.replacingAll("${", with: "$${")
            case .ref(let name):
                out += "${" + name + "}"
            }
        }
        return out
    }

    public var references: [String] { pieces.compactMap { if case .ref(let n) = $0 { n } else { nil } } }
}

extension String {
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard contains(target) else { return self }
        var out = ""
        var rest = Substring(self)
        while let r = rest.range(of: target) {
            out += rest[..<r.lowerBound]
            out += replacement
            rest = rest[r.upperBound...]
        }
        return out + rest
    }
}

/// A block (§2): text chosen by the value of one variable, with an optional default.
public struct Block: Sendable, Equatable {
    public var by: String
    public var cases: [(value: String, text: OurTemplate)]
    public var defaultText: OurTemplate?

    public static func == (a: Block, b: Block) -> Bool {
        a.by == b.by && a.defaultText == b.defaultText && a.cases.map(\.value) == b.cases.map(\.value)
            && a.cases.map(\.text) == b.cases.map(\.text)
    }

    public func text(for value: String) -> OurTemplate? {
        cases.first { $0.value == value }?.text ?? defaultText
    }
}

/// Renders our templates the way the loader does: variables by value, blocks by the case
/// their `by` variable selects, block texts rendered in turn.
public struct OurRenderer: Sendable {
    public var values: [String: String]
    public var blocks: [String: Block]

    public init(values: [String: String], blocks: [String: Block]) {
        self.values = values
        self.blocks = blocks
    }

    public func render(_ t: OurTemplate, depth: Int = 0) -> String? {
        guard depth < 32 else { return nil }
        var out = ""
        for p in t.pieces {
            switch p {
            case .text(let s): out += s
            case .ref(let name):
                if let v = values[name] {
                    out += v
                } else if let block = blocks[name], let selector = values[block.by], let text = block.text(for: selector),
                          let r = render(text, depth: depth + 1) {
                    out += r
                } else {
                    return nil
                }
            }
        }
        return out
    }
}
