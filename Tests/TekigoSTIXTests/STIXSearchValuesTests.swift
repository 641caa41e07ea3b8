import Foundation
import Testing
import TekigoCore
import TekigoSTIX

@Suite("Search by value (issue 14 item 6): the values each object is found by, and what a person typed read the same way")
struct STIXSearchValuesTests {
    func values(_ type: String, _ properties: [String: JSONValue]) -> [STIXSearchValue] {
        STIXSearchValues.values(type: type, properties: properties)
    }

    @Test("Issue 14 item 6: each cyber-observable's value is indexed in its normal form")
    func observables() {
        #expect(values("ipv4-addr", ["value": "198.51.100.7"]) == [STIXSearchValue(kind: .ipv4, value: "198.51.100.7")])
        #expect(values("ipv4-addr", ["value": "198.51.100.0/24"]) == [STIXSearchValue(kind: .ipv4, value: "198.51.100.0/24")])
        #expect(values("ipv6-addr", ["value": "2001:DB8:0:0:0:0:0:1"]) == [STIXSearchValue(kind: .ipv6, value: "2001:db8::1")])
        #expect(values("domain-name", ["value": "Evil.Example.COM."]) == [STIXSearchValue(kind: .domain, value: "evil.example.com")])
        #expect(values("url", ["value": "HTTPS://Evil.Example.com/Path?Q=A"])
            == [STIXSearchValue(kind: .url, value: "https://evil.example.com/Path?Q=A")])
        #expect(values("email-addr", ["value": "Phish@Example.COM"]) == [STIXSearchValue(kind: .email, value: "phish@example.com")])
    }

    @Test("Issue 14 item 6: a file by its four common hashes (lower-case) and its name; custom algorithms left out")
    func files() {
        let md5 = String(repeating: "A", count: 32), sha1 = String(repeating: "b", count: 40)
        let sha256 = String(repeating: "C", count: 64), sha512 = String(repeating: "d", count: 128)
        let v = values("file", ["name": "dropper.exe", "hashes": .object(["MD5": .string(md5), "SHA-1": .string(sha1),
                                                                         "SHA-256": .string(sha256), "SHA-512": .string(sha512),
                                                                         "x-custom": "zzz"])])
        #expect(Set(v) == [STIXSearchValue(kind: .hash, value: md5.lowercased()), STIXSearchValue(kind: .hash, value: sha1),
                           STIXSearchValue(kind: .hash, value: sha256.lowercased()), STIXSearchValue(kind: .hash, value: sha512),
                           STIXSearchValue(kind: .fileName, value: "dropper.exe")])
    }

    @Test("Issue 14 item 6: a vulnerability by its CVE name and its CVE external ids (upper-case); another name kept as a name")
    func vulnerabilities() {
        let v = values("vulnerability", ["name": "cve-2021-44228", "external_references": [
            .object(["source_name": "cve", "external_id": "CVE-2021-45046"]),
            .object(["source_name": "capec", "external_id": "CAPEC-1"]),
        ]])
        #expect(v == [STIXSearchValue(kind: .cve, value: "CVE-2021-44228"), STIXSearchValue(kind: .cve, value: "CVE-2021-45046")])
        #expect(values("vulnerability", ["name": "Log4Shell"]) == [STIXSearchValue(kind: .name, value: "Log4Shell")])
    }

    @Test("Issue 14 item 6: an indicator's pattern gives the values it names positively (= and IN), not negated or other operators")
    func patterns() {
        let sha = String(repeating: "E", count: 64)
        let p = "[ipv4-addr:value = '198.51.100.7' OR domain-name:value = 'C2.Example.net'] AND [file:hashes.'SHA-256' = '\(sha)'] "
            + "AND [ipv6-addr:value IN ('2001:db8::1', '2001:0db8::2')] AND [url:value != 'http://ok.example/'] "
            + "AND [email-addr:value LIKE '%@example.com'] AND [ipv4-addr:value NOT = '203.0.113.1']"
        let v = values("indicator", ["pattern_type": "stix", "pattern": .string(p)])
        #expect(Set(v) == [STIXSearchValue(kind: .ipv4, value: "198.51.100.7"), STIXSearchValue(kind: .domain, value: "c2.example.net"),
                           STIXSearchValue(kind: .hash, value: sha.lowercased()), STIXSearchValue(kind: .ipv6, value: "2001:db8::1"),
                           STIXSearchValue(kind: .ipv6, value: "2001:db8::2")])
        #expect(values("indicator", ["pattern_type": "sigma", "pattern": "title: x"]).isEmpty)
    }

    @Test("Issue 14 item 6: relationships and sightings index the object they point at, for its page")
    func references() {
        let target = "indicator--6b1ba0d8-03f5-4b0e-9f02-2d6e3b0c8f11"
        #expect(values("sighting", ["sighting_of_ref": .string(target)]) == [STIXSearchValue(kind: .ref, value: target)])
        #expect(values("relationship", ["source_ref": "malware--6b1ba0d8-03f5-4b0e-9f02-2d6e3b0c8f12", "target_ref": .string(target)]).count == 2)
    }

    @Test("Issue 14 item 6: what is typed is understood as an IP, a domain, a hash, a CVE, a URL or an e-mail address, normalised like the index")
    func understanding() {
        #expect(STIXSearchValues.understand(" 198.051.100.007 ") == STIXSearchValue(kind: .ipv4, value: "198.51.100.7"))
        #expect(STIXSearchValues.understand("198.51.100[.]7") == STIXSearchValue(kind: .ipv4, value: "198.51.100.7"))
        #expect(STIXSearchValues.understand("10.0.0.1/32") == STIXSearchValue(kind: .ipv4, value: "10.0.0.1"))
        #expect(STIXSearchValues.understand("2001:0DB8:0000:0000:0001:0000:0000:0001")
            == STIXSearchValue(kind: .ipv6, value: "2001:db8::1:0:0:1"))
        #expect(STIXSearchValues.understand("::ffff:192.0.2.1") == STIXSearchValue(kind: .ipv6, value: "::ffff:c000:201"))
        #expect(STIXSearchValues.understand("Evil.Example.com") == STIXSearchValue(kind: .domain, value: "evil.example.com"))
        #expect(STIXSearchValues.understand("D41D8CD98F00B204E9800998ECF8427E")
            == STIXSearchValue(kind: .hash, value: "d41d8cd98f00b204e9800998ecf8427e"))
        #expect(STIXSearchValues.understand("cve-2024-3094") == STIXSearchValue(kind: .cve, value: "CVE-2024-3094"))
        #expect(STIXSearchValues.understand("hxxps://Evil.Example.com/a") == STIXSearchValue(kind: .url, value: "https://evil.example.com/a"))
        #expect(STIXSearchValues.understand("Phish@Example.com") == STIXSearchValue(kind: .email, value: "phish@example.com"))
        #expect(STIXSearchValues.understand("") == nil)
        #expect(STIXSearchValues.understand("not a value") == nil)
        #expect(STIXSearchValues.understand("12345") == nil)
        #expect(STIXSearchValues.understand("1.2.3.4.5") == nil)
        // Without "://" only a mailto: or urn: is a URL (the incident share's reading relies on it); host:port is nothing.
        #expect(STIXSearchValues.understand("mailto:Phish@example.com") == STIXSearchValue(kind: .url, value: "mailto:Phish@example.com"))
        #expect(STIXSearchValues.understand("evil.example:8080") == nil)
        #expect(STIXSearchValues.understand("198.51.100.7:443") == nil)
        #expect(STIXSearchValues.understand("198[.]51[.]100[.]7") == STIXSearchValue(kind: .ipv4, value: "198.51.100.7"))
    }

    @Test("Issue 14 item 6: IPv6 canonical text follows RFC 5952 (longest zero run, first when tied, no single-group ::)")
    func ipv6Canonical() {
        #expect(STIXSearchValues.normalise("2001:db8:0:0:1:0:0:1", as: .ipv6) == "2001:db8::1:0:0:1")
        #expect(STIXSearchValues.normalise("2001:db8:0:1:1:1:1:1", as: .ipv6) == "2001:db8:0:1:1:1:1:1")
        #expect(STIXSearchValues.normalise("::", as: .ipv6) == "::")
        #expect(STIXSearchValues.normalise("2001:db8::/32", as: .ipv6) == "2001:db8::/32")
        #expect(STIXSearchValues.normalise("fe80::1/128", as: .ipv6) == "fe80::1")
    }
}
