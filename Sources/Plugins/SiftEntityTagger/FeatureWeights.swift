import SiftTextToolkit

/// The weights of the tagger's passes: one row per feature, with every pass's tag weights side
/// by side, found by the feature's 64-bit hash.
///
/// Laid out for the look-ups that dominate tagging, a dozen per token into some 85,000
/// features, most of them misses in the processor's caches:
/// - a slot is 4 bytes, the feature's row and a fingerprint of the feature in the bits the row
///   leaves (15 for 85,000 rows), so that a probe reads one compact array (about 512 KB, mostly
///   in the processor's second-level cache) and a feature the model lacks — most pairs of words
///   — seldom reads anything else;
/// - a row is one cache line: the feature's full hash (compared when the fingerprint matches,
///   so that no feature is taken for another) and every pass's weights in half precision, the
///   precision the model file keeps, where separate single-precision rows per pass took three
///   lines.
struct FeatureWeights: Sendable {
    /// The number of passes.
    let passCount: Int
    /// Weights per row: ``EntityTagSet/count`` per pass.
    let width: Int
    /// `fingerprint << rowBits | (row + 1)`; 0 marks an empty slot.
    private let slots: [UInt32]
    private let mask: Int
    /// The bits of a slot that hold the row (plus one).
    private let rowBits: UInt32
    /// The passes that have each row's feature (a bit per pass).
    let passes: [UInt8]
    private let rows: Rows

    private static let tagCount = EntityTagSet.count

    /// Rows of ``Rows/stride`` bytes on cache-line boundaries: the feature's hash, then `width`
    /// `Float16` bit patterns, all finite. Written once, in ``FeatureWeights/init(passes:)``.
    private final class Rows: @unchecked Sendable {
        static let stride = 64
        let base: UnsafeMutableRawPointer
        let count: Int

        init(count: Int) {
            self.count = count
            base = .allocate(byteCount: max(count, 1) * Self.stride, alignment: Self.stride)
            base.initializeMemory(as: UInt8.self, repeating: 0, count: max(count, 1) * Self.stride)
        }

        deinit { base.deallocate() }

        @inline(__always)
        func feature(_ row: Int) -> UInt64 { base.load(fromByteOffset: row * Self.stride, as: UInt64.self) }

        @inline(__always)
        func halves(_ row: Int) -> UnsafeMutablePointer<UInt16> {
            (base + row * Self.stride + 8).assumingMemoryBound(to: UInt16.self)
        }
    }

    /// One pass's features and their weights as `Float16` bit patterns (`tagCount` per feature).
    struct Pass {
        var features: [UInt64]
        var halves: [UInt16]
    }

