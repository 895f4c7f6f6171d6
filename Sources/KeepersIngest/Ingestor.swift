import Foundation
import Synchronization
import KeepersBackbone
import KeepersCore
import KeepersGroups
import KeepersImaging

/// The ingest stage: photos folder in, stored images + manifest out.
public struct Ingestor {
    public let photos: URL
    public let layout: WorkLayout
    public let settings: IngestSettings
    public let threads: Int
    public let context: StageContext
    /// Writes a stored image; tests inject failures here.
    var storeImage: @Sendable (RGBImage, URL) throws -> Void = { try StoredImage.write($0, to: $1) }

    public init(photos: URL, layout: WorkLayout, settings: IngestSettings, threads: Int? = nil, context: StageContext) {
        self.photos = photos
        self.layout = layout
        self.settings = settings
        self.threads = resolvedThreadCount(threads ?? settings.threads)
        self.context = context
    }

    /// Fingerprint of everything that changes the stored pixels or which
    /// files are refused, the decode path included: when it changes, every
    /// photo is redone.
    var imageFingerprint: String {
        struct Key: Encodable { var image: ImageSettings; var maxPixels: Int; var decoder: String }
        return ContentHash.fingerprint(of: Key(image: settings.image, maxPixels: settings.maxPixels,
                                               decoder: DecodeRecipe.identity))
    }

    @discardableResult
    public func run() throws -> IngestSummary {
        let scan = try self.scan()
        let fingerprint = imageFingerprint
        let previous = IngestState.load(from: layout.ingestState, settings: fingerprint)
        let settingsChanged = try prepareImageFolder(fingerprint: fingerprint)

        let records = try processAll(scan.candidates, previous: previous.recordsByPath())
        // A machine fault stops the stage before anything is recorded: the
        // photos it hit are processed again by the next run.
        if let fault = records.lazy.compactMap(\.fault).first { throw fault }
        var resolution = DuplicateResolver.resolve(scan.candidates, records)
        resolution.rejected += scan.rejected
        resolution.rejected.sort { $0.source < $1.source }
        let manifest = plan(resolution.accepted)
        // Before the manifest: make takes a new manifest for a finished stage.
        try updateBackboneFeatures(ids: manifest.map(\.id), imageFingerprint: fingerprint)

        // Images are already in place; the manifest makes them visible, the
        // state file only saves work next time, so it goes last.
        // rejected.jsonl before the manifest: the manifest is what make
        // watches, so once it is new everything it summarises is too.
        try JSONLines.write(resolution.rejected, to: layout.rejected)
        try JSONLines.write(manifest, to: layout.manifest)
        let paths = scan.candidates.map { Data($0.relativePath).base64EncodedString() }
        try IngestState(settings: fingerprint, files: zip(paths, records).map { path, outcome in
            var record = outcome.record
            record.path = path
            return record
        }).write(to: layout.ingestState)
        removeOrphanImages(keeping: Set(manifest.map(\.id)))

        var summary = IngestSummary(manifest: manifest, rejected: resolution.rejected, scan: scan,
                                    decoded: records.filter { !$0.reused }.count, classes: settings.classes)
        summary.settingsChanged = settingsChanged
        return summary
    }

    /// The files to ingest, labelled, one per RAW+JPEG pair.
    func scan() throws -> ScanResult {
        let scanner = PhotoScanner(root: photos, classes: settings.classes)
        switch settings.labels {
        case .folders:
            return RawJpegPairing.apply(try scanner.scan(), prefer: settings.rawJpegPair)
        case .xmpRating:
            let paired = RawJpegPairing.apply(try scanner.scanTree(), prefer: settings.rawJpegPair)
            return RatingLabels(root: photos, settings: settings).apply(paired)
        }
    }

    private func processAll(_ candidates: [CandidateFile], previous: [Data: IngestState.FileRecord]) throws -> [Outcome] {
        let preprocessor = try PhotoPreprocessor(settings: settings.image, maxPixels: settings.maxPixels)
        if threads > 1 { Vips.setConcurrency(1) }
        let progress = context.progress("ingest", total: candidates.count, unit: "photos")
        let processor = FileProcessor(photosRoot: Array(photos.path.utf8), preprocessor: preprocessor, layout: layout,
                                      maxFileBytes: settings.maxFileBytes, storeImage: storeImage)
        let faulted = Atomic<Bool>(false)
        // One worker more than threads: each stored image is fsynced (crash
        // safety), and while one worker waits for the disk another decodes,
        // so the cores stay busy. The output does not depend on the count.
        let outcomes = parallelMap(count: candidates.count, threads: threads + 1) { index in
            let candidate = candidates[index]
            // After a machine fault (say, the disk is full) the rest would only fail too.
            if faulted.load(ordering: .relaxed) {
                return Outcome(record: .init(path: "", size: 0, mtimeNanoseconds: 0, sha256: ""), reused: false,
                               fault: EnvironmentFault(path: "", reason: "skipped after an earlier fault"))
            }
            let outcome = processor.process(candidate, previous: previous[Data(candidate.relativePath)])
            if outcome.fault != nil { faulted.store(true, ordering: .relaxed) }
            progress.advance()
            return outcome
        }
        progress.finish()
        return outcomes
    }

