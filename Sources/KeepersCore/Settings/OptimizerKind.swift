/// Which optimiser trains the network: the config's `train.optimizer` and
/// `Optimizer.kind` are this one type (in Core, below both, like the other
/// plain settings values).
public enum OptimizerKind: String, Codable, Sendable, Equatable, CaseIterable {
    case adam, sgd
}
