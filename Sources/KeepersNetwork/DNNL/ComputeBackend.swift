internal import CDNNL

/// What computes the network's sums, as far as it changes their last bits:
/// oneDNN's version and the instruction set its kernels use on this machine
/// (AVX2 and AVX-512 kernels add in different orders). Recorded with the
/// thread count in checkpoints and model.h5, so that a run resumed on another
/// machine or library says it is no longer bitwise reproducible.
public enum ComputeBackend {
    /// "oneDNN 2.6.3 (52b5f107), avx512_core".
    public static var current: String {
        let version = dnnl_version().pointee
        let hash = version.hash.map { String(cString: $0) } ?? ""
        let build = hash.isEmpty ? "" : " (\(hash.prefix(8)))"
        return "oneDNN \(version.major).\(version.minor).\(version.patch)\(build), \(isaName(dnnl_get_effective_cpu_isa()))"
    }

    static func isaName(_ isa: dnnl_cpu_isa_t) -> String {
        switch isa {
        case dnnl_cpu_isa_sse41: return "sse41"
        case dnnl_cpu_isa_avx: return "avx"
        case dnnl_cpu_isa_avx2: return "avx2"
        case dnnl_cpu_isa_avx2_vnni: return "avx2_vnni"
        case dnnl_cpu_isa_avx512_mic: return "avx512_mic"
        case dnnl_cpu_isa_avx512_mic_4ops: return "avx512_mic_4ops"
        case dnnl_cpu_isa_avx512_core: return "avx512_core"
        case dnnl_cpu_isa_avx512_core_vnni: return "avx512_core_vnni"
        case dnnl_cpu_isa_avx512_core_bf16: return "avx512_core_bf16"
        case dnnl_cpu_isa_avx512_core_amx: return "avx512_core_amx"
        default: return "isa 0x\(String(isa.rawValue, radix: 16))"
        }
    }
}
