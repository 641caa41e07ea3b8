import Foundation
import SQLKit
import Testing
import TekigoCore
import TekigoStore
import TekigoTestSupport
import TekigoUseCases

/// The incident use cases (TekigoUseCases/Incidents) called as the API, the pages and the command line call them:
/// the clocks from the affected contracts' clauses (DFARS 252.204-7012(c) 72 hours, the MOD settings), SP 800-61
/// phases, the submission rules, hour settings, need-to-know and the audited reads. "Now" is the injected clock.
/// SQLite always, PostgreSQL when configured.
@Suite("Incident use cases: clocks, phases, submissions, settings, need-to-know, audited reads")
struct IncidentUseCaseTests {
    struct World: Sendable {
        let db: TekigoDatabase
        let clock: SettableClock
        let env: TenantEnvironment

        func user(_ name: String) async throws -> UserRecord {
            try await AccountStore(db).createUser(email: "\(UUID().uuidString.prefix(8))@example.jp", displayName: name,
                                                  passwordHash: "x", platformAdmin: false)
        }

        func org(_ name: String) async throws -> TenantScope {
            let owner = try await user(name)
            let o = try await AccountStore(db).createOrganization(name: name, cageCodes: ["1ABC2"], owner: owner.id)
            return TenantScope(organization: o, role: .owner, actor: Actor(id: owner.id, sourceIP: "192.0.2.30"),
                               store: TenantStore(db, organizationID: o.id))
        }

        /// A member of `org` with `role`, as the membership check would hand them to a use case.
        func member(_ org: TenantScope, _ role: Role) async throws -> TenantScope {
            let u = try await user(role.rawValue)
            try await AccountStore(db).setMembership(userID: u.id, organizationID: org.organizationID, role: role)
            return TenantScope(organization: org.organization, role: role, actor: Actor(id: u.id, sourceIP: "192.0.2.31"),
                               store: TenantStore(db, organizationID: org.organizationID))
        }

        /// `customer` links `supplier` and records a contract with these clauses; returns the contract's id.
        func contract(_ customer: TenantScope, _ supplier: TenantScope, _ number: String,
                      designation: String = "both", clauses: [String]) async throws -> String {
            let links = SupplierLinkUseCases(env, customer)
            if try await !links.suppliers().contains(where: { $0.id == supplier.organizationID }) {
                let (token, _) = try await links.invite(note: supplier.organization.name, expiresInDays: nil)
                _ = try await SupplierLinkUseCases(env, supplier).accept(token: token)
            }
            return try await ContractUseCases(env, customer).create(ContractTerms(number: number, designation: designation,
                                                                                  clauses: clauses, cmmcLevel: nil),
                                                                    supplierID: supplier.organizationID).id
        }

        func actions(_ org: String) async throws -> [String] {
            try await db.sql.select().column("action").from("audit_log").where("organization_id", .equal, org).orderBy("seq").all()
                .map { try $0.decode(column: "action", as: String.self) }
        }
    }

    static func instant(_ text: String) -> Date { try! OffsetInstant.parse(text).date }

    func withWorld(_ engine: TestDatabases.Engine, at start: String, _ body: (World) async throws -> Void) async throws {
        let db = try await TekigoDatabase.open(try await TestDatabases.fresh(engine))
        let clock = SettableClock(Self.instant(start))
        let env = TenantEnvironment(db: db, evidence: EvidenceVault(db: db, key: try EvidenceKey(rawBytes: (0..<32).map { UInt8($0) })),
                                    library: try BuiltInLibrary.shared, clock: clock)
        do {
            try await body(World(db: db, clock: clock, env: env))
            let v = try await AuditLog(db).verify()
            #expect(v.isIntact, "\(v.problems.map(\.message))")
        } catch {
            await db.close()
            throw error
        }
        await db.close()
    }

    func refused<E: Error & Equatable>(_ expected: E, _ body: () async throws -> Void) async {
        do {
            try await body()
            Issue.record("expected \(expected)")
        } catch let e as E {
            #expect(e == expected)
        } catch {
            Issue.record("expected \(expected), got \(error)")
        }
    }

