/// What is wrong with an architecture, said in one line that names the layer.
public struct ArchitectureError: Error, CustomStringConvertible, Equatable, Sendable {
    /// Index of the layer in the `layers` array, or nil for the network as a whole.
    public var layerIndex: Int?
    public var layerName: String?
    public var message: String

    public init(layerIndex: Int? = nil, layerName: String? = nil, _ message: String) {
        self.layerIndex = layerIndex
        self.layerName = layerName
        self.message = message
    }

    public var description: String {
        switch (layerIndex, layerName) {
        case let (i?, n?): return "layer \(i) '\(n)': \(message)"
        case let (i?, nil): return "layer \(i): \(message)"
        default: return message
        }
    }
}
