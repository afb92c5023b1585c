import NASSupport

extension Profiler {
    /// What one run did, for the caller and for the closing line on standard error.
    public struct Summary: Sendable {
        public var measured = 0
        public var failed = 0
        public var skipped = 0
        /// (workload, batch) pairs already in the file.
        public var alreadyDone = 0
        /// Pairs left because the time budget ran out.
        public var remaining = 0
        public var droppedPartialBytes = 0
        public var seconds: Double = 0

        /// Lines this run appended.
        public var written: Int { measured + failed + skipped }

        /// `profile: 12 measured, 1 failed, 2 skipped after a failure, in 3m05s`, and what else the user should know.
        public func text(stoppedByBudget: Bool) -> String {
            var line = "profile: \(measured) measured, \(failed) failed, \(skipped) skipped after a failure, in \(DurationText.format(seconds))"
            if droppedPartialBytes > 0 { line += "; cut off a truncated last line of \(droppedPartialBytes) bytes first" }
            if stoppedByBudget { line += "; time budget reached with \(remaining) left (run again to continue)" }
            return line
        }
    }
}
