import Foundation
import Testing
import TekigoCore
import TekigoSTIX

/// A pattern the parser must refuse, where, and a piece of the reason it must give.
struct RefusedPattern: Sendable, CustomTestStringConvertible {
    let text: String
    let position: Int
    let reason: String

    init(_ text: String, _ position: Int, _ reason: String) {
        self.text = text
        self.position = position
        self.reason = reason
    }

    var testDescription: String { text }
}

@Suite("STIX 2.1 patterning (§9): what the parser refuses, where and why")
struct STIXPatternInvalidTests {
    static let grammar: [RefusedPattern] = [
        // Brackets and structure
        RefusedPattern("", 0, "the pattern is empty"),
        RefusedPattern("   ", 3, "the pattern is empty"),
        RefusedPattern("file:size = 1280", 0, "expected an observation: '['"),
        RefusedPattern("[file:size = 1280", 17, "expected AND, OR or ']' to close the observation opened at character 0, found the end of the pattern"),
        RefusedPattern("[file:size = 1280]]", 18, "expected AND, OR, FOLLOWEDBY, a qualifier (WITHIN, REPEATS, START) or the end of the pattern, found ']'"),
        RefusedPattern("([file:size = 1280]", 19, "to close the '(' at character 0, found the end of the pattern"),
        RefusedPattern("[file:size = 1280])", 18, "found ')'"),
        RefusedPattern("[]", 1, "the observation opened at character 0 is empty"),
        RefusedPattern("[file:size = 1] AND []", 21, "the observation opened at character 20 is empty"),
        RefusedPattern("()", 1, "the parentheses opened at character 0 are empty"),
        RefusedPattern("[()]", 2, "the parentheses opened at character 1 are empty"),
        RefusedPattern("[file:size = 1] [file:size = 2]", 16, "expected AND, OR, FOLLOWEDBY"),
        RefusedPattern("[file:size = 1] AND", 19, "the pattern ends where an observation was expected"),
        RefusedPattern("[file:size = 1 AND]", 18, "expected a comparison"),
        RefusedPattern("[file:size = 1 AND", 18, "the pattern ends inside an observation"),
        RefusedPattern("[(file:size = 1 OR file:size = 2]", 32, "expected AND, OR or ')' to close the '(' at character 1, found ']'"),
        // Values
        RefusedPattern("[ipv4-addr:value = ]", 19, "expected a value after = (a string in single quotes"),
        RefusedPattern("[file:hashes.MD5 = cead3f77f6cda6ec00f57d76c9a6879f]", 19, "a string is written in single quotes: 'cead3f77f6cda6ec00f57d76c9a6879f'"),
        RefusedPattern("[file:name = 'foo.dll]", 13, "the string that starts here has no closing quote"),
        RefusedPattern("[file:name = foo.dll']", 13, "found the word 'foo'"),
        RefusedPattern(#"[file:name = 'C:\Windows']"#, 16, "a backslash in a string must be followed by ' or \\"),
        RefusedPattern("[file:name MATCHES /.*\\.dll/]", 19, "unexpected character '/'"),
        RefusedPattern("[file:size = 01]", 13, "the integer 01 has a leading zero"),
        RefusedPattern("[file:size = 99999999999999999999]", 13, "does not fit in 64 bits"),
        RefusedPattern("[file:size = (1, 2)]", 13, "a set ( … ) can only follow IN"),
        RefusedPattern("[file:size IN 1]", 14, "IN needs a set in parentheses"),
        RefusedPattern("[file:size IN (1, 2]", 19, "expected ',' or ')' in the set opened at character 14, found ']'"),
        RefusedPattern("[file:size IN (1,)]", 17, "expected a value after ','"),
        RefusedPattern("[file:name LIKE 5]", 16, "LIKE needs a string in single quotes, found the number 5"),
        RefusedPattern("[file:name MATCHES t'2016-01-01T00:00:00Z']", 19, "MATCHES needs a string in single quotes, found the timestamp"),
        RefusedPattern("[ipv4-addr:value ISSUBSET ]", 26, "ISSUBSET needs a string in single quotes, found ']'"),
        RefusedPattern("[file:size < true]", 13, "< compares order, and true/false have none"),
        RefusedPattern("[artifact:payload_bin = b'====']", 24, "b'====' is not base64"),
        RefusedPattern("[artifact:payload_bin = b'']", 24, "is not base64"),
        RefusedPattern("[artifact:payload_bin = b'abc']", 24, "is not base64"),
        RefusedPattern("[file:magic_number_hex = h'fff']", 25, "h'fff' is not hexadecimal"),
        RefusedPattern("[file:magic_number_hex = h'zz']", 25, "is not hexadecimal"),
        RefusedPattern("[file:name = h'ff]", 13, "the h'…' literal that starts here has no closing quote"),
        // Operators
        RefusedPattern("[file:hashes.MD5 =? 'cead3f77f6cda6ec00f57d76c9a6879f']", 18, "unexpected character '?'"),
        RefusedPattern("[file:name ~ 'a']", 11, "unexpected character '~'"),
        RefusedPattern("[file:name ! 'a']", 11, "'!' must be followed by '='"),
        RefusedPattern("[file:name CONTAINS 'a']", 11, "expected a comparison operator (=, !=, <, <=, >, >=, IN, LIKE, MATCHES, ISSUBSET, ISSUPERSET) after file:name, found 'CONTAINS'"),
        RefusedPattern("[file:name like 'a%']", 11, "'like' (keywords are written in upper case: LIKE)"),
        RefusedPattern("[file:name]", 10, "expected a comparison operator"),
        RefusedPattern("[file:name = 'a' AND NOT file:size = 1]", 21, "NOT goes between the object path and the operator"),
        RefusedPattern("[file:name EXISTS]", 11, "EXISTS goes before the object path: [EXISTS file:name]"),
        RefusedPattern("[file:name = 'a'] AND NOT [file:size = 1]", 22, "expected an observation"),
        // Object paths
        RefusedPattern("[file.size = 1280]", 5, "expected ':' after the object type 'file'"),
        RefusedPattern("[size = 1280]", 6, "expected ':' after the object type 'size'"),
        RefusedPattern("[:size = 1280]", 1, "expected a comparison"),
        RefusedPattern("[file: = 1280]", 7, "expected a property name after 'file:', found '='"),
        RefusedPattern("[File:size = 1]", 1, "'File' is not a STIX object type"),
        RefusedPattern("[x_whatever:detected = 1]", 1, "'x_whatever' is not a STIX object type"),
        RefusedPattern("[ab:size = 1]", 1, "'ab' is not a STIX object type"),
        RefusedPattern("[x-acme:Name = 1]", 8, "'Name' is not a STIX property name"),
        RefusedPattern("[x-acme:ab = 1]", 8, "'ab' is not a STIX property name"),
        RefusedPattern("[file:hashes.SHA-256 = 'a']", 13, "cannot contain '-'; quote it: 'SHA-256'"),
        RefusedPattern("[file:hashes.IN = 'a']", 13, "IN is a keyword; as a property name it must be quoted: 'IN'"),
        RefusedPattern("[file:hashes. = 'a']", 14, "expected a property name after '.'"),
        RefusedPattern("[file:sections[x].entropy = 1]", 15, "expected a list index, a whole number or '*'"),
        RefusedPattern("[file:sections[1.5].entropy = 1]", 15, "expected a list index"),
        RefusedPattern("[file:sections[-1].entropy = 1]", 15, "the list index -1 is not a whole number from 0 up"),
        RefusedPattern("[file:sections[0.entropy = 1]", 16, "expected ']' to close the list index opened at character 14"),
        RefusedPattern("[AND:size = 1]", 1, "found the keyword AND"),
        // Qualifiers
        RefusedPattern("[file:size = 1] WITHIN -1 SECONDS", 23, "WITHIN needs a number of seconds greater than 0, found -1"),
        RefusedPattern("[file:size = 1] WITHIN SECONDS", 23, "expected the number of seconds after WITHIN"),
        RefusedPattern("[file:size = 1] WITHIN 5 HOURS", 25, "expected SECONDS after WITHIN 5 (seconds are the only unit), found 'HOURS'"),
        RefusedPattern("[file:size = 1] WITHIN 5", 24, "expected SECONDS after WITHIN 5"),
        RefusedPattern("[file:size = 1] within 5 seconds", 16, "'within' (keywords are written in upper case: WITHIN)"),
        RefusedPattern("[file:size = 1] REPEATS 1.5 TIMES", 24, "REPEATS needs a whole number of times, found 1.5"),
        RefusedPattern("[file:size = 1] REPEATS -2 TIMES", 24, "REPEATS needs a whole number of times greater than 0, found -2"),
        RefusedPattern("[file:size = 1] REPEATS 2", 25, "expected TIMES after REPEATS 2"),
        RefusedPattern("[file:size = 1] START '2016-06-01T01:30:00Z' STOP t'2016-06-01T02:30:00Z'", 22, "expected a timestamp after START, written t'2016-06-01T01:30:00Z', found the string '2016-06-01T01:30:00Z'"),
        RefusedPattern("[file:size = 1] START t'2016-06-01T01:30:00Z'", 45, "expected STOP after START t'2016-06-01T01:30:00Z'"),
        RefusedPattern("[file:size = 1] START t'2016-06-01T01:30:00Z' STOP", 50, "expected a timestamp after STOP"),
        RefusedPattern("[file:size = 1] WITHIN 5 SECONDS WITHIN 6 SECONDS", 33, "a second WITHIN qualifier on the same observation (the first is at character 16)"),
        RefusedPattern("([file:size = 1] REPEATS 2 TIMES REPEATS 3 TIMES)", 33, "a second REPEATS qualifier"),
        RefusedPattern("[file:size = 1] START t'2016-06-01T01:30:00.123Z' STOP t'2016-06-01T02:20:00.123Z' START t'2016-06-01T01:30:00.123Z' STOP t'2016-06-01T02:20:00.123Z'",
                       83, "a second START qualifier"),
        // Timestamps
        RefusedPattern("[x-acme:created = t'2457-73-22T32:81:84.1Z']", 18, "t'2457-73-22T32:81:84.1Z' is not a STIX timestamp"),
        RefusedPattern("[x-acme:created = t'2024-01-15T12:30:45']", 18, "is not a STIX timestamp"),
        RefusedPattern("[x-acme:created = t'2024-01-15 12:30:45Z']", 18, "is not a STIX timestamp"),
        RefusedPattern("[x-acme:created = t'2024-01-15T12:30:45+09:00']", 18, "is not a STIX timestamp"),
        RefusedPattern("[x-acme:created = t'not-a-timestamp']", 18, "is not a STIX timestamp"),
        RefusedPattern("[x-acme:created = t'2024-01-15T12:30:45Z]", 18, "the t'…' literal that starts here has no closing quote"),
        // Trailing garbage, comments, characters
        RefusedPattern("[file:size = 1] garbage", 16, "found 'garbage'"),
        RefusedPattern("[file:size = 1];", 15, "unexpected character ';'"),
        RefusedPattern("[file:size = 1] /* unclosed", 16, "the comment that starts here is not closed with */"),
        RefusedPattern("[file:size = 1]\u{0}", 15, "unexpected character U+0000"),
        RefusedPattern("[ファイル:size = 1]", 1, "unexpected character 'フ'"),
        RefusedPattern("[file:name = 'a'] AND -", 22, "a sign must be followed by a number"),
    ]

    @Test("STIX 2.1 §9 grammar: brackets, values, operators, object paths, qualifiers, timestamps and trailing text are refused with the position and the reason",
          arguments: grammar)
    func refused(_ c: RefusedPattern) {
        do {
            let p = try STIXPattern.parse(c.text)
            Issue.record("accepted: \(p.expression)")
        } catch {
            #expect(error.position == c.position, "\(error)")
            #expect(error.reason.contains(c.reason), "\(error)")
        }
    }

    static let semantic: [RefusedPattern] = [
        // stix2-patterns: a hash compared has its algorithm's form
        RefusedPattern("[file:hashes.'SHA-256' = 'f00']", 25, "'f00' is not a valid SHA-256 hash: it must be 64 hexadecimal digits"),
        RefusedPattern("[file:hashes.md5 = '001dd76872d80801692ff942308c64e']", 19, "is not a valid MD5 hash"),
        RefusedPattern("[file:hashes.'SHA-1' != 'g01dd76872d80801692ff942308c64e6001dd768']", 24, "is not a valid SHA-1 hash"),
        RefusedPattern("[file:hashes.SSDEEP = '']", 22, "is not a valid SSDEEP hash"),
        RefusedPattern("[file:hashes.MD5 MATCHES '^001dd']", 25, "is not a valid MD5 hash"),
        RefusedPattern("[file:hashes.MD5 = h'001dd76872d80801692ff942308c64e6']", 19, "a MD5 hash is compared with a string in quotes"),
        RefusedPattern("[file:hashes.MD5 IN ('001dd76872d80801692ff942308c64e6')]", 20, "not IN"),
        RefusedPattern("[file:extensions.'windows-pebinary-ext'.sections[*].hashes.'SHA-256' = 'abc']", 71, "is not a valid SHA-256 hash"),
        // Stricter than stix2-patterns (the grammar alone accepts these)
        RefusedPattern("[file:size = 1] WITHIN 0 SECONDS", 23, "greater than 0, found 0"),
        RefusedPattern("[file:size = 1] WITHIN .0 SECONDS", 23, "greater than 0"),
        RefusedPattern("[file:size = 1] REPEATS 0 TIMES", 24, "greater than 0, found 0"),
        RefusedPattern("[file:size = 1] START t'2016-06-01T02:00:00Z' STOP t'2016-06-01T01:00:00Z'", 51, "STOP t'2016-06-01T01:00:00Z' is not later than START t'2016-06-01T02:00:00Z'"),
        RefusedPattern("[file:size = 1] START t'2016-06-01T02:00:00Z' STOP t'2016-06-01T02:00:00.000Z'", 51, "is not later than START"),
        RefusedPattern("[x-acme:created = t'2023-02-29T12:00:00Z']", 18, "t'2023-02-29T12:00:00Z' is not a STIX timestamp: it must be a real UTC instant"),
        RefusedPattern("[x-acme:created = t'2024-04-31T12:00:00Z']", 18, "is not a STIX timestamp"),
    ]

    @Test("STIX 2.1 §9 and the OASIS validator's rules: hash forms, qualifier numbers above zero, START before STOP, real dates",
          arguments: semantic)
    func refusedByRule(_ c: RefusedPattern) {
        do {
            let p = try STIXPattern.parse(c.text)
            Issue.record("accepted: \(p.expression)")
        } catch {
            #expect(error.position == c.position, "\(error)")
            #expect(error.reason.contains(c.reason), "\(error)")
        }
    }

    @Test("STIX 2.1 §9: deep nesting is refused with its position instead of exhausting the stack; long AND/OR chains are fine")
    func depth() throws {
        let deep = String(repeating: "(", count: 200) + "[file:size = 1]" + String(repeating: ")", count: 200)
        do {
            _ = try STIXPattern.parse(deep)
            Issue.record("accepted")
        } catch {
            #expect(error.position == STIXPattern.maximumDepth)
            #expect(error.reason.contains("nest more than \(STIXPattern.maximumDepth) levels"))
        }
        let nested = String(repeating: "(", count: 30) + "[file:size = 1]" + String(repeating: ")", count: 30)
        #expect(throws: Never.self) { try STIXPattern.parse(nested) }
        let long = "[" + (0..<5000).map { "ipv4-addr:value = '198.51.\($0 / 256).\($0 % 256)'" }.joined(separator: " OR ") + "]"
        #expect(try STIXPattern.parse(long).equalityComparisons.count == 5000)
        let observations = (0..<2000).map { "[url:value = 'http://example.com/\($0)']" }.joined(separator: " FOLLOWEDBY ")
        #expect(try STIXPattern.parse(observations).objectPaths.count == 1)
    }

    @Test("STIX 2.1 §9: positions count Unicode scalars from 0, also after non-ASCII text")
    func positionsAfterNonASCII() {
        do {
            _ = try STIXPattern.parse("[file:name = '日本語のファイル' AND file:size = ]")
            Issue.record("accepted")
        } catch {
            #expect(error.position == 40, "\(error)")
        }
    }

    @Test("STIX 2.1 §9: mangled and truncated patterns (2,000 made from the specification's examples) never crash the parser, and every refusal points inside the text")
    func mangledInput() {
        var seed: UInt64 = 0x5EED_1234
        func random(_ n: Int) -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((seed >> 33) % UInt64(n))
        }
        let pieces: [String] = ["[", "]", "(", ")", "'", "\\", ":", ".", ",", "*", "=", "!", "<", ">", "-", "+", "0", "9", " ",
                                "AND", "OR", "NOT", "IN", "t'", "b'", "h'", "WITHIN", "/*", "//", "日", "\u{0}"]
        var refused = 0
        for round in 0..<2000 {
            var scalars = Array(STIXPatternTests.specificationExamples[round % STIXPatternTests.specificationExamples.count].unicodeScalars)
            for _ in 0...random(3) {
                let at = random(scalars.count + 1)
                switch random(3) {
                case 0: if at < scalars.count { scalars.remove(at: at) }
                case 1: scalars.insert(contentsOf: pieces[random(pieces.count)].unicodeScalars, at: at)
                default: scalars = Array(scalars.prefix(at))
                }
            }
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars)
            let text = String(view)
            do {
                _ = try STIXPattern.parse(text)
            } catch {
                refused += 1
                #expect(error.position >= 0 && error.position <= scalars.count, "\(text): \(error)")
                #expect(!error.reason.isEmpty)
            }
        }
        #expect(refused > 1000)
    }
}
