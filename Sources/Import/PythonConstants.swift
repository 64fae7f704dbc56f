import Foundation

/// Reads the string and dict constants of a Python module of theirs (the system prompt
/// templates live in `templates/system_prompt_templates.py`) WITHOUT running it: python3
/// parses the file with its `ast` module and a small evaluator folds only literals, names
/// already bound, `+` on strings, tuples, lists, dicts and list comprehensions over
/// literal lists — anything else (a call, an import, an attribute) is reported with its
/// line. Python is used for its parser only, because the module's text is Python.
public enum PythonConstants {
    /// name → string, or name → {key → string or {key → string}}.
    public static func read(_ path: String, python: String = "python3") throws(ImportError) -> [String: Any] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [python, "-I", "-c", evaluator, path]
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        do { try process.run() } catch {
            throw ImportError(file: path, "cannot start \(python) to read this Python file: \(error.localizedDescription)")
        }
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let why = String(decoding: stderr, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if let range = why.range(of: "UNSUPPORTED:") {
                let detail = why[range.upperBound...].trimmingCharacters(in: .whitespaces)
                let parts = detail.split(separator: ":", maxSplits: 1)
                throw ImportError(file: path, line: Int(parts.first ?? ""), String(parts.last ?? "").trimmingCharacters(in: .whitespaces))
            }
            throw ImportError(file: path, "\(python) could not read it (exit \(process.terminationStatus)): \(why.suffix(400))")
        }
        guard let object = try? JSONSerialization.jsonObject(with: stdout), let dict = object as? [String: Any] else {
            throw ImportError(file: path, "internal: the evaluator's output is not a JSON object")
        }
        return dict
    }

    static let evaluator = #"""
import ast, json, sys

path = sys.argv[1]
with open(path, encoding="utf-8") as f:
    tree = ast.parse(f.read(), path)

def fail(node, what):
    sys.stderr.write("UNSUPPORTED:%d: %s\n" % (getattr(node, "lineno", 0), what))
    sys.exit(3)

def ev(node, env):
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Name):
        if node.id not in env:
            fail(node, "the name %s is not bound to a constant above" % node.id)
        return env[node.id]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        a, b = ev(node.left, env), ev(node.right, env)
        if not (isinstance(a, str) and isinstance(b, str)):
            fail(node, "+ is supported on strings only")
        return a + b
    if isinstance(node, (ast.Tuple, ast.List)):
        return [ev(e, env) for e in node.elts]
    if isinstance(node, ast.Dict):
        out = {}
        for k, v in zip(node.keys, node.values):
            if k is None:
                fail(node, "** in a dict literal is not supported")
            key = ev(k, env)
            if not isinstance(key, str):
                fail(k, "dict keys must be strings")
            out[key] = ev(v, env)
        return out
    if isinstance(node, ast.ListComp) and len(node.generators) == 1 and not node.generators[0].ifs:
        gen = node.generators[0]
        out = []
        for item in ev(gen.iter, env):
            inner = dict(env)
            bind(gen.target, item, inner)
            out.append(ev(node.elt, inner))
        return out
    fail(node, "only string literals, names, +, tuples, lists, dicts and list comprehensions are read (found %s)" % type(node).__name__)

def bind(target, value, env):
    if isinstance(target, ast.Name):
        env[target.id] = value
    elif isinstance(target, (ast.Tuple, ast.List)):
        if not isinstance(value, list) or len(value) != len(target.elts):
            fail(target, "cannot unpack into %d names" % len(target.elts))
        for t, v in zip(target.elts, value):
            bind(t, v, env)
    else:
        fail(target, "only names and tuples of names can be assigned")

env = {}
for stmt in tree.body:
    if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant):
        continue
    if isinstance(stmt, ast.Assign):
        value = ev(stmt.value, env)
        for target in stmt.targets:
            bind(target, value, env)
        continue
    if isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
        bind(stmt.target, ev(stmt.value, env), env)
        continue
    fail(stmt, "only assignments of constants are read (found %s)" % type(stmt).__name__)

def plain(v):
    return isinstance(v, str) or (isinstance(v, dict) and all(isinstance(x, str) or (isinstance(x, dict) and all(isinstance(y, str) for y in x.values())) for x in v.values()))

json.dump({k: v for k, v in env.items() if plain(v)}, sys.stdout)
"""#
}
