internal import CDNNL

/// A oneDNN call that failed, named with the call and the status oneDNN returned.
public struct DNNLError: Error, CustomStringConvertible {
    public let call: String
    public let status: String
    public var description: String { "oneDNN \(call) failed: \(status)" }
}

/// The one place every dnnl status goes through: C status codes are silently
/// discardable in Swift, so an unchecked call would hide a failure.
@inline(__always)
func check(_ status: dnnl_status_t, _ call: @autoclosure () -> String) throws {
    guard status == dnnl_success else { throw DNNLError(call: call(), status: statusName(status)) }
}

func statusName(_ status: dnnl_status_t) -> String {
    switch status {
    case dnnl_success: return "success"
    case dnnl_out_of_memory: return "out_of_memory"
    case dnnl_invalid_arguments: return "invalid_arguments"
    case dnnl_unimplemented: return "unimplemented"
    case dnnl_iterator_ends: return "iterator_ends"
    case dnnl_runtime_error: return "runtime_error"
    case dnnl_not_required: return "not_required"
    default: return "status \(status.rawValue)"
    }
}
