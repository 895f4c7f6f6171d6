// Measures the network engine: training images/s (forward, backward, Adam) at
// 320x480 and for a schedule cycling 320x480, 480x320, 272x480 batch by batch;
// inference images/s at 320x480; peak RSS. Warm-up, then the median of 3
// windows, like the anchors in shared/anchors (batch 4, random pixels).
//
// Usage: keepers-bench-network [--steps 100] [--warmup 20] [--threads 0] [--max-wait 0] [--kernels]
// Each window also reports how many cores other processes used meanwhile:
// on a shared machine that, not this program, is often what moves the numbers.
import ArgumentParser
import Foundation
import KeepersCore
import KeepersNetwork

struct Options: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keepers-bench-network",
        abstract: "Benchmark the network: training and inference images/s, peak RSS, and a weights hash for determinism.")

    @Option(help: "Steps in each of the three timed windows.") var steps = 100
    @Option(help: "Untimed steps before the windows.") var warmup = 20
    @Option(help: "Compute threads (0 = one per core).") var threads = 0
    @Flag(help: "List the oneDNN kernels a training step runs.") var kernels = false
    @Option(help: "Seconds to wait, before each window, for other processes to go idle.") var maxWait = 0.0

    func validate() throws {
        guard steps > 0 else { throw ValidationError("--steps must be at least 1") }
        guard warmup >= 0, threads >= 0, maxWait >= 0 else {
            throw ValidationError("--warmup, --threads and --max-wait must be 0 or more")
        }
    }

    func run() throws { try runBenchmarks(self) }
}

struct Shape: Hashable {
    let height: Int, width: Int
    var name: String { "\(height)x\(width)" }
}

let batch = 4
let shapes = [Shape(height: 320, width: 480), Shape(height: 480, width: 320), Shape(height: 272, width: 480)]

/// A few pre-made random batches per shape, normalised like real photos.
func makeBatches(_ shape: Shape, seed: UInt64) -> [(input: [Float], labels: [Float])] {
    var random = SequentialRandom(seed: seed)
    return (0..<4).map { _ in
        var input: [Float] = []
        for _ in 0..<batch {
            let rgb = (0..<(3 * shape.height * shape.width)).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            input += InputNormalisation.normalised(rgb, height: shape.height, width: shape.width)
        }
        return (input, (0..<batch).map { _ in Float(random.next() & 1) })
    }
}

func peakRSSMiB() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}

/// User + system CPU seconds of this process: on a busy machine it moves less
/// than wall time, so it helps compare variants (with OMP_WAIT_POLICY=passive).
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    let user = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
    return user + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
}

/// CPU seconds the whole machine has been busy (all processes), from /proc/stat.
func machineBusySeconds() -> Double {
    guard let stat = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
          let line = stat.split(separator: "\n").first else { return 0 }
    let ticks = line.split(separator: " ").dropFirst().compactMap { Double($0) }
    guard ticks.count >= 7 else { return 0 }
    // user, nice, system, idle, iowait, irq, softirq: everything but idle and iowait.
    return (ticks[0] + ticks[1] + ticks[2] + ticks[5] + ticks[6]) / Double(sysconf(Int32(_SC_CLK_TCK)))
}

/// Cores' worth of CPU that other processes used while `body` ran.
func othersLoad(_ body: () throws -> Void) rethrows -> (seconds: Double, otherCores: Double) {
    let (busy, own) = (machineBusySeconds(), cpuSeconds())
    let elapsed = try seconds(body)
    let others = (machineBusySeconds() - busy) - (cpuSeconds() - own)
    return (elapsed, max(0, others) / elapsed)
}

/// Waits (at most `limit` seconds) until other processes use under 0.1 cores.
func waitForQuiet(limit: Double) {
    let start = Date()
    while Date().timeIntervalSince(start) < limit {
        if othersLoad({ usleep(500_000) }).otherCores < 0.1 { return }
    }
}

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

/// Runs `step(i)` for warm-up, then three windows; prints and returns the median images/s.
func measure(_ label: String, options: Options, step: (Int) throws -> Void) rethrows -> Double {
    var counter = 0
    for _ in 0..<options.warmup {
        try step(counter)
        counter += 1
    }
    var rates: [Double] = [], loads: [Double] = []
    let cpuStart = cpuSeconds()
    for _ in 0..<3 {
        waitForQuiet(limit: options.maxWait)
        let (elapsed, others) = try othersLoad {
            for _ in 0..<options.steps {
                try step(counter)
                counter += 1
            }
        }
        rates.append(Double(options.steps * batch) / elapsed)
        loads.append(others)
    }
    let median = rates.sorted()[1]
    let cpuPerStep = 1000 * (cpuSeconds() - cpuStart) / Double(3 * options.steps)
    let windows = zip(rates, loads).map { String(format: "%.1f [others %.2f cores]", $0, $1) }.joined(separator: ", ")
    print(String(format: "%@: %.1f images/s (windows %@), CPU %.1f ms/step, peak RSS %.0f MiB", label, median, windows,
                 cpuPerStep, peakRSSMiB()))
    return median
}

