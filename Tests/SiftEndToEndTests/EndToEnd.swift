import Testing

/// Every end-to-end suite runs the real binary; they run one after another so that timings stay honest.
@Suite("End to end", .serialized)
enum EndToEnd {}
