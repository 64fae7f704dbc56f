import Testing
@testable import TerrariumScenarios

/// The message's bytes, with every "\n" written as CRLF unless `crlf` is false.
private func emlBytes(_ text: String, crlf: Bool = true) -> [UInt8] {
    var bytes: [UInt8] = []
    for byte in text.utf8 {
        if crlf && byte == 0x0A { bytes.append(0x0D) }
        bytes.append(byte)
    }
    return bytes
}

private func parse(_ text: String, crlf: Bool = true) throws -> EMLMessage {
    try EMLParser.parse(emlBytes(text, crlf: crlf))
}

private func parseError(_ text: String, crlf: Bool = true) -> EMLError? {
    do {
        _ = try EMLParser.parse(emlBytes(text, crlf: crlf))
        return nil
    } catch {
        return error
    }
}

@Test func simpleCRLFMessageHasEveryField() throws {
    let message = try parse("""
        Return-Path: <jamie@x.com>
        Message-ID: <20260312.0915@mail.x.com>
        Date: Thu, 12 Mar 2026 09:15:00 -0500
        From: Jamie Roe <Jamie.Roe@X.com>
        To: Alex Kim <alex@corp.example>
        Cc: ops@corp.example
        Bcc: audit@corp.example
        Subject: Q2 budget
        In-Reply-To: <prev-1@corp.example>
        References: <root@corp.example>
         <prev-1@corp.example>
        MIME-Version: 1.0
        Content-Type: text/plain; charset=us-ascii

        Hi Alex,

        Numbers attached.
        -- Jamie

        """)
    #expect(message == EMLMessage(
        messageID: "20260312.0915@mail.x.com",
        from: EMLAddress(name: "Jamie Roe", address: "Jamie.Roe@X.com"),
        to: [EMLAddress(name: "Alex Kim", address: "alex@corp.example")],
        cc: [EMLAddress(address: "ops@corp.example")],
        bcc: [EMLAddress(address: "audit@corp.example")],
        subject: "Q2 budget",
        date: EMLDate(epochSeconds: 1_773_324_900, utcOffsetMinutes: -300),
        inReplyTo: "prev-1@corp.example",
        references: ["root@corp.example", "prev-1@corp.example"],
        body: "Hi Alex,\n\nNumbers attached.\n-- Jamie\n",
        attachments: []))
}

@Test func lfLineEndingsFoldedAndCaseInsensitiveHeaders() throws {
    let message = try parse("""
        FROM: jamie@x.com
        subject: A subject that was
         folded over
        \tthree lines
        tO: a@x.com,
          "Roe, Jamie" <jamie@x.com>
        content-TYPE: TEXT/PLAIN; CHARSET="UTF-8"

        line one
        line two
        """, crlf: false)
    #expect(message.from == EMLAddress(address: "jamie@x.com"))
    #expect(message.subject == "A subject that was folded over\tthree lines")
    #expect(message.to == [EMLAddress(address: "a@x.com"), EMLAddress(name: "Roe, Jamie", address: "jamie@x.com")])
    #expect(message.body == "line one\nline two")
    #expect(message.date == nil)
    #expect(message.messageID == nil)
}

@Test func addressListForms() throws {
    let message = try parse("""
        From: "Roe, Jamie" <jamie@x.com>
        To: undisclosed-recipients:;
        Cc: "Roe, Jamie" <jamie@x.com>, bare@x.com, Team: a@x.com, "B. Smith" <b@x.com>;,
         pat@x.com (Pat Lee), John Q. Public <john.public@x.com>, <@relay.x.com:route@x.com>,
         "quoted local"@x.com, Kim (work) <kim@[192.0.2.1]>
        Bcc: Ana <ana @ x.com> (comment), ,

        body
        """)
    #expect(message.from == EMLAddress(name: "Roe, Jamie", address: "jamie@x.com"))
    #expect(message.to == [])
    #expect(message.cc == [
        EMLAddress(name: "Roe, Jamie", address: "jamie@x.com"),
        EMLAddress(address: "bare@x.com"),
        EMLAddress(address: "a@x.com"),
        EMLAddress(name: "B. Smith", address: "b@x.com"),
        EMLAddress(name: "Pat Lee", address: "pat@x.com"),
        EMLAddress(name: "John Q. Public", address: "john.public@x.com"),
        EMLAddress(address: "route@x.com"),
        EMLAddress(address: "\"quoted local\"@x.com"),
        EMLAddress(name: "Kim", address: "kim@[192.0.2.1]"),
    ])
    #expect(message.bcc == [EMLAddress(name: "Ana", address: "ana@x.com")])
}

