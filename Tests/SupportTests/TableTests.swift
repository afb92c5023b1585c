import NASSupport
import Testing

@Suite struct TableTests {
    static let table = Table(header: ["name", "ms"], rows: [["`a|b`", "1.5"], ["c"]], rightAligned: [false, true])

    @Test func textAlignsNumbersRightAndPadsShortRows() {
        #expect(Self.table.text(rule: true) == "name    ms\n-----  ---\n`a|b`  1.5\nc")
    }

    @Test func markdownEscapesPipesInCells() {
        #expect(Self.table.markdown == "| name | ms |\n| --- | ---: |\n| `a\\|b` | 1.5 |\n| c |  |\n")
    }

    @Test func htmlMarksNumericCellsAndRendersInlineCode() {
        #expect(Self.table.html == "<table>\n<tr><th>name</th><th>ms</th></tr>\n"
                + "<tr><td><code>a|b</code></td><td class=\"num\">1.5</td></tr>\n"
                + "<tr><td>c</td><td class=\"num\"></td></tr>\n</table>\n")
    }

    @Test func inlineMarkupEscapesAndLeavesAnUnpairedMarkerAlone() {
        #expect(HTML.inline("**x** < `y` & `z") == "<b>x</b> &lt; <code>y</code> &amp; `z")
        #expect(HTML.escape("\"<>&") == "&quot;&lt;&gt;&amp;")
    }
}