    func notFound(_ what: String, _ body: () async throws -> Void) async {
        do {
            try await body()
            Issue.record("expected not found: \(what)")
        } catch let e as NotFound {
            #expect(e.what == what)
        } catch {
            Issue.record("expected not found: \(what), got \(error)")
        }
    }

    /// A supplier with an incident on a contract carrying DFARS 7012 and the Japanese standard, discovered at 02:13 JST.
    func opened(_ w: World) async throws -> (supplier: TenantScope, prime: TenantScope, incident: IncidentDetail) {
        let prime = try await w.org("元請重工株式会社")
        let supplier = try await w.org("株式会社サンプル精機")
        let contract = try await w.contract(prime, supplier, "W58RGZ-27-C-0001", clauses: ["dfars-252.204-7012", "japanese-standard"])
        let d = try await IncidentUseCases(w.env, supplier).open(IncidentDraft(
            title: "CAD サーバのランサムウェア感染", discoveredAt: "2027-01-08T02:13:00+09:00", discoveredTimeZone: "Asia/Tokyo",
            discoveredBy: "情報システム課 山田", detectionMethod: "message-from-attacker", contractIDs: [contract]))
        return (supplier, prime, d)
    }

    func deadline(_ d: IncidentDetail, _ rule: String) -> IncidentDeadline? { d.deadlines.first { $0.rule.id == rule } }

    // MARK: opening and the clocks

    @Test("Opening starts every clock of the affected contracts' regimes at discovery: 72 elapsed hours for the DoD report (DFARS 252.204-7012(c)(1)), the MOD settings 1 h and 24 h; the list names the next deadline and turns overdue with the clock", arguments: TestDatabases.engines)
    func openStartsClocks(_ engine: TestDatabases.Engine) async throws {
        try await withWorld(engine, at: "2027-01-08T03:00:00+09:00") { w in
            let (supplier, prime, d) = try await opened(w)
            #expect(d.dossier.phase == .detected)
            #expect(d.version == 1)
            #expect(d.dossier.affectedContracts.map(\.customerName) == [prime.organization.name])
            #expect(d.dossier.organization.cageCodes == ["1ABC2"])
            let report = try #require(deadline(d, "dfars-7012.report"))
            #expect(report.due == Self.instant("2027-01-10T17:13:00Z"))
            #expect(report.state == .open(remaining: 72 * 3600 - 47 * 60))
            #expect(deadline(d, "mod.first-report")?.due == Self.instant("2027-01-08T03:13:00+09:00"))
            #expect(deadline(d, "mod.detail-report")?.hours == 24)
            #expect(deadline(d, "dfars-7012.preserve")?.state == .notStarted)

            let list = try await IncidentQueries(w.env, supplier).list()
            #expect(list.map(\.id) == [d.id])
            #expect(list[0].nextDeadline?.rule.id == "mod.first-report")
            #expect(list[0].overdue == false)
            w.clock.set(Self.instant("2027-01-08T04:00:00+09:00"))
            #expect(try await IncidentQueries(w.env, supplier).list()[0].overdue)
        }
    }

