import Hummingbird
import Logging
import NIOCore
import TerrariumHosting

/// `terrarium serve`: the episode host behind the HTTP API, plus the reaper.
public struct EpisodeServer: Sendable {
    public let configuration: ServerConfiguration
    public let host: EpisodeHost

    public init(configuration: ServerConfiguration) {
        self.configuration = configuration
        self.host = EpisodeHost(configuration: configuration.hosting)
    }

    /// Serves until cancelled (or SIGINT/SIGTERM when `handleSignals`); `onStarted` gets the
    /// bound port once the socket listens. Live episodes are ended on the way out.
    public func run(handleSignals: Bool = false, onStarted: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        var logger = Logger(label: "terrarium.serve")
        logger.logLevel = .warning
        let app = Application(
            responder: EpisodeAPI(host: host, configuration: configuration),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil,
                                 backlog: 1024),
            onServerRunning: { channel in await onStarted(channel.localAddress?.port ?? 0) },
            logger: logger)
        let host = self.host
        let interval = configuration.reapInterval
        let reaper = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                await host.reap()
            }
        }
        defer { reaper.cancel() }
        do {
            if handleSignals { try await app.runService() } else { try await app.run() }
        } catch {
            await host.endAll(reason: "server stopped")
            throw error
        }
        await host.endAll(reason: "server stopped")
    }
}
