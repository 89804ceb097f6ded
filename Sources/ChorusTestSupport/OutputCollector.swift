import Foundation

/// The stdout and stderr of a subprocess, appended from reader threads.
final class OutputCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var out = Data()
    private var err = Data()
    func append(out data: Data) { lock.withLock { out.append(data) } }
    func append(err data: Data) { lock.withLock { err.append(data) } }
    var stdout: String { lock.withLock { String(decoding: out, as: UTF8.self) } }
    var stderr: String { lock.withLock { String(decoding: err, as: UTF8.self) } }

    /// Reads both pipes to their end, each by blocking reads on a thread of its own, into this
    /// collector; `readers` is left once per pipe when it closes. Not `readabilityHandler`: its
    /// dispatch sources race with pipes closing when many processes end at once (a crash of the test
    /// process in libdispatch's event loop).
    func drain(out: Pipe, err: Pipe, into readers: DispatchGroup) {
        for (handle, isOut) in [(out.fileHandleForReading, true), (err.fileHandleForReading, false)] {
            readers.enter()
            Thread { [self] in
                while true {
                    let data = handle.availableData
                    if data.isEmpty { break }
                    if isOut { append(out: data) } else { append(err: data) }
                }
                readers.leave()
            }.start()
        }
    }
}