    @Test("Discovery as a datetime-local text plus an IANA zone gives the same instant as ISO 8601 with its offset; without either the text is refused, and a discovery in the future is refused (bad input)", arguments: TestDatabases.engines)
    func discoveryForms(_ engine: TestDatabases.Engine) async throws {
        try await withWorld(engine, at: "2027-03-20T12:00:00Z") { w in
            let org = try await w.org("株式会社サンプル精機")
            let cases = IncidentUseCases(w.env, org)
            // 2027-03-14 is the US change to daylight time: 10:30 in New York is then UTC-4.
            let local = try await cases.open(IncidentDraft(title: "A", discoveredAt: "2027-03-14T10:30", discoveredTimeZone: "America/New_York",
                                                           discoveredBy: "J. Smith"))
            #expect(local.dossier.facts.discoveredAt == Self.instant("2027-03-14T14:30:00Z"))
            #expect(local.dossier.facts.discoveredTimeZone == "America/New_York")
            let offset = try await cases.open(IncidentDraft(title: "B", discoveredAt: "2027-03-14T10:30:00-04:00", discoveredBy: "J. Smith"))
            #expect(offset.dossier.facts.discoveredAt == local.dossier.facts.discoveredAt)
            await refused(IncidentUseCaseError.zoneRequired("2027-03-14T10:30")) {
                _ = try await cases.open(IncidentDraft(title: "C", discoveredAt: "2027-03-14T10:30", discoveredBy: "J. Smith"))
            }
            await refused(IncidentError.discoveredInFuture(Self.instant("2027-03-21T00:00:00Z"))) {
                _ = try await cases.open(IncidentDraft(title: "D", discoveredAt: "2027-03-21T09:00:00+09:00", discoveredBy: "J. Smith"))
            }
            await refused(IncidentUseCaseError.unknownValue(field: "outcome", value: "won", allowed: IncidentOutcome.allCases.map(\.rawValue))) {
                _ = try await cases.open(IncidentDraft(title: "E", discoveredAt: "2027-03-14T10:30:00Z", discoveredBy: "x", outcome: "won"))
            }
            #expect(try await IncidentQueries(w.env, org).list().count == 2)
        }
    }

    @Test("An incident names only contracts the organization holds as supplier (the customers above are who must hear, DFARS 204.7302(b)) and only its own systems", arguments: TestDatabases.engines)
    func linkableOnlyAsSupplier(_ engine: TestDatabases.Engine) async throws {
        try await withWorld(engine, at: "2027-01-08T03:00:00+09:00") { w in
            let (supplier, prime, _) = try await opened(w)
            let sub = try await w.org("有限会社下請工業")
            let downstream = try await w.contract(supplier, sub, "SUB-1", designation: "cui", clauses: ["dfars-252.204-7012"])
            let linkable = try await IncidentQueries(w.env, supplier).linkable()
            #expect(linkable.contracts.map(\.number) == ["W58RGZ-27-C-0001"])
            #expect(linkable.contracts.first?.customerName == prime.organization.name)
            await refused(IncidentUseCaseError.unknownContract(downstream)) {
                _ = try await IncidentUseCases(w.env, supplier).open(IncidentDraft(title: "x", discoveredAt: "2027-01-07T17:00:00Z",
                                                                                    discoveredBy: "x", contractIDs: [downstream]))
            }
            await refused(IncidentUseCaseError.unknownSystem("nope")) {
                _ = try await IncidentUseCases(w.env, supplier).open(IncidentDraft(title: "x", discoveredAt: "2027-01-07T17:00:00Z",
                                                                                    discoveredBy: "x", systemIDs: ["nope"]))
            }
        }
    }

    // MARK: phases

    @Test("Phases follow SP 800-61 (IncidentPhase.canMove): forward to any later phase, back only to analysing; each move is a timeline entry and a new version", arguments: TestDatabases.engines)
    func phaseRules(_ engine: TestDatabases.Engine) async throws {
        try await withWorld(engine, at: "2027-01-08T03:00:00+09:00") { w in
            let (supplier, _, d) = try await opened(w)
            let cases = IncidentUseCases(w.env, supplier)
            let contained = try await cases.movePhase(id: d.id, to: "contained", note: "ネットワークから切り離した")
            #expect(contained.dossier.phase == .contained)
            #expect(contained.version == 2)
            await refused(IncidentError.illegalPhaseChange(from: .contained, to: .detected)) {
                _ = try await cases.movePhase(id: d.id, to: "detected")
            }
            let back = try await cases.movePhase(id: d.id, to: "analysing")
            #expect(back.dossier.timeline.compactMap(\.phase) == [.contained, .analysing])
            #expect(back.dossier.timeline.first?.text == "ネットワークから切り離した")
            await refused(IncidentUseCaseError.unknownValue(field: "phase", value: "done", allowed: IncidentPhase.allCases.map(\.rawValue))) {
                _ = try await cases.movePhase(id: d.id, to: "done")
            }
        }
    }

