import Foundation
import Testing
import TerrariumScenarios

/// Errors in mail, attachments, .eml files, home files and tools, located precisely.
@Suite struct ScenarioSourceErrorTests {
    func load(replacing old: String, with new: String, eml: String = vendorEML,
              sourceLocation: SourceLocation = #_sourceLocation) throws -> (ScenarioFolder, String, ScenarioError?) {
        let yaml = replacing(old, with: new, in: baseYAML, sourceLocation: sourceLocation)
        let folder = try makeScenario(yaml, eml: eml)
        return (folder, yaml, folder.loadError(sourceLocation: sourceLocation))
    }

    // MARK: mail

    @Test func aMalformedAddressInToIsNamed() throws {
        let (folder, yaml, error) = try load(replacing: "to: [atlas@tiny.test]", with: "to: [atlas@tiny.test, atlas-at-tiny.test]")
        defer { folder.delete() }
        expectError(error, file: folder.yaml, line: line(of: "atlas-at-tiny.test", in: yaml), field: "mail[0].to",
                    words: ["expected an e-mail address, found \"atlas-at-tiny.test\""])
    }

    @Test func anInternalAddressNobodyHasIsNamed() throws {
        let (folder, yaml, error) = try load(replacing: "cc: [sam@tiny.test]", with: "cc: [sma@tiny.test]")
        defer { folder.delete() }
        #expect(error?.file == folder.yaml)
        #expect(error?.field.hasPrefix("mail[0]") == true, "\(String(describing: error))")
        #expect(error?.line == line(of: "- id: hello", in: yaml) || error?.line == line(of: "sma@tiny.test", in: yaml))
        #expect(error?.message.contains("sma@tiny.test is not an internal person") == true)
    }

    @Test func inReplyToMustNameAMessageOfTheScenario() throws {
        let (folder, yaml, error) = try load(replacing: "in_reply_to: hello", with: "in_reply_to: nope")
        defer { folder.delete() }
        expectError(error, file: folder.yaml, line: line(of: "in_reply_to: nope", in: yaml), field: "mail[1].in_reply_to",
                    words: ["no message with id \"nope\""])
    }

    @Test func aMessageIDUsedTwiceIsNamedAtTheSecondUse() throws {
        let (folder, yaml, error) = try load(replacing: "  - id: reply", with: "  - id: \"hello\"")
        defer { folder.delete() }
        expectError(error, file: folder.yaml, line: line(of: "id: \"hello\"", in: yaml), field: "mail[1].id",
                    words: ["message id \"hello\" is used twice"])
    }

    @Test func anIDTakenFromAnEMLCountsAsUsed() throws {
        let (folder, yaml, error) = try load(replacing: "    id: vendor-note\n", with: "", eml: vendorEML
            .replacingOccurrences(of: "<inv-1@vendor.example>", with: "<hello>"))
        defer { folder.delete() }
        expectError(error, file: folder.yaml, line: line(of: "- eml: mail/vendor.eml", in: yaml), field: "mail[2]",
                    words: ["\"hello\" is used twice"])
    }

    @Test func aMessageDatedAfterTheClockStartIsRefused() throws {
        let (folder, yaml, error) = try load(replacing: "date: \"2026-03-13T16:05:00-05:00\"", with: "date: \"2026-03-16T08:31:00-05:00\"")
        defer { folder.delete() }
        expectError(error, file: folder.yaml, line: line(of: "2026-03-16T08:31:00-05:00", in: yaml), field: "mail[0].date",
                    words: ["2026-03-16T08:31:00-05:00 is after the clock start 2026-03-16T08:30:00-05:00", "future"])
    }

    @Test func anEMLDatedAfterTheClockStartIsRefused() throws {
        let (folder, yaml, error) = try load(replacing: "", with: "",
                                             eml: vendorEML.replacingOccurrences(of: "Thu, 12 Mar 2026", with: "Tue, 17 Mar 2026"))
        defer { folder.delete() }
        expectError(error, file: folder.yaml, line: line(of: "- eml: mail/vendor.eml", in: yaml), field: "mail[2].eml",
                    words: ["is after the clock start"])
    }

    @Test func aMissingAttachmentFileIsNamed() throws {
        let (folder, yaml, error) = try load(replacing: "file: attachments/price.csv", with: "file: attachments/prices.csv")
        defer { folder.delete() }
        expectError(error, file: folder.yaml, line: line(of: "file: attachments/prices.csv", in: yaml),
                    field: "mail[3].attachments[0].file", words: ["no file \"attachments/prices.csv\"", folder.path])
    }

