import Testing

@testable import SiftTextToolkit

@Suite("Text toolkit: normalisation")
struct ArabicNormalizerTests {
    @Test(
        "folding a scalar onto an array, looked up below U+0700, gives what folding it one by one gives",
        arguments: [
            ArabicNormalizer.Options.matching, .matching.union(.taaMarbutaToHa), [.removeDiacritics], [],
            .matching.union(.unifyPersianLetters),
        ])
    func foldIntoArray(options: ArabicNormalizer.Options) {
        let normalizer = ArabicNormalizer(options: options)
        var disagreements: [UInt32] = []
        for value in Array(UInt32(0)..<0x800) + [0xFB50, 0xFEFB, 0xFF21, 0x2000, 0x1D400, 0x10FFFF] {
            guard let scalar = Unicode.Scalar(value) else { continue }
            var byTable: [Unicode.Scalar] = ["x"]
            normalizer.fold(scalar, into: &byTable)
            var oneByOne: [Unicode.Scalar] = ["x"]
            normalizer.fold(scalar) { oneByOne.append($0) }
            if byTable != oneByOne { disagreements.append(value) }
        }
        #expect(disagreements.isEmpty)
    }

    let normalizer = ArabicNormalizer()

    @Test(
        "folds Arabic spelling variants for matching",
        arguments: [
            ("أحمد", "احمد"), ("إسلام", "اسلام"), ("آمال", "امال"), ("ٱلله", "الله"),
            ("مستشفى", "مستشفي"), ("مُحَمَّدٌ", "محمد"), ("الأمـــين", "الامين"), ("٢٠٢٠", "2020"), ("۱۳۹۹", "1399"),
            ("ﻟﻴﺒﻴﺎ", "ليبيا"), ("NATO", "nato"), ("ا\u{0654}حمد", "احمد"), ("فائز", "فائز"),
        ]
    )
    func folds(input: String, expected: String) {
        #expect(normalizer.normalize(input).text == expected)
        #expect(normalizer.normalizedString(input) == expected)
    }

    @Test(
        "a string's scalars decoded from its UTF-8 are the standard library's, and encode back to it",
        arguments: [
            "", "a", "قال السراج، «لا» 😀 é\u{0}\r\n", String(repeating: "ليبيا 🇱🇾 Tripoli ", count: 500),
            "\u{10FFFF}\u{7F}\u{80}\u{7FF}\u{800}\u{FFFF}\u{10000}",
        ]
    )
    func scalarsOfString(text: String) {
        let scalars = Array(scalarsOf: text)
        #expect(scalars == Array(text.unicodeScalars))
        #expect(String(scalars: scalars) == text)
    }

    @Test("every scalar of every width decodes as the standard library decodes it")
    func scalarsOfEveryWidth() {
        var sample = String.UnicodeScalarView()
        for value in stride(from: UInt32(0), through: 0x10FFFF, by: 97) { if let scalar = Unicode.Scalar(value) { sample.append(scalar) } }
        let text = String(sample)
        #expect(Array(scalarsOf: text) == Array(text.unicodeScalars))
    }

    @Test("taa marbuta, hamza seats and Persian letters fold only when asked")
    func optionalFolds() {
        #expect(normalizer.normalize("حكومة").text == "حكومة")
        #expect(ArabicNormalizer(options: .matching.union(.taaMarbutaToHa)).normalize("حكومة").text == "حكومه")
        #expect(ArabicNormalizer(options: .matching.union(.unifyHamza)).normalize("فائز مسؤول جزء").text == "فايز مسوول جز")
        #expect(ArabicNormalizer().normalize("فائز").text == "فائز")  // hamza seats kept unless asked
        #expect(ArabicNormalizer(options: .matching.union(.unifyPersianLetters)).normalize("کتاب ی").text == "كتاب ي")
    }

