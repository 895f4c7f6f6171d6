import ArgumentParser
import Foundation
import KeepersCLI
import KeepersReport

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keepers-report",
        abstract: "Score the test split with the trained model and write work/<config>/report/ (index.html, figures, scores.csv, metrics.json).")

    @OptionGroup var pipeline: PipelineOptions

    @Option(help: "Compute threads (0 = one per core; default: train.threads).")
    var threads = 0

    func run() throws {
        let (config, layout) = try pipeline.loadForWriting(tool: "keepers-report")
        do {
            let text = try String(contentsOfFile: pipeline.config, encoding: .utf8)
            let result = try ReportStage(settings: config.report, train: config.train, name: config.name, configText: text, layout: layout,
                                         threads: threads).run()
            let auc = String(format: "%.3f", result.summary.auc)
            let ci = String(format: "%.3f-%.3f", result.summary.aucCILow, result.summary.aucCIHigh)
            print("report: \(layout.report.appendingPathComponent("index.html").relativePath)")
            print("test AUC \(auc) (95% CI \(ci)), \(result.misclassified) of \(result.summary.countPositive + result.summary.countNegative) test photos misclassified at 0.5")
        } catch {
            exitWithError("keepers-report", error)
        }
    }
}

ReportCommand.main()
