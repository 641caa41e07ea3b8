import Foundation
import Testing
import TekigoCore
@testable import TekigoServer
@testable import TekigoUseCases

/// SP 800-63B 5.1.1.2 asks a verifier to refuse breached, repetitive, sequential and context-specific passwords;
/// issue 11 item 6 found `aaaaaaaaaaaa`, `123456789012`, twelve spaces and `password1234` accepted.
@Suite("Password policy: SP 800-63B 5.1.1.2 blocklist")
struct PasswordPolicyTests {
    let policy = PasswordPolicy.standard
    let email = "hanako.sato@contoso-seiki.co.jp"
    let name = "佐藤 花子"

    func problems(_ pw: String, email: String? = nil) -> [PasswordProblem] {
        policy.check(pw, email: email ?? self.email, displayName: name)
    }

    @Test("The four passwords from the issue are refused")
    func issueExamples() {
        #expect(!problems("aaaaaaaaaaaa").isEmpty)
        #expect(!problems("123456789012").isEmpty)
        #expect(!problems(String(repeating: " ", count: 12)).isEmpty)
        #expect(!problems("password1234").isEmpty)
    }

    @Test("Breached passwords of 12 characters or more come from a list of tens of thousands")
    func breachedList() {
        #expect(policy.commonPasswordCount > 40_000)
        for pw in ["password1234", "iloveyou1234", "Password1234", "qwertyuiop123", "PASSWORD1234"] {
            #expect(problems(pw).contains(.common), "\(pw)")
        }
        // Full-width input is the same password after NFKC.
        #expect(problems("ｐａｓｓｗｏｒｄ１２３４").contains(.common))
    }

    @Test("Repetitive passwords: one character, or a short piece repeated")
    func repetitive() {
        for pw in ["aaaaaaaaaaaa", "AAAAAAAAAAAAAAAA", "abababababab", "abcabcabcabc", "xyz1xyz1xyz1xyz1",
                   "ａａａａａａａａａａａａ", "あああああああああああああ", "aaaaaabbbbbb", "!!!!!!!!!!!!"] {
            #expect(problems(pw).contains(.repetitive), "\(pw)")
        }
    }

    @Test("Sequential passwords: runs of consecutive characters, up or down, digits wrapping")
    func sequential() {
        for pw in ["123456789012", "abcdefghijklmn", "zyxwvutsrqpo", "987654321098", "1234abcd5678",
                   "ABCDEFGHIJKL", "０１２３４５６７８９０１", "abcdefghjkmn"] {
            #expect(problems(pw).contains(.sequential), "\(pw)")
        }
    }

    @Test("Blank passwords: spaces of any kind only")
    func blank() {
        #expect(problems(String(repeating: " ", count: 12)) == [.blank])
        #expect(problems(String(repeating: "\u{3000}", count: 12)) == [.blank])  // ideographic space
        #expect(problems(String(repeating: " ", count: 40)) == [.blank])
    }

    @Test("Context-specific words: the product's name and the user's e-mail address")
    func contextSpecific() {
        #expect(problems("my-tekigo-account-2025").contains(.containsProductName))
        #expect(problems("TEKIGO horse battery").contains(.containsProductName))
        #expect(problems("わたしの適合パスワードです").contains(.containsProductName))
        // The whole address, its user name and the organisation's domain name.
        #expect(problems("hanako.sato@contoso-seiki.co.jp").contains(.containsEmail))
        #expect(problems("river-hanako-stone").contains(.containsEmail))
        #expect(problems("contoso-seiki rocks 77").contains(.containsEmail))
        #expect(problems("contoso river stones").contains(.containsEmail))
        // Generic parts of a domain (co, jp, com) are not words of the user's.
        #expect(problems("the jp river comes at dawn").isEmpty)
        #expect(problems("welcome to the quiet river", email: "ab@mail.example.com").isEmpty)
    }

    @Test("Ordinary passphrases are still accepted")
    func ordinaryPassphrases() {
        for pw in ["correct horse battery staple", "the quiet river at dawn", "古池や蛙飛び込む水の音、静かな朝",
                   "kumo-ame-tsuki-7", "matrix horse battery staple 9", "kumo no ue no sakura 2026",
                   "abcdefgh-river-stone", "aaaa-quiet-river-bbbb"] {
            #expect(problems(pw).isEmpty, "\(pw): \(problems(pw))")
        }
    }

    @Test("Each new problem has a code and a message in both languages")
    func messages() {
        let all: [PasswordProblem] = [.repetitive, .sequential, .blank, .containsProductName]
        for p in all {
            #expect(!p.code.isEmpty)
            #expect(!p.message.en.isEmpty && !p.message.ja.isEmpty && p.message.en != p.message.ja)
        }
        #expect(Set(all.map(\.code)).count == all.count)
    }
}
