import Foundation
import Testing
import TekigoCore
import TekigoSTIX
import TekigoTestSupport

@Suite("STIX 2.1 patterning (§9): the parser")
struct STIXPatternTests {
    /// The pattern examples of STIX 2.1 §9 (and of the OASIS validator's own list of them).
    static let specificationExamples = [
        "[file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f']",
        #"[email-message:from_ref.value MATCHES '.+\\@example\\.com$' AND email-message:body_multipart[*].body_raw_ref.name MATCHES '^Final Report.+\\.exe$']"#,
        "[file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f' AND file:mime_type = 'application/x-pdf']",
        "[file:hashes.'SHA-256' = 'bf07a7fbb825fc0aae7bf4a1177b2b31fcf8a3feeaf7092761e18c859ee52a9c' OR file:hashes.MD5 = 'cead3f77f6cda6ec00f57d76c9a6879f'] AND [file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f']",
        #"([file:hashes.MD5 = '79054025255fb1a26e4bc422aef54eb4'] FOLLOWEDBY [win-registry-key:key = 'HKEY_LOCAL_MACHINE\\foo\\bar']) WITHIN 300 SECONDS"#,
        "[user-account:account_type = 'unix' AND user-account:user_id = '1007' AND user-account:account_login = 'Peter'] AND [user-account:account_type = 'unix' AND user-account:user_id = '1008' AND user-account:account_login = 'Paul'] AND [user-account:account_type = 'unix' AND user-account:user_id = '1009' AND user-account:account_login = 'Mary']",
        #"[artifact:mime_type = 'application/vnd.tcpdump.pcap' AND artifact:payload_bin MATCHES '\\xd4\\xc3\\xb2\\xa1\\x02\\x00\\x04\\x00']"#,
        #"[file:name = 'foo.dll' AND file:parent_directory_ref.path = 'C:\\Windows\\System32']"#,
        "[file:extensions.'windows-pebinary-ext'.sections[*].entropy > 7.0]",
        "[file:mime_type = 'image/bmp' AND file:magic_number_hex = h'ffd8']",
        "[network-traffic:dst_ref.type = 'ipv4-addr' AND network-traffic:dst_ref.value = '203.0.113.33/32']",
        "[network-traffic:dst_ref.type = 'domain-name' AND network-traffic:dst_ref.value = 'example.com'] REPEATS 5 TIMES WITHIN 1800 SECONDS",
        "[domain-name:value = 'www.5z8.info' AND domain-name:resolves_to_refs[*].value = '198.51.100.1/32']",
        "[url:value = 'http://example.com/foo' OR url:value = 'http://example.com/bar']",
        "[x509-certificate:issuer = 'CN=WEBMAIL' AND x509-certificate:serial_number = '4c:0b:1d:19:74:86:a7:66:b4:1a:bf:40:27:21:76:28']",
        #"[windows-registry-key:key = 'HKEY_CURRENT_USER\\Software\\CryptoLocker\\Files' OR windows-registry-key:key = 'HKEY_CURRENT_USER\\Software\\Microsoft\\CurrentVersion\\Run\\CryptoLocker_0388']"#,
        "[(file:name = 'pdf.exe' OR file:size = '371712') AND file:created = t'2014-01-13T07:03:17Z']",
        "[email-message:sender_ref.value = 'jdoe@example.com' AND email-message:subject = 'Conference Info']",
        "[x-usb-device:usbdrive.serial_number = '575833314133343231313937']",
        "[process:command_line MATCHES '^.+>-add GlobalSign.cer -c -s -r localMachine Root$'] FOLLOWEDBY [process:command_line MATCHES'^.+>-add GlobalSign.cer -c -s -r localMachineTrustedPublisher$'] WITHIN 300 SECONDS",
        "[network-traffic:dst_ref.value ISSUBSET '2001:0db8:dead:beef:0000:0000:0000:0000/64']",
        #"([file:name = 'foo.dll'] AND [win-registry-key:key = 'HKEY_LOCAL_MACHINE\\foo\\bar']) OR [process:name = 'fooproc' OR process:name = 'procfoo']"#,
        "[file:hashes.MD5 = 'cead3f77f6cda6ec00f57d76c9a69faa']",
        "[ipv4-addr:value = '198.51.100.1/32' OR ipv4-addr:value = '203.0.113.33/32' OR ipv6-addr:value = '2001:0db8:dead:beef:dead:beef:dead:0001/128']",
        "[domain-name:value = 'example.com'] START t'2016-06-01T00:00:00Z' STOP t'2016-07-01T00:00:00Z'",
        "[file:size >= 1024 AND file:size <= 2048 AND file:size != 1500 AND file:size < 4096]",
        "[ipv4-addr:value NOT ISSUPERSET '198.51.100.0/24']",
        "[file:name NOT LIKE 'setup%.exe' AND file:name IN ('a.exe', 'b.exe')]",
        "[EXISTS windows-registry-key:values[0].data]",
        "[artifact:payload_bin = b'dGhpcyBpcyBhIHRlc3Q=' AND artifact:mime_type = 'text/plain']",
        "[process:is_hidden = true OR process:pid = 4]",
    ]

