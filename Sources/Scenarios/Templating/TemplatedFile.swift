/// Rendering of whole source files: `.eml` messages, `files:` entries and attachments with
/// `template: true`. An error names the rendered file itself and the line and column in it.
enum TemplatedFile {
    /// `bytes` rendered as UTF-8 text; bytes that are not UTF-8 (images, archives) are
    /// returned as they are, and so is everything when there is no render context.
    static func render(_ bytes: [UInt8], file: String, field: String, context: RenderContext?) throws(ScenarioError) -> [UInt8] {
        guard let context, bytes.contains(UInt8(ascii: "$")), let text = String(validating: bytes, as: UTF8.self) else {
            return bytes
        }
        do { return Array(try context.render(text).utf8) } catch {
            let (line, column) = Template.lineAndColumn(of: error.offset, in: text)
            throw ScenarioError(file: file, line: line, column: column, field: field, message: error.message)
        }
    }
}
