import Foundation
import Testing
import TekigoCore
@testable import TekigoUseCases

/// Issue 17 item 6: an administrator's password (an organization's owner or administrator) is checked against the
/// breach list's base words with digits added, keyboard runs and the organization's name, on top of SP 800-63B
/// 5.1.1.2's checks for everyone (3.5.7).
@Suite("Administrator passwords (issue 17 item 6)")
struct AdministratorPasswordTests {
    let policy = PasswordPolicy.standard
    let email = "hanako.sato@contoso-seiki.co.jp"
    let name = "佐藤 花子"

    func admin(_ pw: String, organization: String? = "Kawasaki Precision 株式会社") -> [PasswordProblem] {
        policy.checkAdministrator(pw, email: email, displayName: name, organization: organization)
    }

    @Test("password1234 and a breached word with digits or symbols around it are refused for administrators (SP 800-63B 5.1.1.2; issue 17 item 6)")
    func commonWordWithDigits() {
        #expect(!admin("password1234").isEmpty)
        for pw in ["password98765", "Password!2026", "2026password!", "p@ssw0rd98765", "dragon20262026", "DRAGON#2026#2026"] {
            #expect(admin(pw).contains(.commonWordWithDigits), "\(pw)")
            // The same password is not this problem for a member who administers nothing.
            #expect(!policy.check(pw, email: email, displayName: name).contains(.commonWordWithDigits))
        }
    }

    @Test("Keyboard runs of six neighbouring keys either way, and the organization's name, are refused for administrators (issue 17 item 6)")
    func keyboardRunsAndOrganization() {
        for pw in ["qwerty-garden-77", "my asdfgh lamp!", "lamp poiuyt river", "zxcvbn moon tide"] {
            #expect(admin(pw).contains(.keyboardRun), "\(pw)")
        }
        #expect(admin("kawasaki river lamp").contains(.containsOrganizationName))
        #expect(admin("blue precision lamp").contains(.containsOrganizationName))
        #expect(!admin("blue precision lamp", organization: nil).contains(.containsOrganizationName))
        // The person's name and e-mail stay refused for everyone.
        #expect(admin("contoso river lamp").contains(.containsEmail))
        #expect(admin("佐藤の青いランプと川").contains(.containsDisplayName))
    }

    @Test("Ordinary passphrases still pass the administrator check; each new problem has a code and both languages (issue 17 item 6)")
    func passphrasesAndMessages() {
        for pw in ["violet harbor cactus ninety", "青い傘と古い自転車の午後", "mango tiger violin 47", "river-lamp-orchard-quiet"] {
            #expect(admin(pw).isEmpty, "\(pw): \(admin(pw))")
        }
        for p in [PasswordProblem.commonWordWithDigits, .keyboardRun, .containsOrganizationName] {
            #expect(!p.code.isEmpty)
            #expect(!p.message.en.isEmpty && !p.message.ja.isEmpty)
            #expect(!p.message.ja.contains("ユーザ"))
        }
    }

    @Test("The setup link's owner account uses the administrator check (issue 17 item 6)")
    func useCaseRule() {
        #expect(throws: AccountError.self) {
            try AccountUseCases.checkPassword("dragon20262026", email: email, displayName: name, administrator: true, organization: "Kawasaki")
        }
        #expect(throws: Never.self) {
            try AccountUseCases.checkPassword("dragon20262026", email: email, displayName: name)
        }
    }
}