    @Test("STIX 2.1 §9: every patterning example of the specification parses", arguments: specificationExamples)
    func specificationExample(_ text: String) throws {
        let pattern = try STIXPattern.parse(text)
        #expect(pattern.text == text)
        #expect(!pattern.objectPaths.isEmpty)
    }

    /// Every indicator (`pattern_type` "stix") in the STIX files of ../shared/data: the OASIS examples, the APT1 and
    /// Poison Ivy reports, the Incident Core examples, medallion's sample collection.
    static func sharedIndicators() throws -> [(file: String, pattern: String)] {
        let root = try TestEnvironment.sharedData("stix")
        var found: [(file: String, pattern: String)] = []
        func walk(_ value: Any, _ file: String) {
            if let object = value as? [String: Any] {
                if object["type"] as? String == "indicator", let pattern = object["pattern"] as? String,
                   (object["pattern_type"] as? String ?? "stix") == "stix" {
                    found.append((file, pattern))
                }
                object.values.forEach { walk($0, file) }
            } else if let list = value as? [Any] {
                list.forEach { walk($0, file) }
            }
        }
        let files = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "json" } ?? []
        for url in files {
            guard let json = try? JSONSerialization.jsonObject(with: Data(contentsOf: url)) else { continue }
            walk(json, String(url.path.dropFirst(root.path.count + 1)))
        }
        return found
    }

    @Test("STIX 2.1 §9: every indicator pattern in the shared STIX files (OASIS examples, APT1, Poison Ivy, medallion's data) parses",
          .enabled(if: TestEnvironment.runSharedDataTests, "needs ../shared/data"))
    func sharedDataPatterns() throws {
        let indicators = try Self.sharedIndicators()
        #expect(indicators.count >= 40, "found \(indicators.count) indicators")
        for (file, text) in indicators {
            do {
                let pattern = try STIXPattern.parse(text)
                #expect(!pattern.equalityComparisons.isEmpty || !pattern.comparisons.isEmpty, "\(file): \(text)")
            } catch {
                Issue.record("\(file): \(text) — \(error)")
            }
        }
    }

    // MARK: structure

    @Test("STIX 2.1 §9.6: between observations AND binds tighter than OR, and OR tighter than FOLLOWEDBY")
    func observationPrecedence() throws {
        let p = try STIXPattern.parse("[a-a:xxx = 1] AND [b-b:xxx = 1] OR [c-c:xxx = 1] FOLLOWEDBY [d-d:xxx = 1] OR [e-e:xxx = 1]")
        guard case .followedBy(let steps) = p.expression, steps.count == 2,
              case .or(let first) = steps[0], first.count == 2, case .and(let both) = first[0], both.count == 2,
              case .or(let second) = steps[1], second.count == 2 else {
            Issue.record("unexpected tree \(p.expression)")
            return
        }
        #expect(p.objectPaths.map(\.objectType) == ["a-a", "b-b", "c-c", "d-d", "e-e"])
    }

    @Test("STIX 2.1 §9.5: inside brackets AND binds tighter than OR; parentheses group")
    func comparisonPrecedence() throws {
        let p = try STIXPattern.parse("[file:name = 'a' OR file:name = 'b' AND file:size = 1]")
        guard case .observation(.or(let alternatives), let qualifiers) = p.expression, qualifiers.isEmpty,
              alternatives.count == 2, case .comparison = alternatives[0], case .and(let both) = alternatives[1],
              both.count == 2 else {
            Issue.record("unexpected tree \(p.expression)")
            return
        }
        let grouped = try STIXPattern.parse("[(file:name = 'a' OR file:name = 'b') AND file:size = 1]")
        guard case .observation(.and(let items), _) = grouped.expression, items.count == 2, case .or = items[0] else {
            Issue.record("unexpected tree \(grouped.expression)")
            return
        }
    }

    @Test("STIX 2.1 §9.6: a qualifier applies to the observation (or parenthesised group) just before it, and several may follow one")
    func qualifiers() throws {
        let p = try STIXPattern.parse("[file:size = 1] AND [file:size = 2] REPEATS 5 TIMES WITHIN 1800.5 SECONDS "
                                      + "START t'2016-06-01T01:30:00.123Z' STOP t'2016-06-01T02:20:00Z'")
        guard case .and(let items) = p.expression, items.count == 2,
              case .observation(_, let none) = items[0], none.isEmpty,
              case .observation(_, let qualifiers) = items[1] else {
            Issue.record("unexpected tree \(p.expression)")
            return
        }
        #expect(qualifiers == [.repeats(times: 5), .within(seconds: 1800.5),
                               .startStop(start: STIXTimestamp("2016-06-01T01:30:00.123Z")!, stop: STIXTimestamp("2016-06-01T02:20:00Z")!)])
        let group = try STIXPattern.parse("([file:size = 1] FOLLOWEDBY [file:size = 2]) WITHIN 5 SECONDS WITHIN 6 SECONDS")
        guard case .group(.followedBy, let outer) = group.expression else {
            Issue.record("unexpected tree \(group.expression)")
            return
        }
        #expect(outer == [.within(seconds: 5), .within(seconds: 6)])
    }

    @Test("STIX 2.1 §9.3: literals — strings with \\' and \\\\ escapes, integers, floats, booleans, timestamps, binary, hex, sets")
    func literals() throws {
        let p = try STIXPattern.parse(#"[x-test:str = 'it\'s C:\\dir' AND x-test:int = -42 AND x-test:pos = +7 AND x-test:flt = -.5 "#
                                      + "AND x-test:bool = false AND x-test:stamp = t'2016-06-01T01:30:00.123456Z' "
                                      + "AND x-test:bin = b'dGVzdA==' AND x-test:hex = h'FFd8' AND x-test:set IN ('a', 1, true) "
                                      + "AND x-test:empty IN ()]")
        let values = p.comparisons.map(\.value)
        #expect(values == [
            .string(#"it's C:\dir"#), .integer(-42), .integer(7), .float(-0.5, text: "-.5"), .boolean(false),
            .timestamp(STIXTimestamp("2016-06-01T01:30:00.123456Z")!, text: "2016-06-01T01:30:00.123456Z"),
            .binary("dGVzdA=="), .hex("FFd8"), .set([.string("a"), .integer(1), .boolean(true)]), .set([]),
        ])
    }

    @Test("STIX 2.1 §9.4: object paths — quoted keys, list indexes [n] and [*], extensions; printed back in pattern form")
    func objectPaths() throws {
        let p = try STIXPattern.parse("[file:extensions.'windows-pebinary-ext'.sections[*].entropy > 7.0 AND "
                                      + "file:hashes.'SHA-256' = 'aec070645fe53ee3b3763059376134f058cc337247c978add178b6ccdfb0019f' AND "
                                      + "windows-registry-key:values[2].name = 'x' AND file:'name' = 'a' AND file:hashes.MD5 != 'cead3f77f6cda6ec00f57d76c9a69faa']")
        #expect(p.objectPaths.map(\.description) == [
            "file:extensions.'windows-pebinary-ext'.sections[*].entropy", "file:hashes.'SHA-256'",
            "windows-registry-key:values[2].name", "file:name", "file:hashes.MD5",
        ])
        let first = p.objectPaths[0]
        #expect(first.objectType == "file" && first.property == "extensions")
        #expect(first.steps == [.property("windows-pebinary-ext"), .property("sections"), .anyIndex, .property("entropy")])
        #expect(try STIXObjectPath.parse("file:hashes.'SHA-256'") == STIXObjectPath(objectType: "file", property: "hashes", steps: [.property("SHA-256")]))
        #expect(try STIXObjectPath.parse("ipv4-addr:value").description == "ipv4-addr:value")
        #expect(STIXObjectPath(objectType: "x-acme", property: "key", steps: [.property("AND"), .property("it's")]).description
                == #"x-acme:key.'AND'.'it\'s'"#)
        #expect(throws: STIXPatternError.self) { try STIXObjectPath.parse("file:name = 'a'") }
    }

    @Test("Issue 14 (search by value): equality comparisons are the = pairs not negated; named values add IN members")
    func equalityComparisons() throws {
        let p = try STIXPattern.parse("[domain-name:value = 'evil.example' OR ipv4-addr:value == '198.51.100.7'] "
                                      + "AND [ipv4-addr:value != '10.0.0.1' AND ipv4-addr:value NOT = '10.0.0.2' "
                                      + "AND url:value IN ('http://a.example/', 'http://b.example/') AND file:size = 10 "
                                      + "AND email-addr:value LIKE '%@evil.example']")
        let pairs = p.equalityComparisons.map { "\($0.path)=\($0.value)" }
        #expect(pairs == ["domain-name:value=evil.example", "ipv4-addr:value=198.51.100.7", "file:size=10"])
        #expect(p.namedValues.map { "\($0.path)=\($0.value)" }
                == ["domain-name:value=evil.example", "ipv4-addr:value=198.51.100.7", "url:value=http://a.example/",
                    "url:value=http://b.example/", "file:size=10"])
        #expect(p.comparisons.filter(\.negated).map(\.op) == [.equal])
    }

    @Test("STIX 2.1 §9.3: a string literal made for a pattern is read back to the same value; equality(path, value) parses")
    func stringLiteralRoundTrip() throws {
        for value in ["plain", #"it's"#, #"C:\Windows\System32"#, #"\'"#, "日本語", ""] {
            let made = try STIXPattern.equality(try STIXObjectPath.parse("file:name"), value)
            #expect(made.equalityComparisons.first?.value == value, "\(made.text)")
            #expect(made.equalityComparisons.count == 1)
        }
        let hash = STIXObjectPath(objectType: "file", property: "hashes", steps: [.property("SHA-256")])
        #expect(try STIXPattern.equality(hash, String(repeating: "ab", count: 32)).text == "[file:hashes.'SHA-256' = '\(String(repeating: "ab", count: 32))']")
        #expect(throws: STIXPatternError.self) { try STIXPattern.equality(hash, "not a hash") }
        #expect(STIXPattern.stringLiteral(#"a'b\c"#) == #"'a\'b\\c'"#)
    }

    @Test("STIX 2.1 §9: white space of any kind and /* */ and // comments separate tokens; == and <> are = and !=")
    func layout() throws {
        let p = try STIXPattern.parse("\t[ file:name\u{3000}==\n'a' /* a comment */ AND file:size <> 3 ]  // trailing comment")
        #expect(p.comparisons.map(\.op) == [.equal, .notEqual])
        #expect(try STIXPattern.parse("( [(network-traffic:dst_port IN(443,6443,8443) AND network-traffic:src_packets != 0) ])").comparisons.count == 2)
    }

    @Test("Patterns are equal when their texts are; the error converts to STIXProblem.invalidPattern with en and ja text")
    func equalityAndProblem() throws {
        #expect(try STIXPattern.parse("[file:size = 1]") == STIXPattern.parse("[file:size = 1]"))
        #expect(try STIXPattern.parse("[file:size = 1]") != STIXPattern.parse("[file:size  = 1]"))
        do {
            _ = try STIXPattern.parse("[file:size = ]")
            Issue.record("accepted")
        } catch {
            #expect(error.position == 13)
            #expect(error.problem == .invalidPattern(position: 13, reason: error.reason))
            #expect(error.problem.text.en.hasPrefix("the pattern cannot be read at character 13: expected a value after ="))
            #expect(error.problem.text.ja.contains("13"))
            #expect(error.description.hasPrefix("character 13: "))
        }
    }
}
