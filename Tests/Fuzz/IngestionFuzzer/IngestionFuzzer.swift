// The libFuzzer entry point over ingestion: bytes → decoded text → HTML/JSON/Markdown/text
// extraction. Built only with SIFTD_FUZZ=1 and `-sanitize=fuzzer` (see scripts/fuzz.sh,
// `make fuzz`); libFuzzer supplies `main`, so this file is parsed as a library.
//
// The first byte of an input picks the name the rest is ingested under, so the fuzzer
// reaches every format: `h` x.html, `j` x.json, `m` x.md, `t` x.txt, `s` a name without an
// extension (the format is sniffed), `u` an unsupported extension; any other byte picks one
// of these by its value. Thrown errors are expected for bad input; only a crash, a hang or
// running out of memory is a finding.
import SiftDaemon

private let ingestor = DocumentIngestor(maxBytes: 4 << 20)

private let names = ["x.html", "x.json", "x.md", "x.txt", "x", "x.pdf"]

private func name(for selector: UInt8) -> String {
    switch selector {
    case UInt8(ascii: "h"): "x.html"
    case UInt8(ascii: "j"): "x.json"
    case UInt8(ascii: "m"): "x.md"
    case UInt8(ascii: "t"): "x.txt"
    case UInt8(ascii: "s"): "x"
    case UInt8(ascii: "u"): "x.pdf"
    default: names[Int(selector) % names.count]
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = UnsafeBufferPointer(start: data, count: size)
    guard let selector = input.first else { return 0 }
    let bytes = Array(input.dropFirst())
    _ = try? ingestor.ingest(bytes: bytes, name: name(for: selector))
    // The extractor also sees whatever the bytes are, not only what the decoder accepts.
    _ = try? HTMLTextExtractor().extract(String(decoding: bytes, as: UTF8.self))
    return 0
}
