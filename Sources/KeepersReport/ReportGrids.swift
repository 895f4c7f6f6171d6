import Foundation
import KeepersCharts
import KeepersCulling
import KeepersImaging

/// samples.jpg and cam.jpg, and their figures for the page.
func writeGrids(_ inputs: ReportInputs, into writer: inout ReportFolder) throws -> [ReportPage.Figure] {
    let chosen = SampleGrid.select(inputs.photos, top: inputs.settings.gridTop, bottom: inputs.settings.gridBottom)
    let total = inputs.photos.count
    func sections(_ keep: (ScoredPhoto) -> Bool) -> [SampleSection] {
        [SampleSection(title: "Highest scored (\(chosen.highest.count) of \(total))", photos: chosen.highest.filter(keep)),
         SampleSection(title: "Lowest scored (\(chosen.lowest.count) of \(total))", photos: chosen.lowest.filter(keep))]
    }
    let legend = "Captions give the score (probability of \(inputs.positiveName)) and the true class; "
        + "a red frame marks a photo misclassified at threshold 0.5, its caption adds its first reason."
        + misclassifiedReasons(chosen.highest + chosen.lowest)
    let samples = try SampleGrid.render(sections { _ in true })
    try writer.write(StoredImage.jpegData(samples, quality: gridJPEGQuality), as: ReportFile.samples)
    var figures = [ReportPage.Figure(
        source: ReportFile.samples,
        caption: "The \(chosen.highest.count) highest- and \(chosen.lowest.count) lowest-scoring test photos. " + legend,
        alt: "Highest- and lowest-scoring test photos")]

    let mapped = sections { $0.cam != nil }
    guard mapped.contains(where: { !$0.photos.isEmpty }) else {
        try writer.remove(ReportFile.cam)
        return figures
    }
    let heat = try SampleGrid.render(mapped) { photo, fitted in
        // validate() has checked that cam, when present, matches its size.
        guard let cam = photo.cam else { return fitted }
        return CAMOverlay.overlay(fitted, cam: cam, width: photo.camWidth, height: photo.camHeight)
    }
    try writer.write(StoredImage.jpegData(heat, quality: gridJPEGQuality), as: ReportFile.cam)
    figures.append(ReportPage.Figure(
        source: ReportFile.cam,
        caption: "Class activation maps (Zhou et al. 2016) of the same photos: red marks the areas that add most "
            + "to the score for \(inputs.positiveName), blue the least; each map is scaled to its own range. " + legend,
        alt: "Class activation maps over the same photos"))
    return figures
}

/// " Reasons of the misclassified photos: a.jpg (0.213, good): too dark; noisy. ..."
/// for the caption under samples.jpg; empty when none is misclassified.
func misclassifiedReasons(_ photos: [ScoredPhoto]) -> String {
    let wrong = photos.filter { $0.isMisclassified && !$0.reasons.isEmpty }
    guard !wrong.isEmpty else { return "" }
    return " Reasons of the misclassified photos (what pulls each score down, docs/formats.md): "
        + wrong.map { photo in
            "\(photo.source) (" + String(format: "%.3f", photo.score) + ", \(photo.label)): \(Reason.text(photo.reasons))"
        }.joined(separator: ". ") + "."
}