@Test func semicolonSeparatedAddressesAreTolerated() throws {
    let message = try parse("From: a@x.com\nTo: b@x.com; Cee <c@x.com>;\n\nx\n")
    #expect(message.to == [EMLAddress(address: "b@x.com"), EMLAddress(name: "Cee", address: "c@x.com")])
}

@Test func encodedWordsInSubject() throws {
    let subject = { (raw: String) throws -> String in
        try parse("From: a@x.com\nSubject: \(raw)\n\nx\n").subject
    }
    #expect(try subject("=?UTF-8?B?w5xiZXJ3ZWlzdW5nIGbDvHIgTcOkcno=?=") == "Überweisung für März")
    #expect(try subject("=?utf-8?q?Caf=C3=A9_au_lait?=") == "Café au lait")
    #expect(try subject("=?ISO-8859-1?Q?Gr=FC=DFe?= aus =?iso-8859-1?q?K=F6ln?=") == "Grüße aus Köln")
    #expect(try subject("=?windows-1252?Q?=93Quoted=94_=80100?=") == "“Quoted” €100")
    // Adjacent encoded words are joined without the whitespace (even a fold) between them.
    #expect(try subject("=?utf-8?q?Hello_?= =?utf-8?b?V29ybGQ=?=") == "Hello World")
    #expect(try subject("=?utf-8?q?a?=\n =?utf-8?q?b?=") == "ab")
    // A character split across two words survives.
    #expect(try subject("=?utf-8?q?Caf=C3?= =?utf-8?q?=A9?=") == "Café")
    // Plain text next to an encoded word keeps its space; malformed words stay literal.
    #expect(try subject("Re: =?utf-8?q?R=C3=A9sum=C3=A9?= draft") == "Re: Résumé draft")
    #expect(try subject("=?utf-8?x?abc?= 50% off") == "=?utf-8?x?abc?= 50% off")
}

@Test func encodedWordsInDisplayNames() throws {
    let message = try parse("""
        From: =?utf-8?q?J=C3=BCrgen?= =?utf-8?q?_M=C3=BCller?= <jm@x.de>
        To: "=?iso-8859-1?q?Ren=E9e?= Dupont" <renee@x.fr>, =?utf-8?B?5bGx55Sw?= <yamada@x.jp>

        x
        """)
    #expect(message.from == EMLAddress(name: "Jürgen Müller", address: "jm@x.de"))
    #expect(message.to == [EMLAddress(name: "Renée Dupont", address: "renee@x.fr"),
                           EMLAddress(name: "山田", address: "yamada@x.jp")])
}

@Test(arguments: [
    ("Thu, 12 Mar 2026 09:15:00 -0500", 1_773_324_900, -300),
    ("12 Mar 2026 09:15 +0130", 1_773_301_500, 90),
    ("Thu, 12 Mar 26 09:15:00 GMT", 1_773_306_900, 0),
    ("Fri, 1 Jan 99 23:59:59 EST", 915_253_199, -300),
    ("12 Mar 126 09:15:00 +0000", 1_773_306_900, 0),
    ("Sun, 29 Feb 2004 12:00:00 PDT", 1_078_081_200, -420),
    ("Mon, 5 Jan 2026 00:00:00 Z", 1_767_571_200, 0),
    ("Tue, 31 Dec 1996 22:00:00 MDT", 852_091_200, -360),
    ("Wed, 4 Mar 2026 08:00:00 CST", 1_772_632_800, -360),
    ("Wed, 4 Mar 2026 08:00:00 CDT", 1_772_629_200, -300),
    ("Wed, 4 Mar 2026 08:00:00 MST", 1_772_636_400, -420),
    ("Wed, 4 Mar 2026 08:00:00 UT", 1_772_611_200, 0),
    ("Wed, 4 Mar 2026 08:00:00 EDT", 1_772_625_600, -240),
    ("Wed, 4 Mar 2026 08:00:00 PST", 1_772_640_000, -480),
    ("Thu,12 Mar 2026 09:15:00 +0000 (UTC)", 1_773_306_900, 0),
    ("1 Jan 1970 00:00:00 -0000", 0, 0),
])
func rfc5322Dates(text: String, epoch: Int64, offset: Int) throws {
    let message = try parse("From: a@x.com\nDate: \(text)\n\nx\n")
    #expect(message.date == EMLDate(epochSeconds: epoch, utcOffsetMinutes: offset))
}

