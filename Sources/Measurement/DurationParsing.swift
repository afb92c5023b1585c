import Foundation

/// "30m", "2h", "1h30m", "90s" or plain seconds: how `--time-budget` is written.
public func parseDuration(_ text: String) throws -> Double {
    var total = 0.0
    var number = ""
    var sawUnit = false
    for ch in text.trimmingCharacters(in: .whitespaces) {
        if ch.isNumber || ch == "." { number.append(ch); continue }
        guard let v = Double(number) else { throw MeasurementError.invalidSettings("time budget '\(text)' is not like 30m, 2h, 1h30m or 90s") }
        switch ch {
        case "h": total += v * 3600
        case "m": total += v * 60
        case "s": total += v
        default: throw MeasurementError.invalidSettings("time budget '\(text)' has unknown unit '\(ch)' (use h, m or s)")
        }
        number = ""
        sawUnit = true
    }
    if !number.isEmpty {
        guard let v = Double(number), !sawUnit else { throw MeasurementError.invalidSettings("time budget '\(text)' is not like 30m, 2h, 1h30m or 90s") }
        total += v
    }
    guard total > 0 else { throw MeasurementError.invalidSettings("time budget '\(text)' must be positive") }
    return total
}
