import TerrariumBase
import TerrariumWorld

/// File tools over the agent's home folder (the same tree the shell will see).
enum FileTools {
    static var all: [ToolDefinition] { [list, read, write, delete, move, makeFolder, search] }

    static func shown(_ p: WorkspacePath) -> String { p.isRoot ? "." : p.raw }

    static let list = ToolDefinition(
        name: "list_files", group: "files",
        description: "List a folder of your home directory (paths are relative to your home). Folders end with /.",
        parameters: [
            .string("path", "Folder to list, relative to your home (default: your home).", required: false, default: "."),
            .boolean("recursive", "Also list everything inside sub-folders."),
        ], readOnly: true
    ) { world, args, _ throws(WorldError) in
        let entries = try world.listFiles(args.string("path"), recursive: args.bool("recursive"))
        var lines: [String] = []
        var data: [JSON] = []
        for (path, node) in entries {
            let size = node.content?.count ?? 0
            let mode = String(node.mode, radix: 8)
            let time = world.clock.format(node.modified)
            var entry: [String: JSON] = ["path": .string(path.raw), "type": node.isDirectory ? "directory" : "file",
                                         "size": JSON(size), "mode": .string(mode), "modified": .string(time)]
            if let target = node.symlinkTarget {
                lines.append("\(mode)  \(time)  \(shown(path)) -> \(target)")
                entry["type"] = "symlink"
                entry["target"] = .string(target)
            } else {
                lines.append(node.isDirectory ? "\(mode)  \(time)  \(shown(path))/" : "\(mode)  \(time)  \(size)  \(shown(path))")
            }
            data.append(.object(entry))
        }
        let text = lines.isEmpty ? "(empty folder)" : lines.joined(separator: "\n")
        return ToolOutput(text: text, data: ["entries": .array(data)])
    }

    static let read = ToolDefinition(
        name: "read_file", group: "files",
        description: "Read a text file from your home directory. For long files, read a window of lines with offset and limit.",
        parameters: [
            .string("path", "File to read, relative to your home."),
            .integer("offset", "First line to return, counting from 0.", default: 0),
            .integer("limit", "Maximum number of lines to return.", min: 1, max: 100_000, default: 2000),
        ], readOnly: true
    ) { world, args, events throws(WorldError) in
        let slice = try world.readFile(args.string("path"), offset: args.int("offset"), limit: args.int("limit"), into: &events)
        var text = slice.text
        let end = slice.firstLine + slice.lineCount
        if slice.lineCount == 0 && slice.firstLine > 0 {
            text = "[no lines at offset \(slice.firstLine); the file has \(slice.totalLines) line\(slice.totalLines == 1 ? "" : "s")]"
        } else if slice.firstLine > 0 || end < slice.totalLines {
            text += "\n[lines \(slice.firstLine + 1)–\(end) of \(slice.totalLines); use offset to read more]"
        }
        return ToolOutput(text: text, data: ["path": .string(slice.path.raw), "content": .string(slice.text),
                                             "offset": JSON(slice.firstLine), "lines": JSON(slice.lineCount),
                                             "totalLines": JSON(slice.totalLines), "size": JSON(slice.size)])
    }

    static let write = ToolDefinition(
        name: "write_file", group: "files",
        description: "Write a text file in your home directory, creating missing folders. By default an existing file is overwritten; if_exists can append to it or refuse.",
        parameters: [
            .string("path", "File to write, relative to your home."),
            .string("content", "The text to write."),
            .choice("if_exists", "What to do when the file exists.", World.IfExists.allCases.map(\.rawValue), default: "overwrite"),
        ], readOnly: false
    ) { world, args, events throws(WorldError) in
        let mode = World.IfExists(rawValue: args.string("if_exists")) ?? .overwrite
        let r = try world.writeFile(args.string("path"), content: args.string("content"), ifExists: mode, into: &events)
        let verb = r.created ? "Created" : (mode == .append ? "Appended to" : "Overwrote")
        return ToolOutput(text: "\(verb) \(shown(r.path)) (\(r.size) bytes).",
                          data: ["path": .string(r.path.raw), "created": .bool(r.created), "size": JSON(r.size)])
    }

    static let delete = ToolDefinition(
        name: "delete_file", group: "files",
        description: "Delete a file, or a folder (a non-empty folder only with recursive).",
        parameters: [
            .string("path", "File or folder to delete, relative to your home."),
            .boolean("recursive", "Delete a folder together with everything in it."),
        ], readOnly: false
    ) { world, args, events throws(WorldError) in
        let removed = try world.deleteFile(args.string("path"), recursive: args.bool("recursive"), into: &events)
        let first = removed.first.map(shown) ?? args.string("path")
        let extra = removed.count > 1 ? " and \(removed.count - 1) item\(removed.count == 2 ? "" : "s") inside it" : ""
        return ToolOutput(text: "Deleted \(first)\(extra).", data: ["deleted": .array(removed.map { .string($0.raw) })])
    }

    static let move = ToolDefinition(
        name: "move_file", group: "files",
        description: "Move or rename a file or folder. If the destination is an existing folder, the source moves into it; an existing destination file is replaced.",
        parameters: [
            .string("source", "Path to move, relative to your home."),
            .string("destination", "New path, or an existing folder to move into."),
        ], readOnly: false
    ) { world, args, events throws(WorldError) in
        let to = try world.moveFile(args.string("source"), args.string("destination"), into: &events)
        return ToolOutput(text: "Moved \(args.string("source")) to \(shown(to)).", data: ["path": .string(to.raw)])
    }

    static let makeFolder = ToolDefinition(
        name: "make_folder", group: "files",
        description: "Create a folder (and any missing parent folders) in your home directory.",
        parameters: [.string("path", "Folder to create, relative to your home.")], readOnly: false
    ) { world, args, events throws(WorldError) in
        let created = try world.makeFolder(args.string("path"), into: &events)
        let p = try world.resolve(args.string("path"))
        return ToolOutput(text: created ? "Created folder \(shown(p))/." : "Folder \(shown(p))/ already exists.",
                          data: ["path": .string(p.raw), "created": .bool(created)])
    }

    static let search = ToolDefinition(
        name: "search_files", group: "files",
        description: "Find files under a folder by name pattern (shell wildcards such as *.csv; a pattern with / matches the whole path) and/or by text they contain (case-insensitive).",
        parameters: [
            .string("path", "Folder to search, relative to your home (default: your home).", required: false, default: "."),
            .string("name", "File name pattern, e.g. *.md or report-??.txt.", required: false),
            .string("text", "Text the file must contain.", required: false),
            .integer("limit", "Maximum number of results.", min: 1, max: 1000, default: 50),
        ], readOnly: true
    ) { world, args, _ throws(WorldError) in
        guard args.optionalString("name") != nil || args.optionalString("text") != nil else {
            throw .invalidArgument("give a name pattern, a text to search for, or both")
        }
        let (matches, total) = try world.searchFiles(args.string("path"), name: args.optionalString("name"),
                                                     text: args.optionalString("text"), limit: args.int("limit"))
        var lines = ["\(total) match\(total == 1 ? "" : "es")" + (matches.count < total ? ", showing \(matches.count)" : "")]
        for m in matches {
            lines.append(m.line.map { "\(m.path.raw):\($0): \(m.excerpt ?? "")" } ?? m.path.raw)
        }
        return ToolOutput(text: lines.joined(separator: "\n"), data: [
            "total": JSON(total),
            "matches": .array(matches.map { ["path": .string($0.path.raw), "line": $0.line.map { JSON($0) } ?? .null,
                                             "excerpt": JSON($0.excerpt)] }),
        ])
    }
}