@Test func unparseableDateIsAnError() {
    for bad in ["yesterday", "Thu, 31 Feb 2026 09:15:00 -0500", "Thu, 12 Mar 2026 25:00:00 -0500",
                "Thu, 12 Mar 2026 09:15:00", "Thu, 12 Foo 2026 09:15:00 -0500", "2026-03-12T09:15:00Z"] {
        let error = parseError("From: a@x.com\nSubject: s\nDate: \(bad)\n\nx\n")
        #expect(error?.field == "Date", "\(bad)")
        #expect(error?.line == 3, "\(bad)")
    }
}

@Test func quotedPrintableUTF8Body() throws {
    let message = try parse("""
        From: a@x.com
        Content-Type: text/plain; charset=utf-8
        Content-Transfer-Encoding: quoted-printable

        Caf=C3=A9 prices rose by 5=25 this quarter, which is a long line that was =
        soft-wrapped.   \nTrailing spaces above are dropped; =3D stays an equals sign.
        A bad escape =ZZ is kept.
        """)
    #expect(message.body == """
        Café prices rose by 5% this quarter, which is a long line that was soft-wrapped.
        Trailing spaces above are dropped; = stays an equals sign.
        A bad escape =ZZ is kept.
        """)
}

@Test func base64Latin1AndWindows1252Bodies() throws {
    let latin1 = try parse("""
        From: a@x.com
        Content-Type: text/plain; charset="ISO-8859-1"
        Content-Transfer-Encoding: base64

        R3L832UgYXVzIEv2
        bG4K
        """)
    #expect(latin1.body == "Grüße aus Köln\n")

    var raw = emlBytes("From: a@x.com\nContent-Type: text/plain; charset=windows-1252\n" +
                       "Content-Transfer-Encoding: 8bit\n\n")
    raw += [0x93, 0x48, 0x69, 0x94, 0x20, 0x96, 0x20, 0x80, 0x35, 0x0D, 0x0A, 0x0D, 0x0A]
    #expect(try EMLParser.parse(raw).body == "“Hi” – €5\n\n")
}

@Test func unknownCharsetFallsBackToLossyUTF8() throws {
    var raw = emlBytes("From: a@x.com\nContent-Type: text/plain; charset=x-made-up\n\n")
    raw += Array("naïve ".utf8) + [0xFF] + Array("\n".utf8)
    #expect(try EMLParser.parse(raw).body == "naïve \u{FFFD}\n")
}

@Test func multipartMixedWithBase64Attachment() throws {
    let message = try parse("""
        From: a@x.com
        Subject: Report
        MIME-Version: 1.0
        Content-Type: multipart/mixed; boundary="==b1=="

        This is a multi-part message in MIME format.
        --==b1==
        Content-Type: text/plain; charset=utf-8

        See attached.
        --==b1==
        Content-Type: text/csv; name="q2.csv"
        Content-Disposition: attachment; filename="q2-budget.csv"
        Content-Transfer-Encoding: base64

        aWQsYW1vdW50DQoxLDI1MC4wMA0KMiw5OS45NQ0K
        --==b1==
        Content-Type: application/octet-stream
        Content-Disposition: attachment; filename=blob.bin
        Content-Transfer-Encoding: base64

        AP8QgEE=
        --==b1==--
        epilogue
        """)
    #expect(message.body == "See attached.")
    #expect(message.attachments == [
        EMLAttachment(filename: "q2-budget.csv", contentType: "text/csv",
                      bytes: Array("id,amount\r\n1,250.00\r\n2,99.95\r\n".utf8)),
        EMLAttachment(filename: "blob.bin", contentType: "application/octet-stream", bytes: [0x00, 0xFF, 0x10, 0x80, 0x41]),
    ])
}

@Test func alternativePrefersPlainTextEvenWhenHTMLComesFirst() throws {
    let message = try parse("""
        From: a@x.com
        Content-Type: multipart/alternative; boundary=alt

        --alt
        Content-Type: text/html; charset=utf-8

        <p>HTML version</p>
        --alt
        Content-Type: text/plain; charset=utf-8

        Plain version
        --alt--
        """, crlf: false)
    #expect(message.body == "Plain version")
    #expect(message.attachments == [])
}

@Test func htmlOnlyBodyBecomesCrudeText() throws {
    let message = try parse("""
        From: a@x.com
        Content-Type: multipart/alternative; boundary=alt

        --alt
        Content-Type: text/html; charset=utf-8
        Content-Transfer-Encoding: quoted-printable

        <html><head><title>T</title><style>p {color: red}</style></head>
        <body><p>Hi&nbsp;Alex,</p><p>Prices:   <b>5 &lt; 7</b> &amp; rising<br>
        Caf=C3=A9 &#8364;3 &#x2014; &quot;cheap&quot;</p><!-- hidden -->
        <ul><li>one</li><li>two</li></ul>
        </body></html>
        --alt--
        """)
    #expect(message.body == "Hi Alex,\n\nPrices: 5 < 7 & rising\nCafé €3 — \"cheap\"\n\n- one\n- two")
}

@Test func nestedMultipartWithRFC2231AndEncodedFilenames() throws {
    let message = try parse("""
        From: a@x.com
        Content-Type: multipart/mixed; boundary="outer"

        --outer
        Content-Type: multipart/alternative; boundary="inner"

        --inner
        Content-Type: text/plain; charset=utf-8
        Content-Transfer-Encoding: base64

        Q2Fmw6k=
        --inner
        Content-Type: text/html; charset=utf-8

        <p>Caf&eacute;</p>
        --inner--
        --outer
        Content-Type: application/pdf
        Content-Disposition: attachment;
         filename*=utf-8''%C3%9Cbersicht%20M%C3%A4rz.pdf
        Content-Transfer-Encoding: base64

        JVBERi0=
        --outer
        Content-Type: text/plain; name="=?utf-8?q?Notizen_f=C3=BCr_Jamie.txt?="
        Content-Disposition: inline

        note
        --outer
        Content-Type: application/octet-stream
        Content-Disposition: attachment; filename*0*=utf-8''long%20;
         filename*1="name.dat"

        xyz
        --outer--
        """)
    #expect(message.body == "Café")
    #expect(message.attachments == [
        EMLAttachment(filename: "Übersicht März.pdf", contentType: "application/pdf", bytes: Array("%PDF-".utf8)),
        EMLAttachment(filename: "Notizen für Jamie.txt", contentType: "text/plain", bytes: Array("note".utf8)),
        EMLAttachment(filename: "long name.dat", contentType: "application/octet-stream", bytes: Array("xyz".utf8)),
    ])
}

@Test func forwardedMessageIsAnAttachment() throws {
    let message = try parse("""
        From: a@x.com
        Content-Type: multipart/mixed; boundary=fwd

        --fwd
        Content-Type: text/plain

        FYI, see below.
        --fwd
        Content-Type: message/rfc822

        From: b@y.com
        Subject: original

        Original body
        --fwd--
        """, crlf: false)
    #expect(message.body == "FYI, see below.")
    #expect(message.attachments == [
        EMLAttachment(filename: "forwarded.eml", contentType: "message/rfc822",
                      bytes: Array("From: b@y.com\nSubject: original\n\nOriginal body".utf8)),
    ])
}

@Test func headersOnlyMboxLineAndByteOrderMark() throws {
    let headersOnly = try parse("From: a@x.com\nSubject: just headers", crlf: false)
    #expect(headersOnly.subject == "just headers")
    #expect(headersOnly.body == "")

    let mbox = [0xEF, 0xBB, 0xBF] + emlBytes("From - Thu Mar 12 09:15:00 2026\nFrom: a@x.com\n\nhi\n")
    #expect(try EMLParser.parse(mbox).body == "hi\n")
}

@Test func messageIdentifiers() throws {
    let message = try parse("""
        From: a@x.com
        Message-ID:
         <CAF=abc+123@mail.gmail.com>
        In-Reply-To: <parent@x.com> (Jamie's message of Thu)
        References: <a@x.com> <b@x.com>
        \t<parent@x.com>

        x
        """)
    #expect(message.messageID == "CAF=abc+123@mail.gmail.com")
    #expect(message.inReplyTo == "parent@x.com")
    #expect(message.references == ["a@x.com", "b@x.com", "parent@x.com"])
}

@Test func missingOrUnreadableFromIsAnError() {
    #expect(parseError("To: a@x.com\nSubject: s\n\nbody\n") == EMLError(
        line: 1, field: "From", message: "missing From header"))
    let noDomain = parseError("Subject: s\nFrom: Jamie Roe\n\nbody\n")
    #expect(noDomain?.field == "From")
    #expect(noDomain?.line == 2)
    let group = parseError("Subject: s\nX-A: 1\nFrom: undisclosed-recipients:;\n\nbody\n")
    #expect(group?.field == "From")
    #expect(group?.line == 3)
    let unterminated = parseError("From: \"Jamie <jamie@x.com>\n\nbody\n")
    #expect(unterminated?.field == "From")
    #expect(unterminated?.line == 1)
}

@Test func malformedHeaderLineIsAnError() {
    let error = parseError("From: a@x.com\nSubject: s\nthis line has no colon\n\nbody\n")
    #expect(error?.field == "header")
    #expect(error?.line == 3)
    let leadingContinuation = parseError(" folded: first\nFrom: a@x.com\n\nbody\n")
    #expect(leadingContinuation?.field == "header")
    #expect(leadingContinuation?.line == 1)
    // Inside a part too, with the line counted from the top of the file.
    let inPart = parseError("From: a@x.com\nContent-Type: multipart/mixed; boundary=b\n\n--b\nnot a header\n\nx\n--b--\n")
    #expect(inPart?.field == "header")
    #expect(inPart?.line == 5)
}

@Test func multipartErrors() {
    let noBoundary = parseError("From: a@x.com\nSubject: s\nContent-Type: multipart/mixed\n\n--b\n\nx\n--b--\n")
    #expect(noBoundary?.field == "Content-Type")
    #expect(noBoundary?.line == 3)

    let unclosed = parseError("From: a@x.com\nContent-Type: multipart/mixed; boundary=b\n\n--b\n\nx\n--b\n\ny\n")
    #expect(unclosed?.field == "body")
    #expect(unclosed?.line == 9)

    // The inner multipart ends where the outer part ends.
    let innerUnclosed = parseError("""
        From: a@x.com
        Content-Type: multipart/mixed; boundary=outer

        --outer
        Content-Type: multipart/alternative; boundary=inner

        --inner

        text
        --outer--
        """)
    #expect(innerUnclosed?.field == "body")
    #expect(innerUnclosed?.line == 9)
}

@Test func invalidBase64IsAnError() {
    let error = parseError("""
        From: a@x.com
        Content-Type: multipart/mixed; boundary=b

        --b
        Content-Type: application/octet-stream
        Content-Disposition: attachment; filename=a.bin
        Content-Transfer-Encoding: base64

        AP8QgEE=
        --b
        Content-Type: application/octet-stream
        Content-Transfer-Encoding: BASE64

        QUJD
        QU*D
        --b--
        """)
    #expect(error?.field == "Content-Transfer-Encoding")
    #expect(error?.line == 15)
    let truncated = parseError("From: a@x.com\nContent-Transfer-Encoding: base64\n\nQUJDR\n")
    #expect(truncated?.field == "Content-Transfer-Encoding")
    #expect(truncated?.line == 4)
}

@Test func nonUTF8HeaderBytesAndNamelessParts() throws {
    var raw = Array("From: ".utf8) + [0x52, 0xE9, 0x6D, 0x69] + Array(" <remi@x.fr>\r\n".utf8)
    raw += emlBytes("""
        Content-Type: multipart/related; boundary=r

        --r
        Content-Type: text/plain

        see image
        --r
        Content-Type: image/png
        Content-Transfer-Encoding: base64

        iVBORw==
        --r
        Content-Type: text/calendar; method=REQUEST

        BEGIN:VCALENDAR
        --r--
        """)
    let message = try EMLParser.parse(raw)
    #expect(message.from == EMLAddress(name: "Rémi", address: "remi@x.fr"))
    #expect(message.body == "see image")
    #expect(message.attachments == [
        EMLAttachment(filename: "untitled-1.png", contentType: "image/png", bytes: [0x89, 0x50, 0x4E, 0x47]),
    ])
}

@Test func errorDescriptionNamesLineAndField() {
    let error = EMLError(line: 4, field: "Date", message: "cannot read date")
    #expect(error.description == "line 4: Date: cannot read date")
}
