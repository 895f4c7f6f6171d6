import Foundation
import KeepersCore
import KeepersGroups
import KeepersImaging
import KeepersMetrics
import Testing
@testable import KeepersSamples

@Suite struct SampleGeneratorTests {
    @Test func theSetHasTheSeedsClassBalanceAndVariedShapes() {
        let recipes = SampleGenerator().recipes()
        #expect(recipes.count == 400)
        let good = recipes.filter(\.good).count
        #expect(good == 101 + 10)  // 28% of the 360 singles, and the first frame of each of 10 bursts
        let aspects = Set(recipes.map { Double($0.width) / Double($0.height) }.map { ($0 * 10).rounded() / 10 })
        #expect(aspects.isSuperset(of: [1.5, 1.3, 1.8, 0.7, 1.0]))
        #expect(recipes.allSatisfy { max($0.width, $0.height) >= 800 && max($0.width, $0.height) <= 2400 })
        #expect(recipes.filter { $0.orientation != 1 }.count >= 10)
        #expect(recipes.filter { !$0.good }.allSatisfy { (1...2).contains($0.defects.count) })
        #expect(recipes.prefix(360).allSatisfy { !$0.defects.contains(.shaken) })
        #expect(recipes.filter(\.good).allSatisfy { $0.defects.isEmpty })
        #expect(Set(recipes.flatMap(\.defects)) == Set(Defect.allCases))
    }

    @Test func burstsAreFourFramesOfOneSceneAFractionOfASecondApart() throws {
        let recipes = SampleGenerator().recipes()
        let times = recipes.map { CaptureTime(exifDateTime: $0.captured!, subSeconds: $0.subSeconds)!.milliseconds }
        #expect(zip(times, times.dropFirst()).allSatisfy { $0 < $1 })
        for start in stride(from: 360, to: 400, by: 4) {
            let frames = Array(recipes[start..<(start + 4)])
            #expect(frames.map(\.good) == [true, false, false, false])
            #expect(Set(frames.map(\.textureSeed)).count == 1 && Set(frames.map(\.horizon)).count == 1)
            #expect(frames.map(\.defects) == [[], [.underexposed], [.shaken], [.overexposed]])
            #expect((start + 1..<start + 4).allSatisfy { times[$0] - times[$0 - 1] == 300 })
            #expect(times[start] - times[start - 1] >= 20_000)
        }
        // Singles are far apart in time: no two of them can be one burst.
        #expect((1..<360).allSatisfy { times[$0] - times[$0 - 1] >= 20_000 })
    }

    @Test func photosAreDeterministic() throws {
        let recipe = SampleGenerator().recipes()[5]
        var small = recipe
        small.width /= 8
        small.height /= 8
        #expect(try SampleGenerator.encode(small) == SampleGenerator.encode(small))
    }

    @Test func rotatedFilesComeOutUprightThroughIngestPreprocessing() throws {
        var generator = SampleGenerator()
        generator.sizeScale = 0.15
        let recipe = try #require(generator.recipes().first { $0.orientation == 6 })
        let upright = try SampleGenerator.render(recipe)
        var settings = ImageSettings()
        settings.width = 64
        settings.heightQuantum = 1
        settings.minAspect = 0.1
        settings.maxAspect = 10
        let preprocessor = try PhotoPreprocessor(settings: settings, maxPixels: 10_000_000)
        let decoded = try preprocessor.process(SampleGenerator.encode(recipe))
        let reference = try preprocessor.process(PhotoEncoder.encode(upright, as: .png))
        #expect(decoded.width == reference.width && decoded.height == reference.height)
        let diff = zip(decoded.pixels, reference.pixels).map { abs(Int($0) - Int($1)) }.reduce(0, +)
        #expect(Double(diff) / Double(diff == 0 ? 1 : decoded.pixels.count) < 12)
    }

    /// The classes must not be separable by one global number: otherwise the
    /// network would learn that number instead of the photographer's taste.
    @Test func noSingleGlobalStatisticSeparatesTheClasses() throws {
        var generator = SampleGenerator()
        generator.sizeScale = 0.1
        let recipes = generator.recipes()
        var brightness: [Double] = [], saturation: [Double] = [], size: [Double] = [], aspect: [Double] = []
        for recipe in recipes {
            let image = try SampleGenerator.render(recipe)
            var sumV = 0.0, sumS = 0.0
            for i in stride(from: 0, to: image.pixels.count, by: 3) {
                let r = Double(image.pixels[i]), g = Double(image.pixels[i + 1]), b = Double(image.pixels[i + 2])
                let high = max(r, g, b), low = min(r, g, b)
                sumV += (r + g + b) / 3
                sumS += high > 0 ? (high - low) / high : 0
            }
            let n = Double(image.width * image.height)
            brightness.append(sumV / n)
            saturation.append(sumS / n)
            size.append(Double(recipe.width * recipe.height))
            aspect.append(Double(recipe.width) / Double(recipe.height))
        }
        let labels = recipes.map(\.good)
        for (name, values) in [("brightness", brightness), ("saturation", saturation), ("size", size), ("aspect", aspect)] {
            let auc = try rocAUC(scores: values, labels: labels)
            #expect(max(auc, 1 - auc) <= 0.75, "\(name) separates the classes with AUC \(auc)")
        }
    }
}