    @Test("offsets map back to the original text")
    func offsets() {
        let original = "قالَ الأمـينُ: ٢٠ جندياً"
        let normalized = normalizer.normalize(original)
        #expect(normalized.text == "قال الامين: 20 جنديا")
        let span = normalized.originalSpan(TextSpan(4, 10))  // "الامين" in the normalised text
        let scalars = Array(original.unicodeScalars)
        // The original span keeps the marks that belong to its last letter.
        #expect(String(String.UnicodeScalarView(scalars[span.start..<span.end])) == "الأمـينُ")
        let digits = normalized.originalSpan(TextSpan(12, 14))
        #expect(String(String.UnicodeScalarView(scalars[digits.start..<digits.end])) == "٢٠")
    }
}

@Suite("Text toolkit: tokens and clitics")
struct TokenizerTests {
    @Test("white space is told without the property tables exactly as with them, for every scalar")
    func whiteSpace() {
        var spaces = 0
        var disagreements: [UInt32] = []
        for value in UInt32(0)...0x10_FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            if Tokenizer.isSpace(scalar) != scalar.properties.isWhitespace { disagreements.append(value) }
            if Tokenizer.isSpace(scalar) { spaces += 1 }
        }
        #expect(disagreements.isEmpty)
        #expect(spaces == 25)
    }

    let tokenizer = Tokenizer()

    func kinds(_ text: String) -> [String] {
        tokenizer.tokenize(text).map { "\($0.kind.rawValue):\($0.text)" }
    }

    @Test("words, numbers, punctuation, URLs, hashtags, mentions and e-mail")
    func kinds() {
        #expect(
            kinds("قال السراج، في 13 يونيو 2020: «لا حل عسكرياً»!") == [
                "word:قال", "word:السراج", "punctuation:،", "word:في", "number:13", "word:يونيو", "number:2020",
                "punctuation::", "punctuation:«", "word:لا", "word:حل", "word:عسكرياً", "punctuation:»", "punctuation:!",
            ])
        #expect(
            kinds("See https://nato.int/cps/en. Or www.example.com, #ليبيا @NATO x@y.org") == [
                "word:See", "url:https://nato.int/cps/en", "punctuation:.", "word:Or", "url:www.example.com", "punctuation:,",
                "hashtag:#ليبيا", "mention:@NATO", "email:x@y.org",
            ])
        // URL prefixes in any case; a dotless İ or a long ſ is no letter of theirs.
        #expect(kinds("HTTPS://NATO.INT/A WwW.un.org") == ["url:HTTPS://NATO.INT/A", "url:WwW.un.org"])
        #expect(kinds("hTTpſ://x.org").first != "url:hTTpſ://x.org")
        #expect(
            kinds("2.5 million, 1,000 troops, ٣٫٥ and it's well-known...") == [
                "number:2.5", "word:million", "punctuation:,", "number:1,000", "word:troops", "punctuation:,", "number:٣٫٥",
                "word:and", "word:it's", "word:well-known", "punctuation:...",
            ])
    }

    @Test("offsets are Unicode scalar offsets, also after diacritics and emoji")
    func offsets() {
        let text = "مُحَمَّد 👍 وصل"
        let tokens = tokenizer.tokenize(text)
        let scalars = Array(text.unicodeScalars)
        for token in tokens {
            #expect(String(String.UnicodeScalarView(scalars[token.span.start..<token.span.end])) == token.text)
        }
        #expect(tokens.map(\.span) == [TextSpan(0, 8), TextSpan(9, 10), TextSpan(11, 14)])
    }

    @Test(
        "proclitics are split off with the stem's offset",
        arguments: [
            ("وبالحكومة", ["و", "ب", "ال"], "حكومة", 4),
            ("للحكومة", ["ل", "ال"], "حكومة", 2),
            ("والسراج", ["و", "ال"], "سراج", 3),
            ("فالأمين", ["ف", "ال"], "أمين", 3),
            ("كالعادة", ["ك", "ال"], "عادة", 3),
            ("الناتو", ["ال"], "ناتو", 2),
            ("وزير", [], "وزير", 0),
            ("وطرابلس", [], "وطرابلس", 0),
            ("NATO", [], "NATO", 0),
        ]
    )
    func clitics(word: String, prefixes: [String], stem: String, offset: Int) {
        let segmentation = ArabicClitics().segment(word)
        #expect(segmentation.prefixes == prefixes)
        #expect(segmentation.stem == stem)
        #expect(segmentation.stemOffset == offset)
    }

    @Test("a lexicon decides what the rules cannot")
    func lexicon() {
        let places: Set<String> = ["ليبيا", "طرابلس"]
        let clitics = ArabicClitics()
        #expect(clitics.segment("لليبيا", isKnownStem: places.contains).stem == "ليبيا")
        #expect(clitics.segment("لليبيا", isKnownStem: places.contains).prefixes == ["ل"])
        #expect(clitics.segment("وطرابلس", isKnownStem: places.contains).stem == "طرابلس")
        #expect(clitics.segmentations("لليبيا").map(\.stem).contains("ليبيا"))
    }
}

