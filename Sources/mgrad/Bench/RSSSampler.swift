import Foundation
import Synchronization

/// Peak resident memory during a piece of work: a thread reads `/proc/self/statm` every 2 ms
/// while `body` runs and keeps the largest value, so the figure is the work's own peak even
/// when the process was larger earlier (where `getrusage`'s `ru_maxrss` would only report the
/// process's lifetime peak).
enum RSSSampler {
    /// The current resident set in bytes (0 where `/proc` is unavailable).
    static func residentBytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// Runs `body` and returns its result, the resident set before it and the peak during it.
    static func measure<T>(_ body: () throws -> T) rethrows -> (result: T, before: Int, peak: Int) {
        let before = residentBytes()
        let state = Mutex((running: true, peak: before))
        let done = DispatchSemaphore(value: 0)
        let sampler = Thread {
            while true {
                let now = residentBytes()
                let running = state.withLock { state in
                    state.peak = Swift.max(state.peak, now)
                    return state.running
                }
                if !running { break }
                usleep(2_000)
            }
            done.signal()
        }
        sampler.start()
        defer {
            state.withLock { $0.running = false }
            done.wait()
        }
        let result = try body()
        let after = residentBytes()
        let peak = state.withLock { state in
            state.peak = Swift.max(state.peak, after)
            return state.peak
        }
        return (result, before, peak)
    }
}

/// User + system CPU time of the whole process (all threads), in nanoseconds.
func processCPUTimeNs() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    func ns(_ time: timeval) -> Double { Double(time.tv_sec) * 1e9 + Double(time.tv_usec) * 1e3 }
    return ns(usage.ru_utime) + ns(usage.ru_stime)
}

/// CPU time of the calling thread, in nanoseconds.
func threadCPUTimeNs() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) * 1e9 + Double(ts.tv_nsec)
}
