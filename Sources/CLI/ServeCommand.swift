import ArgumentParser
import Foundation
import TerrariumHosting
import TerrariumServer

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Host many live episodes over HTTP (the episode API and MCP over streamable HTTP).",
        discussion: """
            POST /episodes {"scenario": NAME, "seed": N} creates an episode of the scenario
            folder NAME under --environments and answers with its id and MCP URL
            (/episodes/ID/mcp). GET /openapi.yaml describes every route; docs/HOSTING.md has
            examples. With --token (or TERRARIUM_TOKEN), every request needs
            "Authorization: Bearer TOKEN". Episodes are recorded under --runs.
            """
    )

    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on (0: any free port, printed at start).") var port = 8080
    @Option(help: "Folder of scenario folders.") var environments = "Environments"
    @Option(help: "Folder to record episodes into.") var runs = "runs"
    @Flag(help: "Record nothing: episodes live in memory only (no events, grade or fork at a seq).") var inMemory = false
    @Option(help: "Bearer token every request must carry (default: $TERRARIUM_TOKEN, else none).") var token: String?
    @Option(help: "Most live episodes at once.") var capacity = 2000
    @Option(help: "Seconds without a call before an episode is reaped.") var idleTimeout = 1800
    @Option(help: "Seconds after which an episode is reaped, used or not.") var ttl = 21600
    @Option(help: "Most shell commands running at once across all episodes.") var shellLimit = 4
    @Option(help: "Largest request body in bytes.") var maxBody = 1 << 20

    func run() async throws {
        let token = self.token ?? ProcessInfo.processInfo.environment["TERRARIUM_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        let hosting = HostConfiguration(environments: environments, runs: inMemory ? nil : runs, capacity: capacity,
                                        idleTimeout: .seconds(idleTimeout), ttl: .seconds(ttl), shellLimit: shellLimit)
        let server = EpisodeServer(configuration: ServerConfiguration(
            host: host, port: port, token: token, maxBodyBytes: maxBody, hosting: hosting))
        let host = self.host
        try await server.run(handleSignals: true) { port in
            FileHandle.standardError.write(Data("terrarium serve: listening on http://\(host):\(port)\n".utf8))
        }
    }
}