@Suite("Text toolkit: sentences")
struct SentenceSplitterTests {
    func sentences(_ text: String) -> [String] {
        let scalars = ScalarText(text)
        return SentenceSplitter().split(scalars).map { scalars[$0] }
    }

    @Test("Arabic punctuation: question mark ends, comma and semicolon do not")
    func arabicPunctuation() {
        #expect(
            sentences("هل انتهت الأزمة؟ لا، لم تنته؛ بل تفاقمت. ثم ماذا") == [
                "هل انتهت الأزمة؟", "لا، لم تنته؛ بل تفاقمت.", "ثم ماذا",
            ])
        #expect(sentences("قالت ذلك۔ اور پھر") == ["قالت ذلك۔", "اور پھر"])
    }

    @Test("closing quotes stay with their sentence")
    func quotes() {
        #expect(
            sentences("وقال: «لا حل عسكرياً.» ثم غادر. \"Fine.\" Done") == [
                "وقال: «لا حل عسكرياً.»", "ثم غادر.", "\"Fine.\"", "Done",
            ])
    }

    @Test("a full stop glued to an Arabic letter ends a sentence; one in a number or a domain does not")
    func gluedFullStop() {
        #expect(sentences("وصل الوفد.وبدأت المحادثات بنسبة 2.5 في المئة.") == ["وصل الوفد.", "وبدأت المحادثات بنسبة 2.5 في المئة."])
        #expect(sentences("Visit example.com today. Then leave.") == ["Visit example.com today.", "Then leave."])
    }

    @Test("abbreviations and initials in English and French")
    func abbreviations() {
        #expect(
            sentences("Mr. Smith met Dr. J. Jones in the U.S. on Monday. They talked.") == [
                "Mr. Smith met Dr. J. Jones in the U.S. on Monday.", "They talked.",
            ])
        #expect(
            sentences("M. Dupont et Mme Martin sont arrivés. Ils ont parlé, etc. avec lui.") == [
                "M. Dupont et Mme Martin sont arrivés.", "Ils ont parlé, etc. avec lui.",
            ])
    }

    @Test("line breaks end sentences, unless the text is hard-wrapped")
    func lines() {
        #expect(sentences("عنوان الخبر\nنص الخبر الأول\n\nفقرة ثانية") == ["عنوان الخبر", "نص الخبر الأول", "فقرة ثانية"])
        let wrapped = """
            The secretary general of the alliance spoke by telephone with the head
            of the presidential council on Saturday evening, and the two discussed the
            military and security situation in the country and the danger that the
            fighting around the capital poses to the stability of the whole region.
            Both agreed to keep in touch.
            """
        let split = sentences(wrapped)
        #expect(split.count == 2)
        #expect(split[0].hasPrefix("The secretary general") && split[0].hasSuffix("whole region."))
    }

    @Test("spans are trimmed Unicode scalar offsets")
    func spans() {
        let spans = SentenceSplitter().split("  أولاً.  ثانياً!  ")
        #expect(spans == [TextSpan(2, 8), TextSpan(10, 17)])
    }
}

