/// Misuse of the network API (oneDNN failures are `DNNLError`).
public enum NetworkError: Error, CustomStringConvertible, Equatable {
    case invalidModel(String)
    case invalidInput(String)
    case invalidParameters(String)

    public var description: String {
        switch self {
        case let .invalidModel(message): return "invalid model: \(message)"
        case let .invalidInput(message): return "invalid input: \(message)"
        case let .invalidParameters(message): return "invalid parameters: \(message)"
        }
    }
}
