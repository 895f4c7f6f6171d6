import Foundation
import KeepersTestSupport
import Testing
@testable import KeepersCharts

@Suite struct ChartTests {
    let rocPoints: [(fpr: Double, tpr: Double)] = [(0, 0), (0, 0.5), (0.25, 0.75), (0.5, 1), (1, 1)]

    @Test func rocChartIsWellFormedWithCurveDiagonalAndLegend() throws {
        let svg = rocChart(points: rocPoints, auc: 0.9124, ci: (0.8512, 0.9601))
        let xml = XMLCheck(svg)
        #expect(xml.isWellFormed, "\(xml.parseError ?? "")")
        let root = try #require(xml.elements.first)
        #expect(root.name == "svg" && root.attributes["version"] == "1.1")
        #expect(root.attributes["viewBox"] == "0 0 560 600")
        #expect(root.attributes["font-family"]?.hasPrefix("DejaVu Sans") == true)
        let series = xml.withClass("series")
        #expect(series.count == 2)
        #expect(series.first?.attributes["data-name"] == "ROC (AUC 0.912, 95% CI 0.85-0.96)")
        // The chance line is dashed, the curve is not.
        #expect(series.last?.attributes["stroke-dasharray"] != nil)
        #expect(series.first?.attributes["stroke-dasharray"] == nil)
        #expect(xml.texts.contains("ROC (AUC 0.912, 95% CI 0.85-0.96)"))
        #expect(xml.texts.contains("Chance"))
        #expect(xml.texts.contains("False positive rate") && xml.texts.contains("True positive rate"))
        // Tick labels 0.0, 0.2, ..., 1.0 on both axes.
        for label in ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"] {
            #expect(xml.texts.filter { $0 == label }.count == 2, "tick label \(label)")
        }
        // The curve's polyline has one vertex per point.
        let polylines = xml.named("polyline")
        #expect(polylines.first?.attributes["points"]?.split(separator: " ").count == rocPoints.count)
    }

    @Test func rocLegendWithoutInterval() {
        #expect(rocLegend(auc: 0.5, ci: nil) == "ROC (AUC 0.500)")
    }

    @Test func textIsEscaped() throws {
        let hostile = "Loss & <accuracy> \"quoted\" 'single'\u{1}"
        let panel = ChartPanel(xAxis: Axis(title: hostile), yAxis: Axis(title: "y"),
                               series: [Series(name: hostile, points: [(0, 1), (1, 2)], color: "#000")])
        let svg = SVGDocument(title: hostile, panel: panel).render()
        #expect(!svg.contains("<accuracy>"))
        #expect(svg.contains("Loss &amp; &lt;accuracy&gt; &quot;quoted&quot; &#39;single&#39;"))
        let xml = XMLCheck(svg)
        #expect(xml.isWellFormed, "\(xml.parseError ?? "")")
        // Parsed back, the text reads as written (the control character replaced).
        let readBack = "Loss & <accuracy> \"quoted\" 'single'\u{FFFD}"
        #expect(xml.texts.filter { $0 == readBack }.count == 4)  // <title>, heading, legend, x axis
        #expect(xml.withClass("series").first?.attributes["data-name"] == readBack)
    }

    @Test func nonFiniteValuesBreakTheLine() {
        let panel = ChartPanel(xAxis: Axis(title: "x"), yAxis: Axis(title: "y"), series: [
            Series(name: "s", points: [(0, 1), (1, 2), (2, .nan), (3, 2), (4, 1)], color: "#000"),
        ])
        let xml = XMLCheck(SVGDocument(title: "t", panel: panel).render())
        #expect(xml.isWellFormed)
        #expect(xml.named("polyline").count == 2)
        #expect(!(xml.elements.flatMap(\.attributes.values).contains { $0.contains("nan") }))
    }

    @Test func trainingChartHasTwoPanelsAndAllSeries() throws {
        typealias Curve = [(batch: Double, value: Double)]
        let batches = (1...200).map(Double.init)
        let loss: Curve = batches.map { b -> (batch: Double, value: Double) in (b, 0.7 * exp(-b / 80) + 0.1) }
        let accuracy: Curve = batches.map { b -> (batch: Double, value: Double) in (b, 0.9 - 0.4 * exp(-b / 60)) }
        let evals: Curve = [50.0, 100, 150, 200].map { b -> (batch: Double, value: Double) in (b, 0.6 + b / 1000) }
        let curves = TrainingCurves(loss: loss, accuracy: accuracy, validationAUC: evals,
                                    validationAccuracy: evals.map { ($0.batch, $0.value - 0.05) }, smoothingWindow: 20)
        let xml = XMLCheck(trainingChart(curves))
        #expect(xml.isWellFormed, "\(xml.parseError ?? "")")
        #expect(xml.withClass("axes").count == 2)
        #expect(xml.named("clipPath").count == 2)
        let ids = Set(xml.named("clipPath").compactMap { $0.attributes["id"] })
        #expect(ids.count == 2, "clip path ids must be unique")
        let names = xml.withClass("series").compactMap { $0.attributes["data-name"] }
        #expect(names == ["Training loss (moving average of 20)", "Training accuracy (moving average of 20)",
                          "Validation accuracy", "Validation AUC"])
        // Validation runs are marked point by point.
        #expect(xml.named("circle").count == 2 * evals.count)
        #expect(xml.texts.contains("Batch"))
    }

    @Test func trainingChartLeavesOutEmptySeries() {
        let curves = TrainingCurves(loss: [(1, 0.7), (2, 0.6)], accuracy: [(1, 0.5), (2, 0.6)],
                                    validationAUC: [], validationAccuracy: [], smoothingWindow: 1)
        let xml = XMLCheck(trainingChart(curves))
        #expect(xml.isWellFormed)
        #expect(xml.withClass("series").count == 2)
        #expect(!xml.texts.contains("Validation AUC"))
    }

    @Test func validationLossJoinsTheLossPanel() {
        let curves = TrainingCurves(loss: [(1, 0.7), (2, 0.6)], accuracy: [], validationAUC: [], validationAccuracy: [],
                                    validationLoss: [(2, 0.65), (4, 0.62)], smoothingWindow: 1)
        let xml = XMLCheck(trainingChart(curves))
        #expect(xml.isWellFormed)
        let names = xml.withClass("series").compactMap { $0.attributes["data-name"] }
        #expect(names == ["Training loss (moving average of 1)", "Validation loss"])
        #expect(xml.named("circle").count == 2)
        // The batch axis reaches the last validation point, beyond the training curve.
        #expect(xml.texts.contains("4"))
    }

    @Test func rateAxisStaysWithinZeroAndOne() {
        let scale = Axis(title: "", bounds: 0...1).scale(for: [1, 1, 1])
        #expect(scale.lower >= 0 && scale.upper <= 1 && scale.upper == 1)
        let wide = Axis(title: "", bounds: 0...1).scale(for: [0.45, 0.97])
        #expect(wide.lower == 0.4 && wide.upper == 1)
    }
}