@Suite("Text toolkit: boilerplate")
struct BoilerplateTrimmerTests {
    @Test(
        "reads words by scalar exactly as by character, or leaves the text to the character path",
        arguments: [
            "اترك تعليقا", "share this-article, now!", "«مقالات» ذات صلة: 12 - 3", "“Read more” — here", "a\u{0D}b",
            "مُحَمَّد", "cafe\u{301} au lait", "café", "ﻻ", "\u{0600}١٢٣", "x\u{200D}y", "👍🏽 like", "🇱🇾 ليبيا", "Ⓐ ①",
            "--- ... ---", "", "   ", "a-b-c d--e", "٣٫٥ مليون", "ٱلله", "فيسبوك | تويتر | واتساب", "\u{A0}NBSP\u{A0}",
            "- x -", "-- ليبيا --", "«»", "a - - b", "Share THIS", "ﻷحمد", "ـــ", "أَخْبَارٌ ذَاتُ صِلَةٍ", "x-",
        ])
    func simpleWordsAgreeWithCharacters(text: String) {
        if let simple = BoilerplateTrimmer.simpleWords(text) {
            #expect(simple == BoilerplateTrimmer.words(text))
        }
        #expect(BoilerplateTrimmer.normalize(text) == BoilerplateTrimmer.words(BoilerplateTrimmer.normalizer.normalizedString(text)))
        let scalars = Array(text.unicodeScalars)
        #expect(BoilerplateTrimmer.normalize(scalars[...]) == BoilerplateTrimmer.normalize(text))
        // Within a line's slice, as the trimmer reads it.
        let line = Array("سطر قبله\n".unicodeScalars) + scalars + Array("\nوسطر بعده".unicodeScalars)
        #expect(BoilerplateTrimmer.normalize(line[9..<(9 + scalars.count)]) == BoilerplateTrimmer.normalize(text))
    }

