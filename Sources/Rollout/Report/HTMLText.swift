/// Escaping for text placed in HTML element content and in double-quoted attributes.
/// Everything from an episode (mail bodies, command output, model text) is outside
/// input: a `<script>` in a mail must show as text, never run in the reader's browser.
public enum HTMLText {
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
