import Foundation

/// A progress bar on stderr, drawn only when stderr is a terminal (so logs and pipes stay clean).
final class ProgressBar: @unchecked Sendable {
    let total: Int
    let label: String
    let enabled: Bool
    let start = Date()
    private var lastDraw = Date.distantPast
    private let lock = NSLock()

    init(total: Int, label: String) {
        self.total = max(total, 1)
        self.label = label
        self.enabled = isatty(2) == 1
    }

    func update(done: Int, rows: Int) {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        guard now.timeIntervalSince(lastDraw) > 0.1 || done >= total else { return }
        lastDraw = now
        let frac = min(1, Double(done) / Double(total))
        let width = 30
        let filled = Int(frac * Double(width))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        let elapsed = max(now.timeIntervalSince(start), 0.001)
        let rate = Int(Double(rows) / elapsed)
        let line = String(format: "\r%@ %@ %3d%%  %@ rows  %@ rows/s ", label, bar, Int(frac * 100), grouped(rows), grouped(rate))
        FileHandle.standardError.write(Data(line.utf8))
    }

    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\n".utf8))
    }
}

func grouped(_ n: Int) -> String {
    let s = String(n)
    var out = ""
    for (i, ch) in s.reversed().enumerated() {
        if i > 0 && i % 3 == 0 { out.append(",") }
        out.append(ch)
    }
    return String(out.reversed())
}

/// A status line on stderr for long work made of steps without a row count (training a model): the current step and
/// the seconds since the start, redrawn four times a second; drawn only when stderr is a terminal, and cleared at the
/// end so the command's own output follows on a clean line.
final class StepProgress: @unchecked Sendable {
    let label: String
    let enabled = isatty(2) == 1
    let start = Date()
    private var step = ""
    private var done = false
    private let lock = NSLock()

    init(label: String) {
        self.label = label
        guard enabled else { return }
        // A thread of its own: the work being shown may hold the cooperative pool's threads.
        Thread { [self] in
            while lock.withLock({ !done }) {
                draw()
                Thread.sleep(forTimeInterval: 0.25)
            }
        }.start()
    }

    func begin(_ step: String) {
        lock.withLock { self.step = step }
        draw()
    }

    /// Clears the line; once only, so it can also run from a `defer`.
    func finish() {
        guard enabled else { return }
        lock.withLock {
            guard !done else { return }
            done = true
            FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
        }
    }

    private func draw() {
        guard enabled else { return }
        lock.withLock {
            guard !done else { return }
            let line = String(format: "\r\u{1B}[K%@: %@ … %.0f s", label, step, Date().timeIntervalSince(start))
            FileHandle.standardError.write(Data(line.utf8))
        }
    }
}
