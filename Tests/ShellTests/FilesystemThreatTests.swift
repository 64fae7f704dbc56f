import Foundation
import Testing
import TerrariumBase
import TerrariumEpisode
import TerrariumWorld

extension ShellTests {
    /// THREATS.md, filesystem: the root is read-only, the host's secrets are absent, and
    /// what the shell leaves behind never leads the (root) supervisor out of the tree.
    @Suite struct Filesystem {
        @Test func writesToEtcUsrAndRootFail() async throws {
            let hostPasswd = sha256("/etc/passwd")
            try await withOffice { office in
                let s = try await office.sh(probe([
                    ("etc_passwd", "open('/etc/passwd', 'a')"),
                    ("mkdir_etc", "os.mkdir('/etc/cron.d2')"),
                    ("usr", "open('/usr/bin/evil', 'w')"),
                    ("root", "open('/evil', 'w')"),
                    ("proc_sys", "open('/proc/sys/kernel/hostname', 'w')"),
                ]))
                // /etc/passwd is root's 0644 file: the permission check refuses first (as on
                // any host); everything else meets the read-only mount.
                #expect(s.lines == ["etc_passwd EACCES", "mkdir_etc EROFS", "usr EROFS", "root EROFS", "proc_sys EROFS"], "\(s.stderr)")
                let sh = try await office.sh("echo x >> /etc/passwd; echo status=$?; touch /etc/newfile; echo touch=$?")
                #expect(sh.lines == ["status=2", "touch=1"])
                #expect(sh.stderr.contains("cannot create /etc/passwd: Permission denied"))
                #expect(sh.stderr.contains("touch: cannot touch '/etc/newfile': Read-only file system"))
            }
            #expect(sha256("/etc/passwd") == hostPasswd)
        }