    @Test("An update needs the version it read (a stale one is refused, nothing changes) and may not move discovery after a recorded submission", arguments: TestDatabases.engines)
    func updateVersions(_ engine: TestDatabases.Engine) async throws {
        try await withWorld(engine, at: "2027-01-08T03:00:00+09:00") { w in
            let (supplier, _, d) = try await opened(w)
            let cases = IncidentUseCases(w.env, supplier)
            var draft = IncidentDraft(title: "CAD サーバの暗号化", discoveredAt: "2027-01-08T02:13:00+09:00", discoveredBy: "山田",
                                      contractIDs: d.contracts.map(\.contractId))
            let updated = try await cases.update(id: d.id, draft, expectedVersion: 1)
            #expect(updated.version == 2)
            #expect(updated.dossier.facts.title == "CAD サーバの暗号化")
            await refused(IncidentUseCaseError.staleVersion(current: 2)) { _ = try await cases.update(id: d.id, draft, expectedVersion: 1) }
            _ = try await cases.recordSubmission(id: d.id, kind: "mod-first", submittedAt: "2027-01-08T02:50:00+09:00", channel: "電話")
            draft.discoveredAt = "2027-01-08T02:55:00+09:00"
            await refused(IncidentError.submissionBeforeDiscovery(submitted: Self.instant("2027-01-08T02:50:00+09:00"),
                                                                  discovered: Self.instant("2027-01-08T02:55:00+09:00"))) {
                _ = try await cases.update(id: d.id, draft, expectedVersion: 2)
            }
            #expect(try await IncidentQueries(w.env, supplier).dossier(id: d.id).version == 2)
        }
    }

    // MARK: submissions

    @Test("Submission rules (bad input): not before discovery, not in the future, only with an offset, DoD reports with their number, a follow-on citing this incident's initial report; each refusal changes nothing", arguments: TestDatabases.engines)
    func submissionRules(_ engine: TestDatabases.Engine) async throws {
        try await withWorld(engine, at: "2027-01-09T12:00:00+09:00") { w in
            let (supplier, _, d) = try await opened(w)
            let cases = IncidentUseCases(w.env, supplier)
            await refused(IncidentError.submissionBeforeDiscovery(submitted: Self.instant("2027-01-08T02:00:00+09:00"),
                                                                  discovered: Self.instant("2027-01-08T02:13:00+09:00"))) {
                _ = try await cases.recordSubmission(id: d.id, kind: "dod-initial", submittedAt: "2027-01-08T02:00:00+09:00",
                                                     channel: "DC3", reportNumber: "ICF-1")
            }
            await refused(IncidentError.submissionInFuture(Self.instant("2027-01-09T04:00:00Z"))) {
                _ = try await cases.recordSubmission(id: d.id, kind: "dod-initial", submittedAt: "2027-01-09T04:00:00Z",
                                                     channel: "DC3", reportNumber: "ICF-1")
            }
            await refused(IncidentError.instantWithoutOffset("2027-01-09T10:00:00")) {
                _ = try await cases.recordSubmission(id: d.id, kind: "dod-initial", submittedAt: "2027-01-09T10:00:00",
                                                     channel: "DC3", reportNumber: "ICF-1")
            }
            await refused(IncidentError.emptyReportNumber) {
                _ = try await cases.recordSubmission(id: d.id, kind: "dod-initial", submittedAt: "2027-01-09T10:00:00+09:00",
                                                     channel: "DC3", reportNumber: "  ")
            }
            await refused(IncidentError.followOnWithoutInitial("")) {
                _ = try await cases.recordSubmission(id: d.id, kind: "dod-follow-on", submittedAt: "2027-01-09T10:00:00+09:00",
                                                     channel: "DC3", reportNumber: "ICF-2")
            }
            #expect(try await IncidentQueries(w.env, supplier).dossier(id: d.id).submissions.isEmpty)

            let initial = try await cases.recordSubmission(id: d.id, kind: "dod-initial", submittedAt: "2027-01-09T10:00:00+09:00",
                                                           channel: "https://dibnet.example/icf", reportNumber: "ICF-1")
            #expect(initial.dodReportNumber == "ICF-1")
            await refused(IncidentError.followOnWithoutInitial("ICF-9")) {
                _ = try await cases.recordSubmission(id: d.id, kind: "dod-follow-on", submittedAt: "2027-01-09T11:00:00+09:00",
                                                     channel: "DC3", reportNumber: "ICF-2", cites: "ICF-9")
            }
            let followOn = try await cases.recordSubmission(id: d.id, kind: "dod-follow-on", submittedAt: "2027-01-09T11:00:00+09:00",
                                                            channel: "DC3", reportNumber: "ICF-2")
            #expect(followOn.cites == "ICF-1")

            let detail = try await IncidentQueries(w.env, supplier).dossier(id: d.id)
            #expect(detail.dossier.initialReportNumber == "ICF-1")
            #expect(deadline(detail, "dfars-7012.report")?.state == .met(at: Self.instant("2027-01-09T10:00:00+09:00"), late: false))
            // DFARS 252.204-7012(e): images kept at least 90 days from the report's submission.
            #expect(deadline(detail, "dfars-7012.preserve")?.due == Self.instant("2027-04-09T10:00:00+09:00"))
        }
    }

