import TerrariumBase
import TerrariumWorld

#if canImport(Glibc)
import Glibc
#endif

/// Who the agent is inside the sandbox, derived from the world alone (never from the host):
/// its user name is the local part of its address, its home the world's home, the machine
/// is `<user>-ws.<company domain>`, and the clock's zone is the system zone.
public struct SandboxIdentity: Sendable, Equatable {
    public var user: String
    public var fullName: String
    public var uid: UInt32
    public var gid: UInt32
    public var home: String
    public var hostname: String
    public var domain: String
    public var email: String
    /// The zone for /etc/timezone and /etc/localtime (a name under /usr/share/zoneinfo).
    public var zoneName: String
    /// The value of `TZ`.
    public var tz: String

    public init(world: World, configuration: ShellConfiguration) throws(ShellError) {
        let address = world.directory.agentAddress
        let local = address.split(separator: "@").first.map(String.init) ?? "agent"
        user = SandboxIdentity.userName(local)
        let person = world.directory.person(address)
        fullName = SandboxIdentity.gecos(person?.name ?? user)
        uid = configuration.uid
        gid = configuration.gid
        guard uid != 0, gid != 0 else { throw ShellError(layer: "uid", "the agent cannot run as root (uid/gid 0)") }
        home = world.home
        guard home.hasPrefix("/"), home.count > 1, !home.contains(":"), !home.contains("\n") else {
            throw ShellError(layer: "mount", "the world's home \(home) is not an absolute folder path")
        }
        domain = SandboxIdentity.hostLabel(world.directory.domains.first ?? "example.com", keepDots: true)
        hostname = String(SandboxIdentity.hostLabel(user, keepDots: false).prefix(60)) + "-ws"
        email = address
        (zoneName, tz) = try SandboxIdentity.zone(world.clock)
    }

    /// A passwd-safe user name: lower case, [a-z0-9._-], starting with a letter or `_`.
    static func userName(_ local: String) -> String {
        var out = ""
        for scalar in local.lowercased().unicodeScalars {
            switch scalar {
            case "a"..."z", "0"..."9", ".", "_", "-": out.unicodeScalars.append(scalar)
            default: out += "_"
            }
        }
        if out.isEmpty { out = "agent" }
        if let first = out.unicodeScalars.first, !("a"..."z").contains(first) && first != "_" { out = "u" + out }
        return String(out.prefix(32))
    }

    /// The GECOS field: no `:`, `,` or control characters.
    static func gecos(_ name: String) -> String {
        String(name.unicodeScalars.filter { $0 != ":" && $0 != "," && $0.value >= 0x20 && $0.value != 0x7F }
            .map(Character.init))
    }

    /// Host name labels: [a-z0-9-] (and dots between labels for a domain).
    static func hostLabel(_ text: String, keepDots: Bool) -> String {
        var out = ""
        for scalar in text.lowercased().unicodeScalars {
            switch scalar {
            case "a"..."z", "0"..."9", "-": out.unicodeScalars.append(scalar)
            case "." where keepDots: out += "."
            default: out += "-"
            }
        }
        return out.isEmpty ? "host" : out
    }

    /// The scenario's zone when it names one (it must exist on this host), else a fixed
    /// offset: `Etc/GMT+5` for UTC-05:00 (POSIX signs are inverted), or a POSIX TZ string
    /// for offsets that are not whole hours.
    static func zone(_ clock: WorldClock) throws(ShellError) -> (String, String) {
        if let name = clock.timezone {
            guard !name.contains(".."), !name.hasPrefix("/"), access("/usr/share/zoneinfo/" + name, R_OK) == 0 else {
                throw ShellError(layer: "time", "the scenario's timezone \(name) is not in /usr/share/zoneinfo (install tzdata)")
            }
            return (name, name)
        }
        let minutes = clock.utcOffsetMinutes
        if minutes == 0 { return ("Etc/UTC", "Etc/UTC") }
        if minutes % 60 == 0 {
            let hours = -minutes / 60
            let name = "Etc/GMT" + (hours > 0 ? "+" : "") + String(hours)
            if access("/usr/share/zoneinfo/" + name, R_OK) == 0 { return (name, name) }
        }
        let sign = minutes >= 0 ? "+" : "-"
        let a = abs(minutes)
        let label = "<\(sign)\(ISO8601.pad(Int64(a / 60), 2))\(ISO8601.pad(Int64(a % 60), 2))>"
        return ("Etc/UTC", label + (minutes >= 0 ? "-" : "") + "\(a / 60):\(ISO8601.pad(Int64(a % 60), 2))")
    }
}
