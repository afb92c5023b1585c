import Foundation

/// Durations as people read them in progress lines and summaries: "12.3s", "3m05s", "1h02m".
public enum DurationText {
    /// Tenths of a second below a minute, whole seconds below an hour, whole minutes above.
    public static func format(_ seconds: Double) -> String {
        let t = Int(seconds.rounded())
        if t >= 3600 { return "\(t / 3600)h\(String(format: "%02d", (t % 3600) / 60))m" }
        if t >= 60 { return "\(t / 60)m\(String(format: "%02d", t % 60))s" }
        return String(format: "%.1fs", seconds)
    }
}
