import Foundation
import Testing
import TerrariumBase
import TerrariumHosting
import TerrariumServer

extension LiveServerTests {
@Suite struct ConcurrencyTests {
    @Test func shellGateQueuesBeyondItsLimitInOrder() async throws {
        let gate = ShellGate(limit: 2)
        let order = OrderLog()
        await withTaskGroup(of: Void.self) { group in
            for i in 0..<6 {
                group.addTask {
                    await gate.withSlot {
                        await order.enter(i)
                        // Hold the slot until all four others are queued (or 5 s pass), so
                        // the figures below do not depend on how busy the machine is.
                        for _ in 0..<500 where await gate.peakQueued < 4 {
                            try? await Task.sleep(for: .milliseconds(10))
                        }
                        await order.leave()
                    }
                }
                try? await Task.sleep(for: .milliseconds(5))
            }
        }
        #expect(await order.peak == 2)
        #expect(await order.entered == [0, 1, 2, 3, 4, 5])
        #expect(await gate.peakRunning == 2)
        #expect(await gate.peakQueued == 4)
        #expect(await gate.inUse == 0)
    }

    /// A shell command that sleeps two seconds in one episode, with the global shell limit
    /// taken: another episode's mail and file calls still finish at once — before the shell
    /// call does, whatever the machine's load (the assertions are about order, not speed).
    @Test func aSlowShellCallNeverBlocksOtherEpisodes() async throws {
        try await withServer(shellLimit: 1) { port, server in
            let slow = try await createEpisode(port)
            let queued = try await createEpisode(port)
            let other = try await createEpisode(port)
            let started = ContinuousClock.now
            let shell = Task { () throws -> (LoopbackHTTPClient.Response, ContinuousClock.Instant) in
                let r = try await blocking {
                    try LoopbackHTTPClient(port: port).request("POST", "/episodes/\(slow)/call",
                        json: #"{"tool":"run_shell","arguments":{"command":"sleep 5; echo done"}}"#)
                }
                return (r, ContinuousClock.now)
            }
            let waiting = Task {
                try await Task.sleep(for: .milliseconds(200))
                return try await blocking {
                    try LoopbackHTTPClient(port: port).request("POST", "/episodes/\(queued)/call",
                        json: #"{"tool":"run_shell","arguments":{"command":"echo second"}}"#)
                }
            }
            // The first shell call of an episode also writes its tree and starts its pod: wait
            // (up to 4 s) until one command runs and the other is queued.
            var health: JSON = .null
            for _ in 0..<80 {
                health = try JSON.parse(try LoopbackHTTPClient(port: port).request("GET", "/health").body)
                if health["shell"] == ["limit": 1, "running": 1, "queued": 1] { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(health["shell"] == ["limit": 1, "running": 1, "queued": 1])
            let quick = try await blocking { () throws -> [Double] in
                let c = LoopbackHTTPClient(port: port)
                var times: [Double] = []
                for i in 0..<20 {
                    let t0 = ContinuousClock.now
                    let tool = i % 2 == 0 ? #"{"tool":"list_emails","arguments":{}}"# : #"{"tool":"read_file","arguments":{"path":"notes/todo.md"}}"#
                    let r = try c.request("POST", "/episodes/\(other)/call", json: tool)
                    precondition(r.status == 200)
                    let d = ContinuousClock.now - t0
                    times.append(Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18)
                }
                return times
            }
            let mailDone = ContinuousClock.now
            let (slowResult, shellDone) = try await shell.value
            let secondResult = try await waiting.value
            #expect(mailDone < shellDone, "mail and file calls waited for the shell")
            #expect(quick.max() ?? 9 < 1.0, "\(quick)")
            #expect(shellDone - started >= .seconds(5))
            #expect(try JSON.parse(slowResult.body)["text"]?.stringValue?.contains("done") == true, "\(slowResult.text)")
            #expect(try JSON.parse(secondResult.body)["text"]?.stringValue?.contains("second") == true, "\(secondResult.text)")
            #expect(await server.host.gate.peakQueued == 1)
        }
    }
}
}

actor OrderLog {
    var entered: [Int] = []
    var running = 0
    var peak = 0
    func enter(_ i: Int) { entered.append(i); running += 1; peak = max(peak, running) }
    func leave() { running -= 1 }
}
