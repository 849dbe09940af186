/// The function words of Arabic, English and French: words that say how a sentence is built,
/// not what it is about. Listed as written; looked up by ``key(_:)`` of the word normalised for
/// matching (``ArabicNormalizer/Options/matching`` with taa marbuta folded), so that spelling
/// variants (`إلى` / `الى`, `التي` / `التى`) are one.
public enum StopWords {
    /// Whether a normalised word (see above), by ``key(_:)``, is a function word of the language.
    public static func contains(_ key: UInt64, language: String) -> Bool {
        switch language {
        case "ar", "fa", "ur": arabicKeys[key] != nil
        case "en": englishKeys[key] != nil
        case "fr": frenchKeys[key] != nil
        default: false
        }
    }

    /// FNV-1a over a normalised word's scalars (no Unicode normalisation on the way, unlike a
    /// `Set<String>` of Arabic words).
    @inlinable
    public static func key(_ scalars: some Sequence<Unicode.Scalar>) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for scalar in scalars { hash = (hash ^ UInt64(scalar.value)) &* 0x0000_0100_0000_01B3 }
        return hash
    }

    static let normalizer = ArabicNormalizer(options: ArabicNormalizer.Options.matching.union(.taaMarbutaToHa))

    static func keys(_ words: String) -> HashKeyedMap<Bool> {
        var keys = HashKeyedMap<Bool>(capacity: 512)
        for word in words.split(separator: " ") { keys[key(normalizer.normalizedString(word).unicodeScalars)] = true }
        return keys
    }

    static let arabicKeys = keys(
        "في من إلى على عن مع هذا هذه ذلك تلك هؤلاء التي الذي الذين اللذين اللتين اللواتي ما ماذا لم لن لا إن أن كان كانت يكون تكون "
            + "كانوا قد قال وقال وقالت قالت أو ثم بل لكن حتى إذا إذ كما كل بعض غير بين بعد قبل حين حيث عند عندما لدى منذ خلال ضد نحو "
            + "فيه فيها منه منها عليه عليها إليه إليها به بها له لها لهم هو هي هم هن أنا نحن أنت أنتم و ف ب ل ك وفي ومن وعلى وإلى "
            + "وأن وإن ولا ولم وما وهو وهي وقد وكان وكانت كذلك أيضا أيضاً حول دون فقط ليس ليست إلا الا أي أى التى الى اي عام يوم "
            + "أمس اليوم أكثر أقل جدا ثمة هنا هناك تم يتم وتم عبر لدي سوف سيكون مما فيما بينما كيف متى أين لماذا هل إذن ذا "
            + "وذلك ولكن لكنه إنه أنه بأن لأن وأنه وهذا وهذه ضمن لقد إلي علي وعن وبين حسب مثل"
    )
    static let englishKeys = keys(
        "a an the and or but if then than that this these those there here of in on at to from by with without for about as "
            + "into onto over under between after before during since until while is are was were be been being am do does did "
            + "has have had having will would shall should can could may might must not no nor so too very also just only "
            + "it its it's he him his she her hers they them their theirs we us our you your i me my mine who whom whose which "
            + "what when where why how all any both each few more most other some such own same again further once up down out "
            + "off said says say"
    )
    static let frenchKeys = keys(
        "le la les l un une des du de d et ou mais donc or ni car que qu qui quoi dont où ce cet cette ces se s sa son ses "
            + "leur leurs il ils elle elles on nous vous je j me m te t lui y en au aux à a dans par pour sur sous avec sans entre "
            + "vers chez est sont était étaient été être avoir ai as avons avez ont avait avaient sera seront ne pas plus "
            + "moins très aussi comme si tout tous toute toutes même deux après avant pendant depuis selon dit a-t-il"
    )
}