    /// Builds the rows of the passes' features (each pass lists a feature once).
    /// - Throws: ``EntityModelError`` (`.malformed`) when a weight is not a finite number.
    init(passes: [Pass]) throws {
        let tagCount = Self.tagCount
        passCount = passes.count
        width = passes.count * tagCount
        precondition(8 + 2 * width <= Rows.stride, "a row holds at most \((Rows.stride - 8) / 2 / tagCount) passes")
        // The rows in increasing order of feature, by merging the passes' sorted lists: a file's
        // are sorted already (their order is then nil), and hashing every feature into a map was
        // most of a model's load.
        let orders = passes.map { pass in
            zip(pass.features, pass.features.dropFirst()).allSatisfy { $0 < $1 }
                ? nil : pass.features.indices.sorted { pass.features[$0] < pass.features[$1] }
        }
        func index(_ pass: Int, _ position: Int) -> Int { orders[pass]?[position] ?? position }
        var rowOf = passes.map { [Int32](repeating: 0, count: $0.features.count) }
        var cursors = [Int](repeating: 0, count: passes.count)
        var features: [UInt64] = []
        features.reserveCapacity(passes.map(\.features.count).max() ?? 0)
        while true {
            var next: UInt64?
            for (number, pass) in passes.enumerated() where cursors[number] < pass.features.count {
                let feature = pass.features[index(number, cursors[number])]
                if next.map({ feature < $0 }) ?? true { next = feature }
            }
            guard let feature = next else { break }
            for (number, pass) in passes.enumerated() {
                while cursors[number] < pass.features.count, pass.features[index(number, cursors[number])] == feature {
                    rowOf[number][index(number, cursors[number])] = Int32(features.count)
                    cursors[number] += 1
                }
            }
            features.append(feature)
        }
        let rows = Rows(count: features.count)
        var present = [UInt8](repeating: 0, count: features.count)
        for (row, feature) in features.enumerated() { rows.base.storeBytes(of: feature, toByteOffset: row * Rows.stride, as: UInt64.self) }
        for (number, pass) in passes.enumerated() {
            for index in pass.features.indices {
                let row = Int(rowOf[number][index])
                present[row] |= 1 << number
                let target = rows.halves(row) + number * tagCount
                for tag in 0..<tagCount {
                    let bits = pass.halves[index * tagCount + tag]
                    guard bits & 0x7C00 != 0x7C00 else { throw EntityModelError(.malformed, "a weight of the entity model is not a number") }
                    target[tag] = bits
                }
            }
        }
        // At most two thirds full.
        var capacity = 16
        while capacity * 2 < features.count * 3 { capacity <<= 1 }
        rowBits = UInt32(UInt32.bitWidth - UInt32(features.count + 1).leadingZeroBitCount)
        var slots = [UInt32](repeating: 0, count: capacity)
        for (row, feature) in features.enumerated() {
            var slot = Int(truncatingIfNeeded: feature) & (capacity - 1)
            while slots[slot] != 0 { slot = (slot + 1) & (capacity - 1) }
            slots[slot] = Self.fingerprint(feature, rowBits: rowBits) | UInt32(row + 1)
        }
        self.slots = slots
        mask = capacity - 1
        self.passes = present
        self.rows = rows
    }

    /// The rows of trained passes, their weights rounded to half precision as the model file keeps them.
    init(stages: [EntityStage]) {
        // Rounded finite (beyond Float16's range, to its largest value): this cannot throw.
        try! self.init(
            passes: stages.map { stage in
                Pass(features: stage.features, halves: stage.weights.map { Float16($0.isNaN ? 0 : min(max($0, -65504), 65504)).bitPattern })
            })
    }

    /// The number of rows (distinct features over the passes).
    var rowCount: Int { rows.count }

    /// The feature of a row.
    func feature(ofRow row: Int) -> UInt64 { rows.feature(row) }

    /// A pass's weights of a row, as `Float16` bit patterns (for writing the model).
    func halves(ofRow row: Int, pass: Int) -> [UInt16] {
        Array(UnsafeBufferPointer(start: rows.halves(row) + pass * Self.tagCount, count: Self.tagCount))
    }

    /// The high bits of a feature, in a slot's place for them (the slot's index comes from its low bits).
    @inline(__always)
    private static func fingerprint(_ feature: UInt64, rowBits: UInt32) -> UInt32 {
        rowBits >= 32 ? 0 : UInt32(truncatingIfNeeded: feature >> (32 + UInt64(rowBits))) << rowBits
    }

    /// Whether a slot's fingerprint is a feature's (`fingerprint(_:rowBits:)`).
    @inline(__always)
    private func matches(_ stored: UInt32, _ fingerprint: UInt32) -> Bool {
        stored & ~rowMask == fingerprint
    }

    private var rowMask: UInt32 { rowBits >= 32 ? .max : (1 << rowBits) - 1 }

    /// The row of a feature, if a pass has it.
    @inline(__always)
    func row(of feature: UInt64) -> Int? {
        let fingerprint = Self.fingerprint(feature, rowBits: rowBits)
        return slots.withUnsafeBufferPointer { slots in
            var slot = Int(truncatingIfNeeded: feature) & mask
            while true {
                let stored = slots[slot]
                if stored == 0 { return nil }
                if matches(stored, fingerprint) {
                    let row = Int(stored & rowMask) - 1
                    if rows.feature(row) == feature { return row }
                }
                slot = (slot + 1) & mask
            }
        }
    }

