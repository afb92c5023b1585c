import ArgumentParser

/// `--device pi4,xu4`: one or more known devices, each once, in the order given (the order of columns and plots).
struct DeviceList: ArgumentValue, Hashable, CustomStringConvertible {
    let devices: [DeviceID]

    init(parsingArgument text: String) throws {
        var devices: [DeviceID] = []
        for entry in text.split(separator: ",", omittingEmptySubsequences: false).map(String.init) {
            guard !entry.isEmpty else { throw ValidationError("empty device id (write ids separated by commas, e.g. pi4,xu4)") }
            let device = try DeviceID(parsingArgument: entry)
            guard !devices.contains(device) else { throw ValidationError("device '\(entry)' is given twice") }
            devices.append(device)
        }
        self.devices = devices
    }

    /// The ids, as the search and the predictor catalog take them.
    var ids: [String] { devices.map(\.id) }

    var description: String { ids.joined(separator: ",") }
}