    @Test("A DoD report number is unique across every organization (bad input: a number reused across organizations); an exercise's practice numbers reserve none", arguments: TestDatabases.engines)
    func reportNumberAcrossOrganizations(_ engine: TestDatabases.Engine) async throws {
        try await withWorld(engine, at: "2027-01-09T12:00:00+09:00") { w in
            let (supplier, _, d) = try await opened(w)
            let other = try await w.org("別会社株式会社")
            let theirs = try await IncidentUseCases(w.env, other).open(IncidentDraft(title: "Phishing", discoveredAt: "2027-01-09T01:00:00Z",
                                                                                      discoveredBy: "x"))
            _ = try await IncidentUseCases(w.env, supplier).recordSubmission(id: d.id, kind: "dod-initial", submittedAt: "2027-01-09T10:00:00+09:00",
                                                                              channel: "DC3", reportNumber: "ICF-777")
            await refused(IncidentError.reportNumberInUse("ICF-777")) {
                _ = try await IncidentUseCases(w.env, other).recordSubmission(id: theirs.id, kind: "dod-initial",
                                                                              submittedAt: "2027-01-09T11:00:00+09:00", channel: "DC3",
                                                                              reportNumber: "ICF-777")
            }
            #expect(try await IncidentQueries(w.env, other).dossier(id: theirs.id).submissions.isEmpty)
            // The other organization cannot see or touch the supplier's incident either.
            await notFound("Incident \(d.id)") { _ = try await IncidentQueries(w.env, other).dossier(id: d.id) }

            let drill = try await IncidentUseCases(w.env, other).open(IncidentDraft(title: "訓練", discoveredAt: "2027-01-09T01:00:00Z",
                                                                                     discoveredBy: "x", exercise: true))
            let practice = try await IncidentUseCases(w.env, other).recordSubmission(id: drill.id, kind: "dod-initial",
                                                                                     submittedAt: "2027-01-09T11:00:00+09:00",
                                                                                     channel: "訓練", reportNumber: "ICF-777")
            #expect(practice.dodReportNumber == nil)
        }
    }

    // MARK: hour settings

