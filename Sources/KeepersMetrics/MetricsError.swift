/// Why a metric could not be computed. Each case says what the caller passed,
/// so a report that fails names the cause instead of printing NaN.
public enum MetricsError: Error, CustomStringConvertible, Equatable, Sendable {
    case empty
    case lengthMismatch(scores: Int, labels: Int)
    case nonFiniteScore(index: Int)
    /// ROC AUC and its bootstrap need at least one example of each class.
    case singleClass(positives: Int, negatives: Int)
    case invalidParameter(String)

    public var description: String {
        switch self {
        case .empty:
            return "no scores were given"
        case let .lengthMismatch(scores, labels):
            return "\(scores) scores but \(labels) labels; each score needs exactly one label"
        case let .nonFiniteScore(index):
            return "score at index \(index) is not a finite number"
        case let .singleClass(positives, negatives):
            return "ROC AUC needs both classes, but there are \(positives) positive (good) and "
                + "\(negatives) negative (bad) examples"
        case let .invalidParameter(message):
            return message
        }
    }
}