/// FNV-1a over the weights' bits after a fixed short training run: equal in
/// every process for the same thread count.
func determinismHash(_ batches: [Shape: [(input: [Float], labels: [Float])]]) throws -> String {
    let network = try Network(model: ModelSettings(), seed: 1, threads: 2)
    var optimizer = Optimizer()
    for i in 0..<6 {
        let shape = shapes[i % 3]
        let (input, labels) = batches[shape]![i / 3]
        _ = try network.trainStep(input: input, labels: labels, batch: batch, height: shape.height, width: shape.width,
                                  optimizer: &optimizer)
    }
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for value in network.flatParameters {
        hash = (hash ^ UInt64(value.bitPattern)) &* 0x100_0000_01b3
    }
    return String(hash, radix: 16)
}

func runBenchmarks(_ options: Options) throws {
    let network = try Network(model: ModelSettings(), seed: 1, threads: options.threads)
    print("network: \(network.parameterCount) parameters, \(network.threads) threads, batch \(batch)")
    var batches: [Shape: [(input: [Float], labels: [Float])]] = [:]
    for (index, shape) in shapes.enumerated() { batches[shape] = makeBatches(shape, seed: UInt64(index + 1)) }
    print(String(format: "peak RSS after making data: %.0f MiB", peakRSSMiB()))

    // The trainer computes each image's statistics once and caches them
    // (an image is drawn ~90 times in a default run): so does the benchmark.
    var statistics: [Shape: [[[Float]]]] = [:]
    for shape in shapes {
        statistics[shape] = batches[shape]!.map { batchData in
            batchData.input.withUnsafeBufferPointer { pointer in
                let plane = 3 * shape.height * shape.width
                return (0..<batch).map {
                    ImageStatistics.compute(pointer.baseAddress! + $0 * plane, height: shape.height, width: shape.width)
                }
            }
        }
    }
    var optimizer = Optimizer()
    func train(_ shape: Shape, _ i: Int) throws {
        let (input, labels) = batches[shape]![i % 4]
        try input.withUnsafeBufferPointer {
            _ = try network.trainStep(input: $0.baseAddress!, labels: labels, batch: batch, height: shape.height,
                                      width: shape.width, optimizer: &optimizer, statistics: statistics[shape]![i % 4])
        }
    }

    let trained = try measure("train 320x480", options: options) { try train(shapes[0], $0) }
    // The anchor: the seed's head (average pooling, dense; no statistics, no
    // hidden layer), measured in the same run, so the ratio is what the
    // default head costs on this machine whatever else is running.
    var seedModel = ModelSettings()
    (seedModel.pooling, seedModel.statistics, seedModel.hidden) = (.average, false, 0)
    let seedNetwork = try Network(model: seedModel, seed: 1, threads: options.threads)
    var seedOptimizer = Optimizer()
    let seedTrained = try measure("train 320x480, the seed's head (anchor)", options: options) {
        let (input, labels) = batches[shapes[0]]![$0 % 4]
        _ = try seedNetwork.trainStep(input: input, labels: labels, batch: batch, height: 320, width: 480,
                                      optimizer: &seedOptimizer)
    }
    print(String(format: "training 320x480, default head / seed's head: %.2f", trained / seedTrained))
    _ = try measure("train mixed 320x480/480x320/272x480", options: options) {
        try train(shapes[$0 % 3], $0 / 3)
    }
    _ = try measure("infer 320x480", options: options) {
        let (input, _) = batches[shapes[0]]![$0 % 4]
        _ = try network.predictLogits(input: input, batch: batch, height: 320, width: 480)
    }
    // flip_average scores each photo and its mirror image: half the rate.
    var mirrored = ModelSettings()
    mirrored.flipAverage = true
    let twoPasses = try Network(model: mirrored, seed: 1, threads: options.threads)
    _ = try measure("infer 320x480, flip_average: true", options: options) {
        let (input, _) = batches[shapes[0]]![$0 % 4]
        _ = try twoPasses.predictLogits(input: input, batch: batch, height: 320, width: 480)
    }
    // The head's image statistics, part of every training step and scoring, on one thread.
    _ = measure("image statistics 320x480", options: options) {
        let (input, _) = batches[shapes[0]]![$0 % 4]
        let plane = 3 * 320 * 480
        input.withUnsafeBufferPointer { pointer in
            for b in 0..<batch { _ = ImageStatistics.compute(pointer.baseAddress! + b * plane, height: 320, width: 480) }
        }
    }
    // No fixed anchor figures here: they depend on the machine (AVX-512 or
    // not). Run ../shared/anchors/train/run.sh in the same session and compare.
    // Every shape has its plan now: more steps must not grow the peak RSS.
    let rssBefore = peakRSSMiB()
    for i in 0..<(3 * options.steps) { try train(shapes[i % 3], i / 3) }
    print(String(format: "peak RSS growth over %d more mixed steps: %.1f MiB", 3 * options.steps, peakRSSMiB() - rssBefore))
    print("weights hash after 6 mixed steps from seed 1 (compare across runs): \(try determinismHash(batches))")
    if options.kernels {
        print(network.kernelNames(batch: batch, height: 320, width: 480, training: true).joined(separator: "\n"))
    }
}

Options.main()
