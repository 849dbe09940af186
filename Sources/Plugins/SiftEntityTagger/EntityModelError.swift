import SiftTextToolkit

/// Why an entity model or its training data could not be used.
public typealias EntityModelError = ModelError