@Suite struct DecimateTests {
    @Test func keepsEnvelopeOfEachColumnInOrder() {
        // Ten points per unit column: 0, 1, -1, 0.5, ... with x in [0, 1).
        let ys: [Double] = [0, 1, -1, 0.5, 0.2, 0.3, 0.1, 0.4, 0.6, 0.7]
        let points = ys.enumerated().map { (x: Double($0.offset) / 10, y: $0.element) }
        let thinned = decimate(points, columnsPerUnit: 1)
        // First (0), highest (1), lowest (-1), last (0.7), in data order.
        #expect(thinned.map(\.y) == [0, 1, -1, 0.7])
    }

    @Test func longSeriesShrinksToAFewPointsPerColumn() {
        let points = (0..<10_000).map { (x: Double($0) * 0.05, y: Double($0 % 7)) }  // 500 units wide
        let thinned = decimate(points)
        #expect(thinned.count <= 4 * 1000)
        #expect(thinned.count >= 2 * 1000)
        #expect(thinned.first?.x == 0 && thinned.last?.x == points.last?.x)
        #expect(thinned.map(\.y).min() == 0 && thinned.map(\.y).max() == 6)
        // Non-decreasing x: the path still runs left to right.
        #expect(zip(thinned, thinned.dropFirst()).allSatisfy { $0.x <= $1.x })
    }

    @Test func shortSeriesAreUntouched() {
        let points: [(x: Double, y: Double)] = [(0, 0), (0.01, 5), (0.02, 1)]
        #expect(decimate(points).map(\.y) == [0, 5, 1])
    }
}
