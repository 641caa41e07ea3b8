import Foundation
import TekigoCore
import TekigoStore

extension Services {
    /// "Today" for an organization: its calendar day at the server's clock (`OrganizationCalendar`).
    func today(for organization: OrganizationRecord) -> Day {
        OrganizationCalendar(identifier: organization.timeZone).today(clock)
    }

    /// "Today" for the organization of `m`.
    func today(_ m: Membership) -> Day { today(for: m.organization) }
}
