import Foundation

/// Counts the distinct colours of a PNG (8-bit RGB or RGBA, as Chromium writes them),
/// decoding it with python3's zlib (scripts/setup installs python3): Foundation on Linux
/// has no inflate, and a screenshot that is one flat colour must fail the test.
enum PNGCheck {
    static let script = #"""
    import sys, zlib, struct
    data = open(sys.argv[1], "rb").read()
    pos, idat, width, height, ctype = 8, b"", 0, 0, 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, ctype = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and ctype in (2, 6), "unexpected PNG format"
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    bpp = 4 if ctype == 6 else 3
    raw, stride = zlib.decompress(idat), width * (4 if ctype == 6 else 3)
    prev, colours, i = bytearray(stride), set(), 0
    for _ in range(min(height, 400)):  # the top of the page is enough to tell a picture from a flat fill
        f, line = raw[i], bytearray(raw[i + 1:i + 1 + stride]); i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]; c = prev[x - bpp] if x >= bpp else 0
            if f == 1: line[x] = (line[x] + a) & 255
            elif f == 2: line[x] = (line[x] + b) & 255
            elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        colours.update(bytes(line[x:x + 3]) for x in range(0, stride, bpp))
        prev = line
    print(len(colours))
    """#

    static func distinctColours(pngFile: String, scratch: String) async throws -> Int {
        let r = try await ReportProcess.run("/usr/bin/python3", ["-c", script, pngFile], scratch: scratch)
        guard r.status == 0, let n = Int(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw CocoaError(.fileReadCorruptFile, userInfo: [NSLocalizedDescriptionKey: "\(pngFile): \(r.stderr)"])
        }
        return n
    }
}
