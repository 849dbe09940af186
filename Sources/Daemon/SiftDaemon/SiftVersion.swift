public enum SiftVersion { public static let current = "0.1.0" }
