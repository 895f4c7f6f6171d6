import Foundation
import KeepersHDF5
let url = URL(fileURLWithPath: "/tmp/cut2.h5")
let file = try HDF5File.create(at: url)
try file.createDataset("x", values: [Double](repeating: 1, count: 10_000))
try file.close()
let bytes = try Data(contentsOf: url)
try bytes.prefix(bytes.count / 2).write(to: url)
print("opening")
do { _ = try HDF5File.open(at: url) } catch { print("caught: \(error)") }
