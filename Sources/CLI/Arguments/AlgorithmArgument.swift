import ArgumentParser
import NASSearch

/// `--algorithm random|evolution|nsga2`: an algorithm with its default settings, which other options then adjust.
struct AlgorithmArgument: ExpressibleByArgument, Hashable {
    let defaults: AlgorithmSettings

    init?(argument: String) {
        guard let settings = try? AlgorithmSettings.defaults(named: argument) else { return nil }
        defaults = settings
    }

    static var allValueStrings: [String] {
        [AlgorithmSettings.defaultRandom, .defaultEvolution, .defaultNSGA2].map(\.name)
    }

    static var defaultCompletionKind: CompletionKind { .list(allValueStrings) }

    var defaultValueDescription: String { defaults.name }
}
