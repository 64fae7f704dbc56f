import CSandbox

#if canImport(Glibc)
import Glibc
#endif

/// One security-relevant syscall the seccomp filter sent to the supervisor, decoded. The
/// kernel enforced the answer; this is the record. Address, port and query names were
/// read from the process's memory: they are what the process claimed, and never decided
/// an allow.
public struct SandboxAttempt: Sendable, Equatable {
    public enum Decision: String, Sendable {
        /// Refused with `errno`.
        case denied
        /// Recorded and let run (creating an inet socket: harmless in an empty network).
        case continued
        /// Answered "success" without running (a UDP connect, so the DNS query after it
        /// is recorded with its name).
        case faked
        /// The process died before the answer.
        case unanswered
    }

    public var syscall: String
    /// `AF_INET`, `AF_INET6`, `AF_PACKET`, ... (of the address, else of the socket).
    public var family: String?
    public var address: String?
    public var port: Int?
    /// `tcp`, `udp`, `icmp`, `raw` or the protocol number, when the socket is inet.
    public var `protocol`: String?
    /// `stream`, `dgram`, `raw`, `seqpacket`.
    public var socketType: String?
    /// The errno the process got (`ENETUNREACH`), when denied.
    public var errno: String?
    /// Decoded extra: `flags=...|CLONE_NEWUSER`, `cmd=0x5412 TIOCSTI`, `dns_query=...`.
    public var detail: String?
    public var decision: Decision
    /// False when the process was gone before it could be answered.
    public var answered: Bool
    /// The thread's id on the host (not recorded in the hashed log: it varies per run).
    public var hostThread: Int32

    init(_ ev: cs_event) {
        syscall = cString(ev.syscall)
        let domain = ev.sock_domain >= 0 ? ev.sock_domain : ev.family
        let fam = ev.family >= 0 ? ev.family : ev.sock_domain
        family = fam >= 0 ? SandboxAttempt.familyName(fam) : nil
        let a = cString(ev.addr)
        address = a.isEmpty ? nil : a
        port = ev.port >= 0 ? Int(ev.port) : nil
        socketType = ev.sock_type >= 0 ? SandboxAttempt.typeName(ev.sock_type) : nil
        `protocol` = SandboxAttempt.protocolName(domain: domain, type: ev.sock_type, proto: ev.protocol)
        let d = cString(ev.detail)
        detail = d.isEmpty ? nil : d
        switch ev.decision {
        case Int32(CS_DECIDE_DENY.rawValue): decision = .denied
        case Int32(CS_DECIDE_CONTINUE.rawValue): decision = .continued
        case Int32(CS_DECIDE_FAKE.rawValue): decision = .faked
        default: decision = .unanswered
        }
        errno = decision == .denied && ev.error != 0 ? errnoName(ev.error) : nil
        answered = ev.valid != 0
        hostThread = ev.pid
    }

    /// Address calls that stay inside the sandbox (unix sockets: glibc's nscd probe,
    /// python's multiprocessing) are local IPC, not attempts.
    static func isLocal(_ ev: cs_event) -> Bool {
        ev.decision == Int32(CS_DECIDE_CONTINUE.rawValue) && (ev.sock_domain == AF_UNIX || ev.family == AF_UNIX)
    }

    static let families: [Int32: String] = [
        0: "AF_UNSPEC", 1: "AF_UNIX", 2: "AF_INET", 3: "AF_AX25", 4: "AF_IPX", 5: "AF_APPLETALK", 9: "AF_X25",
        10: "AF_INET6", 15: "AF_KEY", 16: "AF_NETLINK", 17: "AF_PACKET", 29: "AF_CAN", 30: "AF_TIPC",
        31: "AF_BLUETOOTH", 36: "AF_IEEE802154", 38: "AF_ALG", 39: "AF_NFC", 40: "AF_VSOCK", 41: "AF_KCM",
        42: "AF_QIPCRTR", 44: "AF_XDP", 45: "AF_MCTP",
    ]

    static func familyName(_ f: Int32) -> String { families[f] ?? "AF_\(f)" }

    static func typeName(_ t: Int32) -> String {
        switch t & 0xF {
        case 1: return "stream"
        case 2: return "dgram"
        case 3: return "raw"
        case 5: return "seqpacket"
        default: return "type\(t & 0xF)"
        }
    }

    static func protocolName(domain: Int32, type: Int32, proto: Int32) -> String? {
        guard domain == AF_INET || domain == AF_INET6 else { return proto > 0 ? String(proto) : nil }
        switch proto {
        case 6: return "tcp"
        case 17: return "udp"
        case 1, 58: return "icmp"
        case 255: return "raw"
        case let p where p > 0: return String(p)
        default: break
        }
        switch type & 0xF {
        case 1: return "tcp"
        case 2: return "udp"
        case 3: return "raw"
        default: return nil
        }
    }
}

/// A fixed-size C char array (imported as a tuple) as a String, up to its NUL.
func cString<T>(_ tuple: T) -> String {
    withUnsafeBytes(of: tuple) { raw in String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self) }
}

/// A NUL-terminated C buffer as a String.
func cBufferString(_ buffer: [CChar]) -> String {
    String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
