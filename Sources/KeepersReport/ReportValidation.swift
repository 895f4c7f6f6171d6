import KeepersCore

extension ReportInputs {
    /// Refuses inputs that would give a wrong report rather than an error:
    /// duplicate ids (scores.csv rows could not be told apart), scores that
    /// are not probabilities, and maps whose size does not match their values.
    func validate() throws {
        guard !photos.isEmpty else { throw KeepersError.invalidArgument("the report needs at least one scored photo") }
        var seen = Set<String>()
        for photo in photos {
            guard seen.insert(photo.id).inserted else {
                throw KeepersError.invalidArgument("photo id \(photo.id) appears more than once")
            }
            guard photo.score.isFinite, (0...1).contains(photo.score) else {
                throw KeepersError.invalidArgument("photo \(photo.id): score \(photo.score) is not a probability in 0...1")
            }
            if let image = photo.image, image.width == 0 || image.height == 0 {
                throw KeepersError.invalidArgument("photo \(photo.id): image is empty")
            }
            if let cam = photo.cam {
                guard photo.camWidth > 0, photo.camHeight > 0, cam.count == photo.camWidth * photo.camHeight else {
                    throw KeepersError.invalidArgument("photo \(photo.id): activation map has \(cam.count) values "
                        + "but is declared \(photo.camWidth)x\(photo.camHeight)")
                }
                guard cam.allSatisfy(\.isFinite) else {
                    throw KeepersError.invalidArgument("photo \(photo.id): activation map has a non-finite value")
                }
            }
        }
        for id in Self.photosShown(photos, settings: settings).sorted()
        where photos.first(where: { $0.id == id })?.image == nil {
            throw KeepersError.invalidArgument("photo \(id) is shown in the sample grid but has no image")
        }
        guard smoothingWindow >= 1 else {
            throw KeepersError.invalidArgument("smoothing window must be at least 1, got \(smoothingWindow)")
        }
        guard settings.gridTop >= 0, settings.gridBottom >= 0 else {
            throw KeepersError.invalidArgument("grid sizes must not be negative")
        }
    }
}
