import TerrariumHosting

/// Everything `terrarium serve` is started with.
public struct ServerConfiguration: Sendable {
    public var host: String
    /// 0 picks a free port (tests); the bound port is reported by `EpisodeServer.run`.
    public var port: Int
    /// With a token, every request needs `Authorization: Bearer TOKEN`.
    public var token: String?
    /// Largest request body accepted; larger ones get 413.
    public var maxBodyBytes: Int
    /// How often idle and expired episodes are looked for.
    public var reapInterval: Duration
    /// Longest an event stream stays open.
    public var streamLimit: Duration
    public var hostingConfiguration: HostConfiguration

    public init(host: String = "127.0.0.1", port: Int = 8080, token: String? = nil, maxBodyBytes: Int = 1 << 20,
                reapInterval: Duration = .seconds(5), streamLimit: Duration = .seconds(600), hosting: HostConfiguration) {
        self.host = host
        self.port = port
        self.token = token
        self.maxBodyBytes = maxBodyBytes
        self.reapInterval = reapInterval
        self.streamLimit = streamLimit
        self.hostingConfiguration = hosting
    }

    public var hosting: HostConfiguration { hostingConfiguration }
}
