import ArgumentParser
import Foundation
import NASPredictors

struct PredictorsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predictors",
        abstract: "Inspect the per-device predictor bundles.",
        subcommands: [PredictorsReportCommand.self])
}

struct PredictorsReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Print a device's full cross-validation table (Markdown, or JSON with --json).")

    @Option(help: "Device id: \(DeviceSpec.allIDs.joined(separator: ", ")).", transform: DeviceID.parse) var device: DeviceID
    @Option(help: "Read the bundle from this directory instead of the shipped one.") var bundle: String?
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let predictor = try bundle.map { try DevicePredictor(directory: $0) } ?? PredictorCatalog.load(device: device.id)
        if json {
            print(predictor.manifest.reportJSON.serialized(pretty: true))
        } else {
            print(predictor.manifest.markdownReport(), terminator: "")
        }
    }
}
