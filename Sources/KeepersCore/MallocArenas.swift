#if canImport(Glibc)
import Glibc
#endif

/// glibc's malloc gives each thread that allocates its own arena (up to 8
/// per core), and memory freed in one arena is not reused by the others: a
/// stage whose workers decode photo after photo keeps a high-water mark per
/// worker. With one arena, `keepers-predict` on 519 real JPEGs peaked at
/// 365-379 MiB instead of 429-462 and ran as fast or faster, and ingest's
/// peak on 3,000 small photos fell from 104 to 83 MB (docs/benchmarks.md,
/// "One malloc arena", has the figures). The workers allocate little in their
/// loops (buffers are reused), so the shared arena's lock is not contended.
public enum MallocArenas {
    /// One arena for the whole process; call before the first worker thread
    /// starts. `mallopt` lives in <malloc.h>, which Swift's Glibc module does
    /// not import; it and `malloc_trim` are looked up by name rather than
    /// through a C module of their own for two calls.
    public static func useOne() {
        #if canImport(Glibc)
        let arenaMax: Int32 = -8  // M_ARENA_MAX in <malloc.h>
        _ = glibc("mallopt", as: (@convention(c) (Int32, Int32) -> Int32).self)?(arenaMax, 1)
        #endif
    }

    /// Hands the free pages inside the heap back to the system
    /// (`malloc_trim(0)`, also in <malloc.h>). Photo-sized buffers freed
    /// between long-lived small allocations leave holes that glibc keeps;
    /// over a library of many photos they, not live data, made most of
    /// predict's growth in peak RSS (docs/benchmarks.md, "Scale"). Cheap
    /// once per chunk of photos; never changes what the program computes.
    public static func returnFreePages() {
        #if canImport(Glibc)
        _ = trim?(0)
        #endif
    }

    #if canImport(Glibc)
    /// Looked up once: `returnFreePages` runs after every chunk of photos.
    private static let trim = glibc("malloc_trim", as: (@convention(c) (Int) -> Int32).self)

    /// A function of glibc's by name (RTLD_DEFAULT), typed as `type`.
    private static func glibc<Function>(_ name: String, as type: Function.Type) -> Function? {
        dlsym(UnsafeMutableRawPointer(bitPattern: 0), name).map { unsafeBitCast($0, to: type) }
    }
    #endif
}