    @Test("Hours are settable only for clocks marked as a setting (MOD 直ちに / 速やかに), 1…720; nil goes back to the default; the clock follows", arguments: TestDatabases.engines)
    func hourSettings(_ engine: TestDatabases.Engine) async throws {
        try await withWorld(engine, at: "2027-01-08T03:00:00+09:00") { w in
            let (supplier, _, d) = try await opened(w)
            let cases = IncidentUseCases(w.env, supplier)
            try await cases.setHourSetting(ruleID: "mod.first-report", hours: 4)
            let detail = try await IncidentQueries(w.env, supplier).dossier(id: d.id)
            #expect(deadline(detail, "mod.first-report")?.due == Self.instant("2027-01-08T06:13:00+09:00"))
            #expect(detail.hourSettings == ["mod.first-report": 4])
            for bad in [0, 721] {
                await refused(IncidentError.badHourSetting(rule: "mod.first-report", hours: bad)) {
                    try await cases.setHourSetting(ruleID: "mod.first-report", hours: bad)
                }
            }
            await refused(IncidentError.badHourSetting(rule: "dfars-7012.report", hours: 48)) {
                try await cases.setHourSetting(ruleID: "dfars-7012.report", hours: 48)
            }
            let settings = try await IncidentQueries(w.env, supplier).hourSettings()
            #expect(Set(settings.map(\.rule.id)) == ["dfars-7012.tell-customer", "mod.first-report", "mod.detail-report"])
            #expect(settings.first { $0.rule.id == "mod.first-report" }?.effectiveHours == 4)
            try await cases.setHourSetting(ruleID: "mod.first-report", hours: nil)
            #expect(deadline(try await IncidentQueries(w.env, supplier).dossier(id: d.id), "mod.first-report")?.hours == 1)
            let admin = try await w.member(supplier, .contributor)
            try await cases.grantIncidentAccess(userID: admin.actor.id)
            await refused(IncidentUseCaseError.notAllowed(.manageIncidents)) {
                try await IncidentUseCases(w.env, admin).setHourSetting(ruleID: "mod.first-report", hours: 2)
            }
        }
    }

    // MARK: need-to-know

    @Test("Need-to-know (Role.allowsIncidents): a contributor without a grant is refused every read; with a grant reads and manages; a viewer with a grant reads but changes nothing; revoking ends it", arguments: TestDatabases.engines)
    func needToKnow(_ engine: TestDatabases.Engine) async throws {
        try await withWorld(engine, at: "2027-01-08T03:00:00+09:00") { w in
            let (supplier, _, d) = try await opened(w)
            let contributor = try await w.member(supplier, .contributor)
            let viewer = try await w.member(supplier, .viewer)
            for scope in [contributor, viewer] {
                await refused(IncidentUseCaseError.notAllowed(.readIncidents)) { _ = try await IncidentQueries(w.env, scope).list() }
                await refused(IncidentUseCaseError.notAllowed(.readIncidents)) { _ = try await IncidentQueries(w.env, scope).dossier(id: d.id) }
                await refused(IncidentUseCaseError.notAllowed(.manageIncidents)) {
                    _ = try await IncidentUseCases(w.env, scope).movePhase(id: d.id, to: "analysing")
                }
                #expect(try await IncidentQueries(w.env, scope).canRead() == false)
            }
            await refused(IncidentUseCaseError.notAllowed(.manageIncidents)) {
                try await IncidentUseCases(w.env, contributor).grantIncidentAccess(userID: contributor.actor.id)
            }
            let owner = IncidentUseCases(w.env, supplier)
            try await owner.grantIncidentAccess(userID: contributor.actor.id)
            try await owner.grantIncidentAccess(userID: viewer.actor.id)
            #expect(Set(try await IncidentQueries(w.env, supplier).team().map(\.role)) == [.contributor, .viewer])

            #expect(try await IncidentQueries(w.env, contributor).dossier(id: d.id).canManage)
            _ = try await IncidentUseCases(w.env, contributor).movePhase(id: d.id, to: "analysing")
            let seen = try await IncidentQueries(w.env, viewer).dossier(id: d.id)
            #expect(seen.canManage == false)
            await refused(IncidentUseCaseError.notAllowed(.manageIncidents)) {
                _ = try await IncidentUseCases(w.env, viewer).addTimelineEntry(id: d.id, text: "見た")
            }
            await refused(IncidentUseCaseError.notAMember("someone-else")) { try await owner.grantIncidentAccess(userID: "someone-else") }

            try await owner.revokeIncidentAccess(userID: contributor.actor.id)
            await refused(IncidentUseCaseError.notAllowed(.readIncidents)) { _ = try await IncidentQueries(w.env, contributor).list() }
            await notFound("Incident team member \(contributor.actor.id)") {
                try await owner.revokeIncidentAccess(userID: contributor.actor.id)
            }
            let actions = try await w.actions(supplier.organizationID)
            #expect(actions.filter { $0 == AuditAction.incidentAccessGranted.rawValue }.count == 2)
            #expect(actions.filter { $0 == AuditAction.incidentAccessRevoked.rawValue }.count == 1)
        }
    }

