import KeepersCore
import Foundation
import KeepersImaging
import KeepersReport

/// Inputs with known scores and labels: photo i (0-based) scores
/// (count - i) / (count + 1), so id order is score order, highest first.
/// Positives are those with `positive(i)`; misclassification at 0.5 follows.
enum ReportFixtures {
    static func photo(_ i: Int, count: Int, positive: Bool, source: String? = nil, width: Int = 96,
                      height: Int = 64, fill: RGBImage.Colour = (90, 140, 200)) -> ScoredPhoto {
        ScoredPhoto(id: String(format: "p%03d", i), source: source ?? "photos/\(i).jpg",
                    label: positive ? "good" : "bad", isPositive: positive,
                    score: Double(count - i) / Double(count + 1),
                    image: RGBImage(width: width, height: height, fill: fill))
    }

    /// 30 photos: the upper half mostly good, but 1, 4 and 27 are the wrong way round.
    static let flipped: Set<Int> = [1, 4, 27]
    static func photos(count: Int = 30) -> [ScoredPhoto] {
        (0..<count).map { i in
            let highHalf = Double(count - i) / Double(count + 1) >= 0.5
            return photo(i, count: count, positive: highHalf != flipped.contains(i))
        }
    }

    static func log() -> [TrainingLogRow] {
        (1...20).map { (k: Int) -> TrainingLogRow in
            let x = Double(k)
            var row = TrainingLogRow(step: k * 50, trainLoss: 0.7 / x.squareRoot(), trainAccuracy: 0.5 + x / 50)
            if k % 5 == 0 {
                row.valLoss = 0.6
                row.valAccuracy = 0.7
                row.valAUC = 0.75 + x / 200
            }
            return row
        }
    }

    static func inputs(photos: [ScoredPhoto] = photos(), log: [TrainingLogRow] = log()) -> ReportInputs {
        var settings = ReportSettings()
        settings.bootstrap = 200
        settings.seed = 7
        return ReportInputs(
            photos: photos, log: log, steps: 1000, parameters: 54_321,
            architecture: [ArchitectureRow(layer: "conv1 3x3", outputShape: "16x64x96", parameters: 448),
                           ArchitectureRow(layer: "dense", outputShape: "1", parameters: 49)],
            configText: "name: demo\n", settings: settings, smoothingWindow: 100, title: "Keepers report: test")
    }

    static func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("keepers-report-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// A minimal RFC 4180 reader, independent of the writer under test.
func parseCSV(_ text: String) -> [[String]] {
    var rows: [[String]] = [], row: [String] = [], field = ""
    var inQuotes = false
    var scalars = Array(text.unicodeScalars)[...]
    while let c = scalars.popFirst() {
        if inQuotes {
            if c == "\"" {
                if scalars.first == "\"" { field.unicodeScalars.append(scalars.removeFirst()) } else { inQuotes = false }
            } else { field.unicodeScalars.append(c) }
        } else if c == "\"" {
            inQuotes = true
        } else if c == "," {
            row.append(field)
            field = ""
        } else if c == "\r" && scalars.first == "\n" {
            scalars.removeFirst()
            row.append(field)
            rows.append(row)
            row = []
            field = ""
        } else { field.unicodeScalars.append(c) }
    }
    if !field.isEmpty || !row.isEmpty { rows.append(row + [field]) }
    return rows
}

func isRed(_ p: RGBImage.Colour) -> Bool { p.r > 170 && p.g < 90 && p.b < 90 }

func meanColour(_ image: RGBImage, x: Range<Int>, y: Range<Int>) -> (r: Double, g: Double, b: Double) {
    var sum = (0.0, 0.0, 0.0)
    for row in y { for column in x { let p = image[column, row]; sum.0 += Double(p.r); sum.1 += Double(p.g); sum.2 += Double(p.b) } }
    let n = Double(x.count * y.count)
    return (sum.0 / n, sum.1 / n, sum.2 / n)
}
