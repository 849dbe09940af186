/// Minimises a smooth function with limited-memory BFGS: the search direction comes from the
/// last few steps' changes in position and gradient (two-loop recursion), the step length
/// from a backtracking line search that asks for sufficient decrease (Armijo).
struct LBFGSMinimizer: Sendable {
    /// Steps remembered.
    var memory = 10
    /// Iterations at most.
    var iterations = 150
    /// Stops when the value fell by less than this fraction over the last ``window`` iterations.
    var tolerance = 1e-5
    var window = 10

    /// Minimises `objective` (which returns the value and writes the gradient) from `start`;
    /// `progress` hears the value after each iteration.
    func minimize(
        from start: [Double],
        objective: (_ point: [Double], _ gradient: inout [Double]) async -> Double,
        progress: ((_ iteration: Int, _ value: Double) -> Void)? = nil
    ) async -> [Double] {
        let count = start.count
        var point = start
        var gradient = [Double](repeating: 0, count: count)
        var value = await objective(point, &gradient)
        var steps: [[Double]] = []
        var changes: [[Double]] = []
        var curvatures: [Double] = []
        var history = [value]
        var direction = [Double](repeating: 0, count: count)
        var candidate = [Double](repeating: 0, count: count)
        var candidateGradient = [Double](repeating: 0, count: count)

        for iteration in 1...max(iterations, 1) {
            // Two-loop recursion: direction = -H·gradient.
            for index in 0..<count { direction[index] = -gradient[index] }
            var alphas = [Double](repeating: 0, count: steps.count)
            for pair in steps.indices.reversed() {
                alphas[pair] = Self.dot(steps[pair], direction) / curvatures[pair]
                Self.addScaled(changes[pair], -alphas[pair], to: &direction)
            }
            if let last = steps.indices.last {
                let scale = curvatures[last] / Self.dot(changes[last], changes[last])
                for index in 0..<count { direction[index] *= scale }
            }
            for pair in steps.indices {
                let beta = Self.dot(changes[pair], direction) / curvatures[pair]
                Self.addScaled(steps[pair], alphas[pair] - beta, to: &direction)
            }
            var slope = Self.dot(gradient, direction)
            if slope >= 0 {
                // Not a descent direction (numerical trouble): start over from the gradient.
                steps.removeAll()
                changes.removeAll()
                curvatures.removeAll()
                for index in 0..<count { direction[index] = -gradient[index] }
                slope = Self.dot(gradient, direction)
            }
            var length = steps.isEmpty ? 1 / max(Self.dot(gradient, gradient).squareRoot(), 1e-12) : 1
            var candidateValue = Double.infinity
            for _ in 0..<40 {
                for index in 0..<count { candidate[index] = point[index] + length * direction[index] }
                candidateValue = await objective(candidate, &candidateGradient)
                if candidateValue <= value + 1e-4 * length * slope { break }
                length *= 0.5
            }
            guard candidateValue < value else { break }
            var step = [Double](repeating: 0, count: count)
            var change = [Double](repeating: 0, count: count)
            for index in 0..<count {
                step[index] = candidate[index] - point[index]
                change[index] = candidateGradient[index] - gradient[index]
            }
            let curvature = Self.dot(step, change)
            if curvature > 1e-10 {
                if steps.count == memory {
                    steps.removeFirst()
                    changes.removeFirst()
                    curvatures.removeFirst()
                }
                steps.append(step)
                changes.append(change)
                curvatures.append(curvature)
            }
            swap(&point, &candidate)
            swap(&gradient, &candidateGradient)
            value = candidateValue
            history.append(value)
            progress?(iteration, value)
            if history.count > window {
                let before = history[history.count - 1 - window]
                if (before - value) / max(abs(value), 1e-12) < tolerance { break }
            }
        }
        return point
    }

    static func dot(_ a: [Double], _ b: [Double]) -> Double {
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                var sum = 0.0
                for index in 0..<a.count { sum += a[index] * b[index] }
                return sum
            }
        }
    }

    static func addScaled(_ vector: [Double], _ scale: Double, to target: inout [Double]) {
        vector.withUnsafeBufferPointer { vector in
            target.withUnsafeMutableBufferPointer { target in
                for index in 0..<vector.count { target[index] += scale * vector[index] }
            }
        }
    }
}