    @Test("interface lines and the trailing block of a web-copied article are removed, the article kept")
    func trims() {
        let text = """
            السراج وستولتنبرغ يبحثان الوضع في ليبيا

            بحث رئيس المجلس الرئاسي مع الأمين العام للحلف آخر التطورات.
            شارك هذا المقال
            وأكد الجانبان ضرورة الحل السياسي.

            اترك تعليقاً
            مقالات ذات صلة
            الناتو
            زر الذهاب إلى الأعلى
            """
        let result = BoilerplateTrimmer().trim(text)
        #expect(
            result.text == """
                السراج وستولتنبرغ يبحثان الوضع في ليبيا

                بحث رئيس المجلس الرئاسي مع الأمين العام للحلف آخر التطورات.
                وأكد الجانبان ضرورة الحل السياسي.
                """)
        #expect(result.removed.count == 5)
        let scalars = Array(text.unicodeScalars)
        #expect(
            result.removed.map { String(String.UnicodeScalarView(scalars[$0.start..<$0.end])) } == [
                "شارك هذا المقال", "اترك تعليقاً", "مقالات ذات صلة", "الناتو", "زر الذهاب إلى الأعلى",
            ])
        // The lines alone, from the scalars, without the text rebuilt.
        #expect(BoilerplateTrimmer().boilerplateLines(scalars) == result.removed)
        #expect(BoilerplateTrimmer().boilerplateLines(Array("\n\nنص بلا حواشٍ.\n".unicodeScalars)).isEmpty)
    }

    @Test("the trailing block goes whole: a comment form's notice, a close button, a separator and a credit line")
    func trailingBlock() {
        let text = """
            قال المتحدث إن الاتصالات مستمرة مع جميع الأطراف للتوصل إلى وقف لإطلاق النار.

            اترك تعليقاً

            لن يتم نشر عنوان بريدك الإلكتروني. الحقول الإلزامية مشار إليها بـ *

            Twitter Post
            |
            (رويترز، فرانس برس، الأناضول)
            إغلاق

            """
        let result = BoilerplateTrimmer().trim(text)
        #expect(result.text == "قال المتحدث إن الاتصالات مستمرة مع جميع الأطراف للتوصل إلى وقف لإطلاق النار.")
        let scalars = Array(text.unicodeScalars)
        #expect(
            result.removed.map { String(String.UnicodeScalarView(scalars[$0.start..<$0.end])) } == [
                "اترك تعليقاً", "لن يتم نشر عنوان بريدك الإلكتروني. الحقول الإلزامية مشار إليها بـ *", "Twitter Post", "|",
                "(رويترز، فرانس برس، الأناضول)", "إغلاق",
            ])
    }

    @Test("a short closing sentence, or a trailing block without an interface line, stays")
    func trailingSentencesStay() {
        let sentence = "A long opening paragraph says what happened and where it happened.\nThree died.\nShare"
        #expect(BoilerplateTrimmer().trim(sentence).text == "A long opening paragraph says what happened and where it happened.\nThree died.")
        let credit = "A long opening paragraph says what happened and where it happened.\n(Reuters, AFP)"
        #expect(BoilerplateTrimmer().trim(credit).removed.isEmpty)
    }

    @Test(
        "a text without boilerplate comes back whole, less the empty lines that open and close it",
        arguments: [
            ("\n\nA paragraph.\n\nAnother one.\n\n", "A paragraph.\n\nAnother one."),
            (" \nA paragraph.", " \nA paragraph."),
            ("\r\nA paragraph.\r\n", "\r\nA paragraph.\r\n"),
            ("\n\n", ""),
            ("فقرة أولى.\nفقرة ثانية.", "فقرة أولى.\nفقرة ثانية."),
        ])
    func textWithoutBoilerplate(text: String, expected: String) {
        let result = BoilerplateTrimmer().trim(text)
        #expect(result.text == expected && result.removed.isEmpty)
        // As when a line is removed: the same text around an interface line gives the same.
        #expect(BoilerplateTrimmer().trim(text + "\nShare").text == expected)
    }

    @Test(
        "recognises a comment form's notice in Arabic, English and French, not an article quoting it",
        arguments: [
            ("Your email address will not be published. Required fields are marked *", true),
            ("لن يتم نشر عنوان بريدك الإلكتروني.", true),
            ("Votre adresse e-mail ne sera pas publiée.", true),
            ("The ministry said the address of the site will not be published before the hearing.", false),
            ("Comments are closed. Your email address will not be published", true),
            ("Ayour email address will not be published", false),
            ("Your email address will not be publishedly", false),
        ]
    )
    func commentFormNotices(line: String, expected: Bool) {
        #expect(BoilerplateTrimmer.isCommentFormNotice(line) == expected)
    }

    @Test(
        "a fragment is a short line of a few words that does not end a sentence",
        arguments: [
            ("تصوير: وكالات", true), ("Photo: AFP", true), ("Three died.", false), ("هل انتهت الحرب؟", false),
            ("one two three four five six", false), (String(repeating: "ا", count: 200), false),
        ]
    )
    func fragments(line: String, expected: Bool) {
        #expect(BoilerplateTrimmer.isFragment(line) == expected)
    }

    @Test(
        "recognises interface lines by their vocabulary, in several languages and spellings",
        arguments: [
            ("Twitter Post", true), ("Facebook Twitter WhatsApp", true), ("- مقالات ذات صلة", true),
            ("اقرأ أيضاً", true), ("Lire aussi", true), ("Leave a Reply", true), ("أخبار ذات صلة", true),
            ("إغلاق", true), ("اقترح تصحيحاً", true),
            ("قال الأمين العام إن الحلف يدعم الحل السياسي", false), ("Related talks continued on Monday in Geneva", false),
            ("الناتو", false),
        ]
    )
    func interfaceLines(line: String, expected: Bool) {
        #expect(BoilerplateTrimmer.isInterfaceLine(line) == expected)
    }

    @Test("an article without boilerplate is left alone")
    func untouched() {
        let text = "First paragraph.\n\nSecond paragraph with more words."
        let result = BoilerplateTrimmer().trim(text)
        #expect(result.text == text)
        #expect(result.removed.isEmpty)
    }
}

@Suite("Text toolkit: statistics")
struct TextStatisticsTests {
    @Test(
        "counts paragraphs, sentences, words and numbers",
        arguments: [
            ("One. Two! Three?", 1, 3, 3, 0),
            ("First para.\n\nSecond para has 2.5 million people. Really.", 2, 3, 8, 1),
            ("Line one\nLine two\nLine three", 3, 3, 6, 0),
            ("قال الرئيس: هل انتهت الأزمة؟ لا. ثم غادر.", 1, 3, 8, 0),
            ("وصل 1,500 جندي إلى طرابلس… وانتهى الأمر", 1, 2, 6, 1),
            ("Dr. Smith met Mr. J. Jones at example.com today. Fine.", 1, 2, 11, 0),
            ("«هل تأتي؟» قالت. نعم", 1, 3, 4, 0),
        ]
    )
    func counts(text: String, paragraphs: Int, sentences: Int, words: Int, numbers: Int) {
        let statistics = TextStatistics(text)
        #expect(statistics.paragraphs == paragraphs)
        #expect(statistics.sentences == sentences)
        #expect(statistics.words == words)
        #expect(statistics.numbers == numbers)
    }