    @Test(arguments: ["../outside.csv", "/etc/hostname", "attachments/../../x.csv"])
    func anAttachmentOutsideTheScenarioFolderIsRefused(path: String) throws {
        let (folder, yaml, error) = try load(replacing: "file: attachments/price.csv", with: "file: \"\(path)\"")
        defer { folder.delete() }
        expectError(error, file: folder.yaml, line: line(of: "file: \"", in: yaml), field: "mail[3].attachments[0].file",
                    words: ["must be a path inside the scenario folder"])
    }

    @Test func anEMLThatFailsToParseIsReportedInsideTheEMLFile() throws {
        let eml = vendorEML.replacingOccurrences(of: "Date: Thu, 12 Mar 2026 09:15:00 -0500", with: "Date: the twelfth of March")
        let (folder, _, error) = try load(replacing: "", with: "", eml: eml)
        defer { folder.delete() }
        expectError(error, file: folder.path + "/mail/vendor.eml", line: 4, field: "Date",
                    words: ["cannot read date", "the twelfth of March"])
    }

    @Test func anEMLWithABadFromIsReportedAtItsLine() throws {
        let eml = "Subject: x\r\nFrom: Billing <billing@>\r\nTo: atlas@tiny.test\r\nDate: Thu, 12 Mar 2026 09:15:00 -0500\r\n\r\nBody\r\n"
        let (folder, _, error) = try load(replacing: "", with: "", eml: eml)
        defer { folder.delete() }
        expectError(error, file: folder.path + "/mail/vendor.eml", line: 2, field: "From", words: ["cannot read"])
    }

    @Test func aMissingEMLFileIsNamed() throws {
        let (folder, yaml, error) = try load(replacing: "eml: mail/vendor.eml", with: "eml: mail/vendors.eml")
        defer { folder.delete() }
        expectError(error, file: folder.yaml, line: line(of: "eml: mail/vendors.eml", in: yaml), field: "mail[2].eml",
                    words: ["no file \"mail/vendors.eml\""])
    }

    @Test func headersOfAnEMLCannotBeRepeatedInTheYAML() throws {
        let (folder, yaml, error) = try load(replacing: "    id: vendor-note\n", with: "    id: vendor-note\n    subject: Other\n")
        defer { folder.delete() }
        expectError(error, file: folder.yaml, line: line(of: "subject: Other", in: yaml), field: "mail[2].subject",
                    words: ["comes from the .eml file's headers"])
    }

    // MARK: files

    @Test func aMissingFromFolderIsNamed() throws {
        let (folder, yaml, error) = try load(replacing: "  - from: files", with: "  - from: files2")
        defer { folder.delete() }
        expectError(error, file: folder.yaml, line: line(of: "- from: files2", in: yaml), field: "files[0].from",
                    words: ["no folder \"files2\""])
    }

    @Test(arguments: ["../x", "notes/../../x", "/home/other/x"])
    func aFilePathEscapingTheHomeIsRefused(path: String) throws {
        let (folder, yaml, error) = try load(replacing: "  - path: notes/todo.md", with: "  - path: \"\(path)\"")
        defer { folder.delete() }
        expectError(error, file: folder.yaml, line: line(of: "- path: \"", in: yaml), field: "files[1].path",
                    words: ["outside your home directory"])
    }

    @Test func aFileGivenTwiceIsRefused() throws {
        let (folder, yaml, error) = try load(replacing: "  - path: notes/todo.md", with: "  - path: docs/readme.md")
        defer { folder.delete() }
        expectError(error, file: folder.yaml, line: line(of: "- path: docs/readme.md", in: yaml), field: "files[1].path",
                    words: ["is given twice"])
    }

    @Test func aSymbolicLinkInFilesIsRefused() throws {
        let folder = try makeScenario(); defer { folder.delete() }
        try FileManager.default.createSymbolicLink(atPath: folder.path + "/files/docs/link.md", withDestinationPath: "/etc/hostname")
        expectError(folder.loadError(), file: folder.yaml, line: line(of: "- from: files", in: baseYAML), field: "files[0].from",
                    words: ["not a regular file or folder"])
    }

    // MARK: tools

    @Test func disabledToolsMustBeKnown() throws {
        let (folder, yaml, error) = try load(replacing: "files:\n", with: "tools:\n  disabled: [delete_email, fly]\nfiles:\n")
        defer { folder.delete() }
        expectError(error, file: folder.yaml, line: line(of: "disabled: [delete_email, fly]", in: yaml), field: "tools.disabled[1]",
                    words: ["unknown tool \"fly\"", "list_emails"])
        #expect(error?.column == 28, "the column of fly")
    }
}
