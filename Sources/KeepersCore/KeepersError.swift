/// Errors that name the file and what is wrong with it.
public enum KeepersError: Error, CustomStringConvertible, Equatable {
    case io(path: String, reason: String)
    case format(path: String, reason: String)
    case invalidArgument(String)

    public var description: String {
        switch self {
        case let .io(path, reason): return "\(path): \(reason)"
        case let .format(path, reason): return "\(path): \(reason)"
        case let .invalidArgument(message): return message
        }
    }
}
