import Foundation
import KeepersBackbone
import KeepersCore
import KeepersImaging

/// The backbone's features of every stored image, computed once:
/// `ingest/features/<id>.npy`, float32 [F], next to `images/<id>.png`. The
/// folder is valid for one backbone and one set of stored images, recorded in
/// `features/source` before any feature is written: another backbone, other
/// weights or other image settings empty it (and ingest says why); a run
/// killed part-way keeps what it computed.
struct BackboneFeatureStore {
    let layout: WorkLayout
    let backbone: PretrainedBackbone
    /// What the stored pixels came from (the images folder's marker).
    let imageFingerprint: String
    let context: StageContext

    /// What makes the features: the backbone's identity and the stored images' settings.
    var source: String { "\(backbone.identity.key) \(imageFingerprint)\n" }

    /// Computes the features of `ids` that are missing, removes those of
    /// images no longer in the manifest; returns how many it computed.
    @discardableResult
    func update(ids: [String]) throws -> Int {
        let folder = layout.ingestFeatures
        let marker = folder.appendingPathComponent("source")
        let previous = try? String(contentsOf: marker, encoding: .utf8)
        if previous != source {
            if let previous {
                context.say("backbone features: recomputing every image (they were made by "
                            + "\(previous.split(separator: " ").first ?? "?"), now by \(backbone.identity))")
            }
            try? FileManager.default.removeItem(at: folder)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try AtomicFile.write(source, to: marker)
        }
        AtomicFile.removeStaleTemporaries(in: folder)
        // Shape by shape: the backbone compiles a plan per image size and
        // keeps a few, so an archive of many sizes in manifest order would
        // recompile for nearly every image.
        let missing = try ids.filter { !FileManager.default.fileExists(atPath: layout.storedFeatures(id: $0).path) }
            .map { id in (id, try StoredImage.size(of: layout.storedImage(id: id))) }
            .sorted { ($0.1.height, $0.1.width, $0.0) < ($1.1.height, $1.1.width, $1.0) }.map(\.0)
        let progress = context.progress("backbone features", total: missing.count, unit: "images")
        for id in missing {
            let image = try StoredImage.read(layout.storedImage(id: id))
            let features = try backbone.features(pixels: image.pixels, height: image.height, width: image.width)
            let file = try NumpyFile.float32(features, shape: [features.count])
            do { try AtomicFile.write(file.data, to: layout.storedFeatures(id: id)) } catch {
                throw EnvironmentFault(path: layout.storedFeatures(id: id).path, reason: "\(error)")
            }
            progress.advance()
        }
        progress.finish()
        removeOrphans(keeping: Set(ids))
        return missing.count
    }

    private func removeOrphans(keeping ids: Set<String>) {
        let folder = layout.ingestFeatures
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return }
        for name in names where name.hasSuffix(".npy") && !ids.contains(String(name.dropLast(4))) {
            try? FileManager.default.removeItem(at: folder.appendingPathComponent(name))
        }
    }
}