    /// Groups bursts, splits by group (or by whole sub-folder with
    /// `groups.whole_folders`), then repeats from the train split's class counts.
    func plan(_ accepted: [AcceptedPhoto]) -> [ManifestEntry] {
        let planner = SplitPlanner(settings: settings)
        let grouping = accepted.map(groupingPhoto)
        let groups = BurstGrouper.groups(grouping, settings: settings.groups, threads: threads)
        let splitUnits = settings.groups.wholeFolders
            ? SplitPlanner.wholeFolderUnits(groups: groups, folders: grouping.map(\.folder)) : groups
        var entries = zip(accepted, zip(groups, splitUnits)).map { photo, grouped in
            let (group, unit) = grouped
            return ManifestEntry(id: FileProcessor.id(sha256: photo.sha256), source: photo.source, label: photo.label,
                                 split: planner.split(group: unit), width: photo.width, height: photo.height,
                                 sha256: photo.sha256, repeat: 1, rating: photo.rating, labelSource: photo.labelSource,
                                 group: group, captured: photo.captured)
        }
        var trainCounts: [String: Int] = [:]
        for entry in entries where entry.split == .train { trainCounts[entry.label, default: 0] += 1 }
        let repeats = planner.repeats(trainCounts: trainCounts)
        for index in entries.indices where entries[index].split == .train {
            entries[index].repeat = repeats[entries[index].label] ?? 1
        }
        return entries
    }

    /// Grouping's view of a photo. Its folder leaves out the class folder, so
    /// the frames of one burst sorted into good/ and bad/ share a folder.
    func groupingPhoto(_ photo: AcceptedPhoto) -> GroupingPhoto {
        var components = photo.source.split(separator: "/", omittingEmptySubsequences: false).dropLast()
        if settings.labels == .folders { components = components.dropFirst() }
        // Every accepted photo has a signature (FileProcessor); a missing one would only mean "alone".
        let signature = photo.signature?.signature
            ?? VisualSignature(cells: [UInt8](repeating: 0, count: VisualSignature.side * VisualSignature.side))
        return GroupingPhoto(id: FileProcessor.id(sha256: photo.sha256), folder: components.joined(separator: "/"),
                             captured: photo.captured.flatMap(CaptureTime.init(text:)), signature: signature,
                             name: photo.source)
    }

    /// The stored images are valid for one set of image settings, recorded in
    /// `images/settings` before any image is written. A run killed part-way
    /// therefore keeps what it stored; changed settings start from empty.
    /// Returns true when images made with other settings were thrown away.
    private func prepareImageFolder(fingerprint: String) throws -> Bool {
        let marker = layout.ingestImages.appendingPathComponent("settings")
        let previous = try? String(contentsOf: marker, encoding: .utf8)
        if previous != fingerprint {
            try? FileManager.default.removeItem(at: layout.ingestImages)
            try FileManager.default.createDirectory(at: layout.ingestImages, withIntermediateDirectories: true)
            try AtomicFile.write(fingerprint, to: marker)
        }
        AtomicFile.removeStaleTemporaries(in: layout.ingestImages)
        AtomicFile.removeStaleTemporaries(in: layout.ingest)
        return previous != nil && previous != fingerprint
    }

    /// With `model.backbone`, each stored image's features (computed once);
    /// without, none are kept.
    private func updateBackboneFeatures(ids: [String], imageFingerprint: String) throws {
        guard let name = settings.backbone else {
            try? FileManager.default.removeItem(at: layout.ingestFeatures)
            return
        }
        let backbone = try BackboneWeightsFile.load(name: name, threads: threads)
        try BackboneFeatureStore(layout: layout, backbone: backbone, imageFingerprint: imageFingerprint, context: context)
            .update(ids: ids)
    }

    private func removeOrphanImages(keeping ids: Set<String>) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: layout.ingestImages.path) else { return }
        for name in names where name.hasSuffix(".png") && !ids.contains(String(name.dropLast(4))) {
            try? FileManager.default.removeItem(at: layout.ingestImages.appendingPathComponent(name))
        }
    }
}
