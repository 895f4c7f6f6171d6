import Foundation

extension MetricsSummary {
    /// The report's key-numbers table as (name, value) rows, formatted for
    /// reading: AUC to three decimals and its interval to two (a third digit
    /// of an interval is noise), accuracies as percentages with the counts
    /// they come from, so a reader can check them.
    ///
    /// - Parameters: positiveName, negativeName: the class names, e.g. "good", "bad".
    /// The groups line, when the manifest's groups are known.
    var groupNumbers: [(name: String, value: String)] {
        guard let groups, let testGroups else { return [] }
        return [("Groups (bursts)", "\(grouped(groups.groups)) in all, largest \(grouped(groups.largest)) photos; "
            + "\(grouped(testGroups.groups)) in the test split, each whole in it (the AUC counts photos)")]
    }

    public func keyNumbers(positiveName: String = "good", negativeName: String = "bad") -> [(name: String, value: String)] {
        [
            ("Test ROC AUC", "\(fixed(auc, 3)) (95% CI \(fixed(aucCILow, 2))-\(fixed(aucCIHigh, 2)), "
                + "\(grouped(bootstrap)) bootstrap resamples)"),
        ] + (valAUC.map { [("Validation ROC AUC of this model", fixed($0, 3))] } ?? []) + [
            ("Accuracy at threshold 0.5", "\(percent(accuracyAt05)) (\(counts(confusionAt05)))"),
            ("Youden threshold", "\(fixed(youdenThreshold, 3)) (J = \(fixed(youdenJ, 3)))"),
            ("Accuracy at Youden threshold", "\(percent(accuracyAtYouden)) (\(counts(confusionAtYouden)))"),
            ("Test photos", "\(grouped(countPositive + countNegative)) (\(grouped(countPositive)) \(positiveName), "
                + "\(grouped(countNegative)) \(negativeName))"),
        ] + groupNumbers + [
            ("Training steps", grouped(steps)),
            ("Model parameters", grouped(parameters)),
        ]
    }
}

private func fixed(_ value: Double, _ decimals: Int) -> String { String(format: "%.\(decimals)f", value) }

private func percent(_ fraction: Double) -> String { fixed(fraction * 100, 1) + "%" }

private func counts(_ c: Confusion) -> String { "TP \(c.tp), FP \(c.fp), TN \(c.tn), FN \(c.fn)" }

/// 1234567 -> "1,234,567" whatever the machine's locale.
func grouped(_ value: Int) -> String {
    let digits = Array(String(value.magnitude))
    var out = ""
    for (index, digit) in digits.enumerated() {
        if index > 0 && (digits.count - index) % 3 == 0 { out.append(",") }
        out.append(digit)
    }
    return (value < 0 ? "-" : "") + out
}