    @Test("Every read of an incident's details writes an audit entry (incident.read, incident.exported with the format); a list writes incident.listed once; refused reads write none", arguments: TestDatabases.engines)
    func readsAudited(_ engine: TestDatabases.Engine) async throws {
        try await withWorld(engine, at: "2027-01-08T03:00:00+09:00") { w in
            let (supplier, _, d) = try await opened(w)
            let q = IncidentQueries(w.env, supplier)
            _ = try await q.dossier(id: d.id)
            _ = try await q.dossier(id: d.id)
            _ = try await q.dossier(id: d.id, for: .export(format: "json"))
            _ = try await q.list()
            let outsider = try await w.member(supplier, .contributor)
            _ = try? await IncidentQueries(w.env, outsider).dossier(id: d.id)
            let actions = try await w.actions(supplier.organizationID)
            #expect(actions.filter { $0 == AuditAction.incidentRead.rawValue }.count == 2)
            #expect(actions.filter { $0 == AuditAction.incidentExported.rawValue }.count == 1)
            #expect(actions.filter { $0 == AuditAction.incidentListed.rawValue }.count == 1)
            #expect(actions.filter { $0 == AuditAction.incidentOpened.rawValue }.count == 1)
            let objects = try await w.db.sql.select().column("object").from("audit_log")
                .where("action", .equal, AuditAction.incidentExported.rawValue).all().map { try $0.decode(column: "object", as: String.self) }
            #expect(objects == ["incident/\(d.id)/export/json"])
        }
    }

    @Test("A timeline entry's files are sealed by the evidence vault in the entry's transaction (as assessment evidence is) and named by SHA-256", arguments: TestDatabases.engines)
    func timelineEvidence(_ engine: TestDatabases.Engine) async throws {
        try await withWorld(engine, at: "2027-01-08T03:00:00+09:00") { w in
            let (supplier, _, d) = try await opened(w)
            let bytes = Data("ransom note text".utf8)
            let entry = try await IncidentUseCases(w.env, supplier).addTimelineEntry(
                id: d.id, text: "脅迫文を保存", evidence: [IncidentEvidenceUpload(data: bytes, filename: "note.txt", contentType: "text/plain")])
            let ref = try #require(entry.evidenceFiles.first)
            #expect(ref.filename == "note.txt")
            let (_, plain) = try await w.env.evidence.get(organizationID: supplier.organizationID, sha256: ref.sha256)
            #expect(plain == bytes)
            let detail = try await IncidentQueries(w.env, supplier).dossier(id: d.id)
            #expect(detail.dossier.timeline.last?.evidence == ["note.txt"])
            await refused(IncidentUseCaseError.emptyTimelineEntry) {
                _ = try await IncidentUseCases(w.env, supplier).addTimelineEntry(id: d.id, text: "  ")
            }
            var fields = IncidentReportFields()
            fields.facilityCAGE = "1ABC2"
            let version = try await IncidentUseCases(w.env, supplier).saveReportFields(id: d.id, fields)
            #expect(version == 2)
            await refused(IncidentUseCaseError.reportFieldsNotJSON) {
                _ = try await IncidentUseCases(w.env, supplier).saveReportFields(id: d.id, json: "[1]")
            }
            #expect(try await IncidentQueries(w.env, supplier).dossier(id: d.id).typedReportFields?.facilityCAGE == "1ABC2")
            await refused(IncidentUseCaseError.reportFieldsNotJSON) {
                _ = try await IncidentUseCases(w.env, supplier).saveReportFields(id: d.id, json: #"{"reportType": 7}"#)
            }
        }
    }
}
