import Foundation
import KeepersCore
import KeepersGroups
import KeepersImaging

/// The result of looking at one file.
struct Outcome: Sendable {
    var record: IngestState.FileRecord
    /// True when the previous run's result was reused without decoding.
    var reused: Bool
    /// Set when the machine failed (see `EnvironmentFault`): the record is
    /// then not a verdict on the photo and must not be kept.
    var fault: EnvironmentFault? = nil

    var accepted: Bool { record.reason == nil }
}

/// Hashes, decodes and stores one photo. Stored images are content-addressed
/// (`images/<first 16 hex of sha256>.png`), so a photo that was already
/// stored, under this name or another, is never decoded twice.
struct FileProcessor: Sendable {
    let photosRoot: [UInt8]
    let preprocessor: PhotoPreprocessor
    let layout: WorkLayout
    let maxFileBytes: Int
    /// Writes a stored image; tests inject failures here.
    var storeImage: @Sendable (RGBImage, URL) throws -> Void = { try StoredImage.write($0, to: $1) }

    static func id(sha256: String) -> String { String(sha256.prefix(16)) }

    func process(_ candidate: CandidateFile, previous: IngestState.FileRecord?) -> Outcome {
        let path = photosRoot + [0x2F] + candidate.relativePath
        var record = IngestState.FileRecord(path: "", size: 0, mtimeNanoseconds: 0, sha256: "")
        guard let signature = FileSignature(path: path) else {
            let code = errno
            record.reason = "cannot stat: \(String(cString: strerror(code)))"
            let fault = EnvironmentFault.isTransientRead(code)
                ? EnvironmentFault(path: candidate.source, reason: record.reason!) : nil
            return Outcome(record: record, reused: false, fault: fault)
        }
        record.size = signature.size
        record.mtimeNanoseconds = signature.mtimeNanoseconds
        if let previous, previous.size == signature.size, previous.mtimeNanoseconds == signature.mtimeNanoseconds,
           !previous.sha256.isEmpty,
           previous.reason != nil
               || (previous.signature != nil && FileManager.default.fileExists(atPath: storedURL(previous.sha256).path)) {
            var reused = previous
            reused.path = ""
            return Outcome(record: reused, reused: true)
        }
        let bytes: Data
        do { bytes = try readFile(path, maxBytes: maxFileBytes) } catch let fault as EnvironmentFault {
            return Outcome(record: record, reused: false, fault: fault)
        } catch let error as KeepersError {
            if case let .io(_, reason) = error { record.reason = reason } else { record.reason = "\(error)" }
            return Outcome(record: record, reused: false)
        } catch {
            record.reason = "cannot read: \(error)"
            return Outcome(record: record, reused: false)
        }
        record.sha256 = ContentHash.sha256(bytes)
        let stored = storedURL(record.sha256)
        do {
            if FileManager.default.fileExists(atPath: stored.path) {
                // Stored by an earlier (perhaps interrupted) run, or under another name.
                let image = try StoredImage.read(stored)
                (record.width, record.height) = (image.width, image.height)
                record.noteGroupingFacts(image, clock: CameraClock.read(bytes))
                return Outcome(record: record, reused: true)
            } else {
                let (image, clock) = try preprocessor.processWithClock(bytes)
                // The photo decoded; failing to store it is the work
                // directory's fault (disk full, I/O error, permissions, a
                // temporary file removed under us), never the photo's.
                do { try storeImage(image, stored) } catch {
                    return Outcome(record: record, reused: false,
                                   fault: EnvironmentFault(path: stored.path, reason: "cannot store the decoded photo: \(error)"))
                }
                (record.width, record.height) = (image.width, image.height)
                record.noteGroupingFacts(image, clock: clock)
            }
        } catch {
            record.reason = "\(error)"
        }
        return Outcome(record: record, reused: false)
    }

    func storedURL(_ sha256: String) -> URL { layout.storedImage(id: Self.id(sha256: sha256)) }
}

extension IngestState.FileRecord {
    /// The capture time and visual signature of an accepted photo, from its
    /// camera clock and its stored image.
    mutating func noteGroupingFacts(_ stored: RGBImage, clock: CameraClock?) {
        captured = clock.flatMap { CaptureTime(exifDateTime: $0.dateTime, subSeconds: $0.subSeconds) }?.text
        signature = SignatureCells(VisualSignature(rgb: stored.pixels, width: stored.width, height: stored.height))
    }
}