    @Test(
        "lines, paragraphs and sentences counted over scalars are those of the lines trimmed by characters, on text made of spaces, marks, prepended signs, byte-order marks and line breaks"
    )
    func linesAsCharacters() {
        // The definition: lines split at "\n", trimmed of white space by characters (a
        // byte-order mark also at the start), paragraphs their lines joined by spaces.
        func reference(_ text: String) -> (lines: Int, paragraphs: Int, sentences: Int) {
            // At the byte: "\r\n" is one character.
            let lines = text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { Substring($0).trimmingWhitespace() }
            let nonEmpty = lines.filter { !$0.isEmpty }.count
            let first = lines.firstIndex { !$0.isEmpty }
            let last = lines.lastIndex { !$0.isEmpty }
            let blocks = first.map { lines[$0...last!].contains { $0.isEmpty } } ?? false
            var paragraphs: [[Substring]] = []
            var current: [Substring] = []
            for line in lines {
                if line.isEmpty {
                    if !current.isEmpty { paragraphs.append(current) }
                    current = []
                } else if blocks {
                    current.append(line)
                } else {
                    paragraphs.append([line])
                }
            }
            if !current.isEmpty { paragraphs.append(current) }
            let sentences = paragraphs.reduce(0) { $0 + max(SentenceSplitter().split($1.joined(separator: " ")).count, 1) }
            return (nonEmpty, paragraphs.count, sentences)
        }
        let alphabet: [Unicode.Scalar] = [
            " ", " ", "\n", "\n", "\r", "\t", "\u{A0}", "\u{FEFF}", "\u{301}", "\u{64E}", "\u{600}", "\u{200D}", "a", "ب", "ب", ".", "؟", "7",
        ]
        var state: UInt64 = 7
        for _ in 0..<3000 {
            var scalars = String.UnicodeScalarView()
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            for _ in 0..<Int(state >> 60) + 2 {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                scalars.append(alphabet[Int(state >> 33) % alphabet.count])
            }
            let text = String(scalars)
            let statistics = TextStatistics(text)
            let expected = reference(text)
            #expect(
                (statistics.lines, statistics.paragraphs, statistics.sentences) == expected,
                "\(text.unicodeScalars.map { String($0.value, radix: 16) })")
        }
    }

    @Test("a diacritic does not count as a letter of its own")
    func diacritics() {
        let statistics = TextStatistics("كَتَبَ")
        #expect(statistics.letters[.arabic] == 3)
        #expect(statistics.words == 1)
    }

    @Test("the scripts present, the most letters first, a tie by name, with their share of the letters")
    func scripts() {
        let statistics = TextStatistics("النص العربي hello Привет")
        #expect(statistics.scripts.map(\.script) == [.arabic, .cyrillic, .latin])
        #expect(statistics.scripts.map(\.letters) == [10, 6, 5])
        let shares: [Double] = [10.0 / 21, 6.0 / 21, 5.0 / 21]
        #expect(statistics.scripts.map(\.proportion) == shares)
        #expect(TextStatistics("abc αβγ").scripts.map(\.script) == [.greek, .latin])
        #expect(TextStatistics("12 — 34").scripts.isEmpty)
    }

    @Test(
        "a letter's script; marks, digits and punctuation have none",
        arguments: [
            ("a", UnicodeScript?.some(.latin)), ("é", .latin), ("ب", .arabic), ("Ж", .cyrillic), ("中", .han), ("ሀ", .ethiopic),
            ("\u{064E}", nil), ("7", nil), ("٣", nil), ("!", nil),
        ] as [(Unicode.Scalar, UnicodeScript?)]
    )
    func script(scalar: Unicode.Scalar, expected: UnicodeScript?) {
        #expect(UnicodeScript(letter: scalar) == expected)
    }
}

