import Foundation
import NASArchitecture
import NASSearch

/// Per-device budgets from a JSON file: `{"pi4": {"latency": "20ms"}, "a100": {"latency": "2ms", "memory": "1GiB"}}`.
public enum BudgetFile {
    public static func load(path: String, devices: [String]) throws -> [Budget] {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw SearchError("\(path): cannot read file")
        }
        let root: JSONValue
        do { root = try JSONValue.parse(data) } catch { throw SearchError("\(path): \(error)") }
        guard let object = root.objectValue else { throw SearchError("\(path): expected an object of device → {metric: budget}") }
        var budgets: [Budget] = []
        for device in object.keys.sorted() {
            guard devices.contains(device) else {
                throw SearchError("\(path): device '\(device)' is not among --device (\(devices.joined(separator: ", ")))")
            }
            guard let metrics = object[device]?.objectValue else {
                throw SearchError("\(path): '\(device)' must be an object like {\"latency\": \"20ms\"}")
            }
            for key in metrics.keys.sorted() {
                guard let metric = CostMetric(rawValue: key) else {
                    throw SearchError("\(path): \(device).\(key): unknown metric (use latency, energy or memory)")
                }
                guard let text = metrics[key]?.stringValue else {
                    throw SearchError("\(path): \(device).\(key): the budget must be a string with a unit, e.g. \"20ms\"")
                }
                do {
                    budgets.append(Budget(device: device, metric: metric, limit: try Quantity.parse(text, metric: metric), given: text))
                } catch let e as SearchError {
                    throw SearchError("\(path): \(device).\(key): \(e.message)")
                }
            }
        }
        return budgets
    }
}