        @Test func hostSecretsAreAbsent() async throws {
            setenv("TERRARIUM_HOST_SECRET", "s3cr3t-\(getpid())", 1)
            let canaryDir = try TempDir("canary")
            defer { canaryDir.remove() }
            let canary = try CanaryFile(in: canaryDir.path)
            try await withOffice { office in
                let s = try await office.sh("""
                    for p in /etc/shadow /root /sys /work /srv \(canary.path) /proc/kcore; do [ -e "$p" ] && echo "present $p"; done
                    ls /home; env | grep -c s3cr3t; cat /proc/1/environ 2>&1 | head -c 80; echo
                    cat /proc/1/cmdline | tr '\\0' ' '; echo; ls /proc | grep '^[0-9]' | sort -n | head -2; ls /dev | tr '\\n' ' '
                    """)
                #expect(s.lines == ["atlas", "0", "cat: /proc/1/environ: Permission denied", "/sbin/init ", "1", "2",
                                    "fd full null random shm stderr stdin stdout urandom zero "], "\(s.stderr)")
                _ = try await office.sh("echo pwned > \(canary.path); cat \(canary.path)")
            }
            #expect(canary.unchanged)
        }

        @Test func anotherEpisodesHomeIsInvisible() async throws {
            let first = try Office()
            defer { Task { await first.finish() } }
            let made = try await first.sh("echo 'episode one secret' > secret-one.txt")
            let firstFolder = try #require(await first.episode.shellFolder)
            // The first episode's pod (its init) lives on while the second runs.
            try await withOffice(alive: Set([made.initPid].compactMap { $0 })) { office in
                let s = try await office.sh("find / -xdev -name 'secret-one*' 2>/dev/null | head; ls \(firstFolder) 2>&1; grep -rs 'episode one' /home /tmp /etc /dev/shm | head -1; echo end")
                #expect(s.lines == ["ls: cannot access '\(firstFolder)': No such file or directory", "end"], "\(s.stdout)")
            }
            await first.finish()
        }

        @Test func aSymlinkToEtcPasswdIsNeverFollowedByTheFileTools() async throws {
            let hostPasswd = sha256("/etc/passwd")
            try await withOffice { office in
                let s = try await office.sh("ln -s /etc/passwd notes/pw && ln -s / root && ln -s ../README.md notes/readme-link && ls -l notes/pw")
                #expect(s.exitCode == 0, "\(s.stderr)")
                let created = s.events("file.created").map(\.payload)
                #expect(created.contains { $0["path"] == "notes/pw" && $0["symlink"] == "/etc/passwd" && $0["tool"] == "run_shell" })
                #expect(created.first { $0["path"] == "notes/pw" }?["effect"]?["op"] == "writeSymlink")
                let refusal = "is a symbolic link; file tools do not follow links"
                let read = try await office.call("read_file", ["path": "notes/pw"])
                #expect(read.result.isError && read.text.contains("notes/pw: \(refusal)"), "\(read.text)")
                let relative = try await office.call("read_file", ["path": "notes/readme-link"])
                #expect(relative.result.isError && relative.text.contains(refusal))
                let write = try await office.call("write_file", ["path": "notes/pw", "content": "root::0:0::/root:/bin/sh\n"])
                #expect(write.result.isError && write.text.contains(refusal), "\(write.text)")
                let through = try await office.call("write_file", ["path": "root/etc/cron.d/evil", "content": "x"])
                #expect(through.result.isError && through.text.contains("root: \(refusal)"), "\(through.text)")
                let readThrough = try await office.call("read_file", ["path": "root/etc/passwd"])
                #expect(readThrough.result.isError && readThrough.text.contains("no such file"))
                let move = try await office.call("move_file", ["source": "notes/pw", "destination": "pw2"])
                #expect(move.result.isError && move.text.contains(refusal))
                let onto = try await office.call("move_file", ["source": "notes/todo.md", "destination": "notes/pw"])
                #expect(onto.result.isError && onto.text.contains(refusal))
                let mail = try await office.call("send_email", ["to": ["dana.whitfield@bramble-analytics.com"], "subject": "x",
                                                                "body": "x", "attachments": ["notes/pw"]])
                #expect(mail.result.isError && mail.text.contains(refusal))
                let list = try await office.call("list_files", ["path": "notes"])
                #expect(list.text.contains("notes/pw -> /etc/passwd"))
                let delete = try await office.call("delete_file", ["path": "notes/pw"])
                #expect(!delete.result.isError)
                #expect(delete.events("file.deleted").first?.payload["symlink"] == "/etc/passwd")
                // The supervisor's own writes to disk never go through a link either.
                let after = try await office.sh("ls notes/pw 2>&1; readlink root; cat notes/readme-link | head -1")
                #expect(after.lines == ["ls: cannot access 'notes/pw': No such file or directory", "/", "# Atlas — home folder"])
            }
            #expect(sha256("/etc/passwd") == hostPasswd)
        }

        @Test func hardLinksOutsideTheHomeAreImpossibleAndInsideAreTwoFiles() async throws {
            try await withOffice { office in
                let s = try await office.sh("""
                    ln /etc/passwd pw 2>&1; echo tmp > /tmp/t; ln /tmp/t t 2>&1; ln /usr/bin/env e 2>&1
                    echo shared > a.txt; ln a.txt b.txt; echo ok
                    """)
                #expect(s.lines == ["ln: failed to create hard link 'pw' => '/etc/passwd': Invalid cross-device link",
                                    "ln: failed to create hard link 't' => '/tmp/t': Invalid cross-device link",
                                    "ln: failed to create hard link 'e' => '/usr/bin/env': Invalid cross-device link", "ok"])
                let created = Set(s.events("file.created").compactMap { $0.payload["path"]?.stringValue })
                #expect(created == ["a.txt", "b.txt"])
                // The world says two files: a write to one leaves the other as it was.
                _ = try await office.call("write_file", ["path": "a.txt", "content": "changed by the file tool\n"])
                let after = try await office.sh("cat a.txt b.txt")
                #expect(after.lines == ["changed by the file tool", "shared"])
                #expect(after.events("file.modified").isEmpty)
            }
        }

        @Test func specialFilesAreReportedRemovedAndNeverOpened() async throws {
            try await withOffice { office in
                let s = try await office.sh("""
                    mkfifo pipe; python3 -c "import socket; socket.socket(socket.AF_UNIX).bind('sock')"; \
                    mknod dev c 1 3 2>&1; printf 'x' > "$(printf 'bad\\377name')"; ls
                    """)
                #expect(s.stdout.contains("mknod: dev: Operation not permitted"))
                let skipped = s.events("file.skipped").map(\.payload)
                #expect(skipped.map { $0["path"] } == ["bad\\xFFname", "pipe", "sock"])
                #expect(skipped.map { $0["type"] } == ["name not UTF-8", "fifo", "socket"])
                #expect(skipped.allSatisfy { $0["action"] == "removed" })
                let world = await office.episode.snapshot()
                #expect(world.files[try world.resolve("pipe")] == nil)
                let again = try await office.sh("ls pipe sock 2>&1 | wc -l")
                #expect(again.lines == ["2"])
            }
        }

        @Test func procAndSetuidGiveNoPrivilege() async throws {
            try await withOffice { office in
                let s = try await office.sh("""
                    cp /bin/bash ./rootbash && chmod u+s ./rootbash && ./rootbash -p -c 'id -u'
                    echo b > /proc/sysrq-trigger 2>/dev/null; echo sysrq=$?
                    grep -E '^(CapEff|NoNewPrivs|Seccomp):' /proc/self/status | tr -s '\\t' ' '
                    """)
                #expect(s.lines == ["1000", "sysrq=2", "CapEff: 0000000000000000", "NoNewPrivs: 1", "Seccomp: 2"], "\(s.stderr)")
                let world = await office.episode.snapshot()
                #expect(world.files[try world.resolve("rootbash")]?.mode == 0o4755)
            }
        }

        @Test func dotfilesAndHooksTheAgentWritesAreNeverRunByTheHost() async throws {
            let marker = NSTemporaryDirectory() + "terrarium-host-ran-\(UUID().uuidString)"
            try await withOffice { office in
                _ = try await office.sh("""
                    git init -q r && printf '#!/bin/sh\\ntouch \(marker)\\n' > r/.git/hooks/post-checkout && chmod +x r/.git/hooks/post-checkout
                    printf 'touch \(marker)\\n' > .bashrc; printf 'touch \(marker)\\n' > .profile
                    """)
                _ = try await office.call("list_files", ["path": "r/.git/hooks"])
                _ = try await office.call("read_file", ["path": ".bashrc"])
                _ = try await office.sh("true")
            }
            #expect(!FileManager.default.fileExists(atPath: marker))
        }
    }
}