@Suite("Text toolkit: headlines")
struct HeadlineFinderTests {
    @Test(
        "a headline-like first line is the title; a one-word section label before it is skipped",
        arguments: [
            ("عنوان الخبر\n\nنص الخبر.", String?.some("عنوان الخبر")),
            ("  Port strike halts Rotterdam  \nDock workers stopped work.", "Port strike halts Rotterdam"),
            ("This first line is a sentence.\nBody.", nil),
            ("قال المتحدث، \nنص الخبر.", nil),
            ("Only one line", nil),
            ("2020-06-13\nBody", nil),
            ("عالمي\n\nعنوان الخبر\n\nنص الخبر.", "عنوان الخبر"),
            ("World\nThis first line is a sentence.\nBody.", "World"),
        ]
    )
    func title(text: String, expected: String?) {
        #expect(HeadlineFinder(maximumLength: 200).title(of: text) == expected)
    }

    @Test("a line longer than the maximum is not a headline")
    func maximumLength() {
        let text = "Port strike halts Rotterdam\n\nDock workers stopped work."  // a headline of 27 scalars
        #expect(HeadlineFinder(maximumLength: 26).title(of: text) == nil)
        #expect(HeadlineFinder(maximumLength: 27).title(of: text) == "Port strike halts Rotterdam")
    }
}

@Suite("Text toolkit: document content")
struct DocumentContentTests {
    @Test("boilerplate lines are set apart with their offsets; the paragraphs are the rest")
    func boilerplate() {
        let body = "وبحسب المجلس الرئاسي، أكد ستولتنبرغ أن الحلف يدعم الحل السياسي للأزمة الليبية."
        let text = "\(body)\n\nشارك هذا المقال\nTwitter Post\nاترك تعليقاً\n"
        let content = DocumentContent(text, trimsBoilerplate: true)
        #expect(content.paragraphs == [DocumentContent.Part(span: TextSpan(0, body.unicodeScalars.count), text: body)])
        #expect(content.boilerplate.map(\.text) == ["شارك هذا المقال", "Twitter Post", "اترك تعليقاً"])
        let scalars = ScalarText(text)
        #expect(content.boilerplate.map { scalars[$0.span] } == content.boilerplate.map(\.text))
        #expect(content.text == body)

        let untrimmed = DocumentContent(text, trimsBoilerplate: false)
        #expect(untrimmed.boilerplate.isEmpty)
        #expect(untrimmed.paragraphs.map(\.text) == [body, "شارك هذا المقال\nTwitter Post\nاترك تعليقاً"], "lines that end no sentence join")
    }

    @Test("hard-wrapped lines join into one paragraph; a line that ends a sentence closes it; blank lines always do")
    func hardWrapped() {
        let text = "السطر الأول من الفقرة يستمر\nفي السطر الثاني حتى النهاية.\nفقرة ثانية تبدأ هنا\n\nفقرة ثالثة"
        let content = DocumentContent(text, trimsBoilerplate: true)
        #expect(
            content.paragraphs.map(\.text) == [
                "السطر الأول من الفقرة يستمر\nفي السطر الثاني حتى النهاية.", "فقرة ثانية تبدأ هنا", "فقرة ثالثة",
            ])
        #expect(content.paragraphs.first?.span == TextSpan(0, 56))
    }

    @Test("the regions to read: the given paragraphs inside the text, else the whole text")
    func readingRegions() {
        let text = ScalarText("one two three")
        #expect(DocumentContent.readingRegions(paragraphs: [TextSpan(0, 3), TextSpan(8, 13)], in: text) == [TextSpan(0, 3), TextSpan(8, 13)])
        #expect(
            DocumentContent.readingRegions(paragraphs: [TextSpan(0, 3), TextSpan(8, 14), TextSpan(-1, 2), TextSpan(5, 4)], in: text) == [
                TextSpan(0, 3)
            ])
        #expect(DocumentContent.readingRegions(paragraphs: [], in: text) == [TextSpan(0, 13)])
        #expect(DocumentContent.readingRegions(paragraphs: [TextSpan(20, 30)], in: text) == [TextSpan(0, 13)])
    }
}
