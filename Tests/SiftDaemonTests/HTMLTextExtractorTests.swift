import Foundation
import Testing

@testable import SiftDaemon

@Suite("HTML extraction")
struct HTMLTextExtractorTests {
    @Test("keeps the article's title and text, drops scripts, navigation and sharing")
    func extractsArticle() throws {
        let html = String(decoding: try Fixtures.bytes("article.html"), as: UTF8.self)
        let page = try HTMLTextExtractor().extract(html)
        #expect(page.title == "الناتو والوفاق يبحثان الأوضاع في ليبيا")
        #expect(page.text.contains("بحث رئيس المجلس الرئاسي فائز السراج"))
        #expect(page.text.contains("العسكرية والأمنية & السياسية"))
        #expect(page.text.contains("«لا حل عسكرياً للأزمة»"))
        #expect(page.text.contains("المؤسسات الأمنية."))
        for dropped in ["tracking", "not text", "color: red", "الرئيسية", "Twitter Post", "مقالات ذات صلة", "commented out", "جميع الحقوق محفوظة"] {
            #expect(!page.text.contains(dropped), "\(dropped) should be dropped")
        }
        #expect(page.metadata["url"] == "https://news.example/libya/nato-call")
        #expect(page.metadata["published"] == "2020-06-13T18:30:00+02:00")
        let blocks = page.text.components(separatedBy: "\n\n")
        #expect(blocks.count == 4)
        #expect(blocks.first == "الناتو والوفاق يبحثان الأوضاع في ليبيا")
        #expect(blocks[1] == "13 يونيو 2020")
    }

    @Test("falls back to the <title> and the whole body without <article>")
    func withoutArticle() throws {
        let page = try HTMLTextExtractor().extract(
            "<html><head><title> Plain &amp; simple </title></head><body><p>One.</p><p>Two<br>lines</p></body></html>"
        )
        #expect(page.title == "Plain & simple")
        #expect(page.text == "One.\n\nTwo\n\nlines")
    }

    @Test("survives broken markup")
    func brokenMarkup() throws {
        let page = try HTMLTextExtractor().extract("<p>a < b and <b>bold</b> &unknown; &#1604;<p unclosed=\"x>tail")
        #expect(page.text.contains("a < b and bold &unknown; ل"))
    }
}
