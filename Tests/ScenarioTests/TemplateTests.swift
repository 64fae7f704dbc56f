import Testing
import TerrariumBase
import TerrariumScenarios

/// The `${name}` syntax on its own: what is replaced, what is literal, what is an error.
@Suite struct TemplateTests {
    let context = RenderContext(texts: ["name": "Kai", "hour": "17", "goal_type": "explicit"])

    @Test func placeholdersAreReplacedAndEverythingElseIsLiteral() throws {
        #expect(try context.render("Hi ${name}, at ${hour}:00.") == "Hi Kai, at 17:00.")
        #expect(try context.render("cost: $5, $$x, $ {name}, $") == "cost: $5, $$x, $ {name}, $")
        #expect(try context.render("write $${name} for a placeholder") == "write ${name} for a placeholder")
        #expect(try context.render("$$${name}") == "$${name}")  // left to right: a lone $, then $${
        #expect(try context.render("no dollars") == "no dollars")
        #expect(try context.render("") == "")
    }

    @Test func toolArgumentsAreLeftForTheToolCall() throws {
        #expect(try context.render("cancelled (override ${args.code}) by ${name}") == "cancelled (override ${args.code}) by Kai")
    }

    @Test func toolArgumentsAreFoundAndFilledAfterLoad() {
        let text = "Alert cancelled (override ${args.code}, note ${args.note}); ${args.Bad} ${args.code"
        #expect(Template.argumentNames(in: text) == ["code", "note"])
        #expect(Template.fillArguments(text) { ["code": "4429"][$0] }
                == "Alert cancelled (override 4429, note ${args.note}); ${args.Bad} ${args.code")
        #expect(Template.fillArguments("no arguments", { _ in "x" }) == "no arguments")
    }

    @Test func anUnknownNameSuggestsTheNearestOne() {
        #expect(throws: Template.Failure(offset: 6, token: "${goal_typ}",
                                         message: "unknown variable \"goal_typ\" (did you mean \"goal_type\"?)")) {
            try context.render("Goal: ${goal_typ}")
        }
        #expect(throws: Template.Failure(offset: 0, token: "${zzz}",
                                         message: "unknown variable \"zzz\"; variables and blocks: goal_type, hour, name")) {
            try context.render("${zzz}")
        }
    }

    @Test func unclosedEmptyAndMalformedPlaceholdersAreErrors() {
        let unclosed = "unclosed \"${\" (a placeholder is ${name} on one line; write $${ for a literal ${)"
        #expect(throws: Template.Failure(offset: 3, token: "${", message: unclosed)) { try context.render("ab ${name") }
        #expect(throws: Template.Failure(offset: 0, token: "${", message: unclosed)) { try context.render("${name\n}") }
        #expect(throws: Template.Failure(offset: 2, token: "${}", message: "empty \"${}\" (write $${ for a literal ${)")) {
            try context.render("x ${}")
        }
        #expect(throws: Template.Failure(offset: 0, token: "${Name}",
                                         message: "\"${Name}\" is not a variable name (names are [a-z][a-z0-9_]*)")) {
            try context.render("${Name}")
        }
        #expect(throws: Template.Failure(offset: 0, token: "${args.X}",
                                         message: "\"${args.X}\" is not a variable name (names are [a-z][a-z0-9_]*)")) {
            try context.render("${args.X}")
        }
    }

    @Test func valuesPrintAsAuthorsExpect() {
        #expect(VariableDeclaration.text(.int(17)) == "17")
        #expect(VariableDeclaration.text(.double(17.0)) == "17")
        #expect(VariableDeclaration.text(.double(2.5)) == "2.5")
        #expect(VariableDeclaration.text(.double(-0.25)) == "-0.25")
        #expect(VariableDeclaration.text(.bool(true)) == "true")
        #expect(VariableDeclaration.text(.bool(false)) == "false")
        #expect(VariableDeclaration.text(.string("x y")) == "x y")
    }

    @Test func linesAndColumnsCountCharacters() {
        let text = "héllo\nwörld ${x}\n"
        let offset = Array(text.utf8).firstIndex(of: UInt8(ascii: "$")) ?? 0
        #expect(Template.lineAndColumn(of: offset, in: text) == (2, 7))
        #expect(Template.lineAndColumn(of: 0, in: text) == (1, 1))
    }
}
