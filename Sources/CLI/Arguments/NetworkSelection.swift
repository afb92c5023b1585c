import ArgumentParser

/// `--networks zoo` (the four networks of Sponner et al.'s full-network test) or architecture files.
enum NetworkSelection: ArgumentValue, Hashable, CustomStringConvertible {
    case zoo
    case files(PathList)

    static let zooNames = ["darknet19", "vgg16", "mobilenet_v1", "alexnet"]

    init(parsingArgument text: String) throws {
        self = text == "zoo" ? .zoo : .files(try PathList(parsingArgument: text))
    }

    var paths: [String] {
        switch self {
        case .zoo: return Self.zooNames.map { "SearchSpaces/zoo/\($0).json" }
        case .files(let list): return list.paths
        }
    }

    var description: String {
        switch self {
        case .zoo: return "zoo"
        case .files(let list): return list.description
        }
    }
}