    /// Adds a feature's weights in every pass to `scores[0..<width]` (pass after pass).
    @inline(__always)
    func add(_ feature: UInt64, to scores: UnsafeMutablePointer<Float>) {
        guard let row = row(of: feature) else { return }
        add(row: row, from: 0, count: width, to: scores)
    }

    /// Adds a feature's weights in one pass to `scores[0..<tagCount]`.
    @inline(__always)
    func add(_ feature: UInt64, pass: Int, to scores: UnsafeMutablePointer<Float>) {
        guard let row = row(of: feature) else { return }
        add(row: row, from: pass * Self.tagCount, count: Self.tagCount, to: scores)
    }

    /// Adds many features' weights in every pass, each to the scores of its position
    /// (`scores + positions[i] * width`), in order. Probing one feature after another, the
    /// processor waits for each cache miss in turn: the outcome of a probe decides what to load
    /// next. In phases — every feature's first slot, then the rows its fingerprint names, then
    /// the sums — the loads of a phase do not depend on one another, and their misses overlap.
    func add(_ features: UnsafeBufferPointer<UInt64>, positions: UnsafeBufferPointer<Int32>, to scores: UnsafeMutablePointer<Float>) {
        let count = features.count
        let rowMask = rowMask
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: count) { found in
            slots.withUnsafeBufferPointer { slots in
                for index in 0..<count { found[index] = slots[Int(truncatingIfNeeded: features[index]) & mask] }
                // The row (plus one) each fingerprint names (0: none), probing on where the first
                // slot is taken by another.
                for index in 0..<count {
                    let feature = features[index]
                    let fingerprint = Self.fingerprint(feature, rowBits: rowBits)
                    var slot = Int(truncatingIfNeeded: feature) & mask
                    var stored = found[index]
                    while stored != 0 && !matches(stored, fingerprint) {
                        slot = (slot + 1) & mask
                        stored = slots[slot]
                    }
                    found[index] = stored & rowMask
                }
            }
            // Whether each row named is the feature's (its full hash compared): this loads the
            // rows' cache lines, the row kept in the high bits, the verdict in the lowest.
            for index in 0..<count where found[index] != 0 {
                found[index] = found[index] << 1 | (rows.feature(Int(found[index]) - 1) == features[index] ? 1 : 0)
            }
            for index in 0..<count where found[index] != 0 {
                var row = Int(found[index] >> 1) - 1
                if found[index] & 1 == 0 {
                    // Another feature with the same fingerprint, earlier on the probe sequence.
                    guard let other = self.row(of: features[index]) else { continue }
                    row = other
                }
                add(row: row, from: 0, count: width, to: scores + Int(positions[index]) * width)
            }
        }
    }

    /// ``add(_:positions:to:)`` with the features and positions in arrays.
    func add(_ features: [UInt64], positions: [Int32], to scores: UnsafeMutablePointer<Float>) {
        features.withUnsafeBufferPointer { features in
            positions.withUnsafeBufferPointer { add(features, positions: $0, to: scores) }
        }
    }

    @inline(__always)
    private func add(row: Int, from offset: Int, count: Int, to scores: UnsafeMutablePointer<Float>) {
        let source = rows.halves(row) + offset
        for index in 0..<count { scores[index] += Self.float(fromFiniteHalf: source[index]) }
    }

    /// The value of a finite half-precision bit pattern: its bits moved into single precision's
    /// places and scaled by 2¹¹² (the difference of the exponent biases), exact for normal and
    /// subnormal values alike and without a branch, so that a row converts in vector registers.
    @inline(__always)
    static func float(fromFiniteHalf bits: UInt16) -> Float {
        let bits = UInt32(bits)
        return Float(bitPattern: (bits & 0x8000) << 16 | (bits & 0x7FFF) << 13) * 0x1p112
    }
}
