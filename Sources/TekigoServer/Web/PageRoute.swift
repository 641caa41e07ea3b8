import Foundation
import Hummingbird

/// Every web page, once: a case per page with its parameters, giving both the link (`path`) and the route the page is
/// registered under (`pattern`) from the same list of segments, so a link cannot point at a route that does not exist
/// (`PageRouteTests` checks every case against the registered routes). Templates and redirects never spell a path by
/// hand; the page registrations never spell a pattern by hand.
///
/// To register a page, build its case with `.key` for every parameter: `PageRoute.members(org: .key).pattern` is
/// `/o/:org/members`; to link to it, build it with the values: `PageRoute.members(org: id).path` is `/o/<id>/members`.
enum PageRoute: Hashable, Sendable {
    case home
    case login
    case loginSecondFactor
    case logout
    case settings
    case enrolMFA
    case setup
    case acceptInvitation
    /// A customer's invitation to become its supplier, opened by the supplier's contact (`?token=…`, the link the
    /// customer copies: `supplierInvitation.path + "?token=" + token`); accepted for an organization the person
    /// administers, a new one, or a new account and organization.
    case supplierInvitation

    case organization(org: String)
    case systems(org: String)
    /// One system's page (its profile changed) and its delete (issue 17 item 6: SystemPages).
    case system(org: String, system: String)
    case systemDelete(org: String, system: String)
    case assessments(org: String)
    case assessment(org: String, assessment: String)
    case requirement(org: String, assessment: String, requirement: String)
    case resultsPosted(org: String, assessment: String)
    case poam(org: String, assessment: String)
    case poamItem(org: String, assessment: String, requirement: String)
    case exports(org: String, assessment: String)
    /// The assessment as an .xlsx workbook: download links and the import form (issue 17 item 4, AssessmentWorkbookPages).
    case assessmentWorkbook(org: String, assessment: String)
    case members(org: String)
    /// The organization's time zone (its calendar's "today"), set from the members page.
    case organizationTimeZone(org: String)
    /// The organization's regime (Japanese standard, US, both), set from the members page (issue 17 item 3).
    case organizationRegime(org: String)
    case removeMember(org: String, user: String)
    case revokeInvitation(org: String, invitation: String)
    /// The members page's per-member forms: a new role, and clearing the member's authenticator (enrol again).
    case changeMemberRole(org: String, user: String)
    case resetMemberMFA(org: String, user: String)
    /// A pending invitation sent again with a new link (the old one stops working).
    case resendInvitation(org: String, invitation: String)
    case tokens(org: String)
    case revokeToken(org: String, token: String)
    case audit(org: String)
    case jobs(org: String)
    case job(org: String, job: String)
    case jobResult(org: String, job: String)
    case catalogs(org: String)
    /// A Japanese-standard item table (CSV or OSCAL) imported as a catalog (issue 17 item 3, RegimePages).
    case catalogItemTable(org: String)
    /// The supplier's side of the supply chain: its customers, their requirements, consent, attestations.
    case customers(org: String)
    case grantCustomerConsent(org: String, customer: String)
    case withdrawCustomerConsent(org: String, customer: String)
    case attestations(org: String)
    case attestationPreview(org: String)
    case attestationFile(org: String, attestation: String)
    case signingKeysFile(org: String)
    /// The customer's side of the supply chain (SupplyChainPages): suppliers, invitations, contracts, flow-down
    /// requirements, the roll-up of the tree, needs action, a supplier's detail as consent allows.
    case suppliers(org: String)
    case revokeSupplierInvitation(org: String, invitation: String)
    case supplier(org: String, supplier: String)
    case removeSupplier(org: String, supplier: String)
    case supplierContracts(org: String, supplier: String)
    case supplierContract(org: String, supplier: String, contract: String)
    case deleteSupplierContract(org: String, supplier: String, contract: String)
    case supplierRequirements(org: String, supplier: String)
    case supplierRequirement(org: String, supplier: String, requirement: String)
    case deleteSupplierRequirement(org: String, supplier: String, requirement: String)
    /// An incident's registers (IncidentRegisterPages; DFARS 252.204-7012 (d)–(g)): the page, a sample's upload,
    /// warning page and encrypted download, disposal and transfers to DC3, media (add, replace, dispose), custody,
    /// DoD's requests and the answers.
    case incidentRegisters(org: String, incident: String)
    case incidentRegisterSamples(org: String, incident: String)
    case incidentSampleArchive(org: String, incident: String, sample: String)
    case incidentSampleDispose(org: String, incident: String, sample: String)
    case incidentSampleTransfers(org: String, incident: String)
    case incidentRegisterMedia(org: String, incident: String)
    case incidentMediaReplace(org: String, incident: String, media: String)
    case incidentMediaDispose(org: String, incident: String, media: String)
    case incidentRegisterCustody(org: String, incident: String)
    case incidentDoDRequests(org: String, incident: String)
    case incidentDoDResponses(org: String, incident: String, request: String)
    case supplyChain(org: String)
    case supplyChainNeedsAction(org: String)
    case supplyChainSupplier(org: String, supplier: String)
    case supplyChainReminders(org: String)
    /// Which suppliers depend on which cloud provider, with its standing (CloudChainPages, issue 15 item 5).
    case supplyChainCloud(org: String)
    case dismissSupplyReminder(org: String)
    case supplyChainWebhooks(org: String)
    case deleteSupplyWebhook(org: String, webhook: String)
    /// Incident notices up the supply chain (IncidentNoticePages): the incidents that reached the organization (the
    /// prime's view) and one with its chain, acknowledging and forwarding by hand, the forwarding setting, and the
    /// supplier's sending of an incident's report numbers to its customers.
    case incidentNotices(org: String)
    case incidentNotice(org: String, notice: String)
    case acknowledgeIncidentNotice(org: String, notice: String)
    case forwardIncidentNotice(org: String, notice: String)
    case incidentNoticeSettings(org: String)
    case incidentNoticeSend(org: String, incident: String)
    /// Cyber incidents (IncidentPages, need-to-know): the list, a new one, one incident with its clocks and the forms
    /// that change it, its report drafts, and the settings (hours of the rules marked as a setting, the incident team).
    case incidents(org: String)
    /// Reporting readiness (ReadinessPages, need-to-know like incidents): the panel, and the forms that add or delete a
    /// certificate, save the IR plan, add or delete a contact, and configure the reporting channels.
    case incidentReadiness(org: String)
    case readinessCertificates(org: String)
    case deleteReadinessCertificate(org: String, certificate: String)
    case renewReadinessCertificate(org: String, certificate: String)
    case readinessPlan(org: String)
    case readinessContacts(org: String)
    case deleteReadinessContact(org: String, contact: String)
    case readinessChannels(org: String)
    case newIncident(org: String)
    case incident(org: String, incident: String)
    case editIncident(org: String, incident: String)
    case incidentPhase(org: String, incident: String)
    case incidentTimeline(org: String, incident: String)
    case incidentSubmissions(org: String, incident: String)
    case incidentReport(org: String, incident: String)
    /// The report fields a DoD or MOD report asks for beyond the facts (IncidentReportFieldPages), and the STIX bundle.
    case incidentReportFields(org: String, incident: String)
    case incidentSTIX(org: String, incident: String)
    /// Sharing from an incident (IncidentSharePages, issue 14 item 5): the share form, its preview (POST: the choices),
    /// the publish, one share with its 3.6.2 evidence offer and confirmation, and the incident's observables (add,
    /// delete).
    case incidentShare(org: String, incident: String)
    case incidentSharePreview(org: String, incident: String)
    case incidentSharePublish(org: String, incident: String)
    case incidentShareRecord(org: String, incident: String, share: String)
    case incidentShareEvidence(org: String, incident: String, share: String)
    case incidentObservables(org: String, incident: String)
    case incidentObservableDelete(org: String, incident: String, observable: String)
    case incidentSettings(org: String)
    case incidentHours(org: String)
    case incidentTeam(org: String)
    case revokeIncidentTeam(org: String, user: String)
    /// Incident-response exercises (ExercisePages, need-to-know like incidents): the list with the schedule and the
    /// plan form, the frequency, one exercise, running it, its entries, completing it, the evidence offered and
    /// confirmed into an assessment, and a finding made a POA&M item.
    case exercises(org: String)
    case exerciseFrequency(org: String)
    case exercise(org: String, exercise: String)
    case exerciseStart(org: String, exercise: String)
    case exerciseEntries(org: String, exercise: String)
    case exerciseComplete(org: String, exercise: String)
    case exerciseEvidence(org: String, exercise: String)
    case exercisePOAM(org: String, exercise: String, entry: String)
    /// Threat-information sharing (issue 14): the organization's sharing hub (its communities and the newest shared
    /// objects), the communities it belongs to or runs, and the outside TAXII feeds it pulls.
    case sharing(org: String)
    case sharingCommunities(org: String)
    /// One community (CommunityPages; `community` is its slug), and its forms: invite an organization, withdraw an
    /// invitation, a member's role and CUI authorization, remove a member, a new collection, a member's access to a
    /// collection, the organization's own listing, leave; and the organization's answer to an invitation
    /// (`decision` accept / decline).
    case sharingCommunity(org: String, community: String)
    case sharingCommunityInvite(org: String, community: String)
    case sharingCommunityWithdraw(org: String, community: String, invitation: String)
    case sharingCommunityMember(org: String, community: String, member: String)
    case sharingCommunityRemoveMember(org: String, community: String, member: String)
    case sharingCommunityCollections(org: String, community: String)
    case sharingCommunityAccess(org: String, community: String, collection: String)
    case sharingCommunityListing(org: String, community: String)
    case sharingCommunityLeave(org: String, community: String)
    case sharingInvitation(org: String, invitation: String)
    case sharingFeeds(org: String)
    /// The sharing workspace (SharingPages, issue 14 item 6): search by value and its export, a collection's feed and
    /// its export (`?format=csv|stix`), one object's history, and "we saw this too" (a sighting of it).
    case sharingSearch(org: String)
    case sharingSearchExport(org: String)
    case sharingCollection(org: String, collection: String)
    case sharingCollectionExport(org: String, collection: String)
    case sharingObject(org: String, collection: String, object: String)
    case sharingSighting(org: String, collection: String, object: String)
    /// One outside TAXII feed (FeedPages): its settings, resume point and run history; pull now, scheduled pulls on or
    /// off, the interval, delete.
    case sharingFeed(org: String, feed: String)
    case sharingFeedPull(org: String, feed: String)
    case sharingFeedEnabled(org: String, feed: String)
    case sharingFeedInterval(org: String, feed: String)
    case sharingFeedDelete(org: String, feed: String)
    /// The cloud services an organization uses (CloudServicePages, issue 15 item 3): the list with each standing and
    /// the add form; one service's page and its edit, remove, evaluation and (c)–(g) commitments forms.
    case cloudServices(org: String)
    case cloudService(org: String, service: String)
    case cloudServiceDelete(org: String, service: String)
    /// The organization's evidence library (issue 17 item 5, EvidenceLibraryPages): the list, an item's page, add, edit,
    /// delete after confirmation, detach from an objective; attach is posted from the editor.
    case evidenceLibrary(org: String)
    case evidenceItemNew(org: String)
    case evidenceItem(org: String, item: String)
    case evidenceItemEdit(org: String, item: String)
    case evidenceItemDelete(org: String, item: String)
    case evidenceItemDetach(org: String, item: String)
    case evidenceAttach(org: String)
    case cloudServiceEvaluations(org: String, service: String)
    case cloudServiceCommitments(org: String, service: String)
    /// The platform-wide cloud provider registry (CloudRegistryPages, issue 15 items 1, 2): search (and the platform
    /// administrators' Marketplace upload), a product, an import job's page, the ISMAP list (and add), a record (and
    /// edit), its delete confirmation.
    case cloudRegistry(org: String)
    case cloudRegistryProduct(org: String, product: String)
    case cloudRegistryImport(org: String, job: String)
    case cloudRegistryISMAP(org: String)
    case cloudRegistryISMAPRecord(org: String, number: String)
    case cloudRegistryISMAPDelete(org: String, number: String)
    /// A service's responsibility matrix imported (issue 15 item 4), and an inheritance confirmed in the editor.
    case cloudServiceMatrix(org: String, service: String)
    case requirementInheritance(org: String, assessment: String, requirement: String)
    /// Carried-over answers of a requirement confirmed as they are (issue 17 item 4): one objective, or all of them.
    case requirementConfirm(org: String, assessment: String, requirement: String)

    /// One piece of a page's path: fixed text, or a named parameter (`:name` in the pattern, its value in the link).
    enum Segment: Hashable, Sendable, ExpressibleByStringLiteral {
        case literal(String)
        case parameter(String, value: String)

        init(stringLiteral value: String) { self = .literal(value) }
    }

    /// The one definition of every page's path.
    var segments: [Segment] {
        switch self {
        case .home: []
        case .login: ["login"]
        case .loginSecondFactor: Self.login.segments + ["mfa"]
        case .logout: ["logout"]
        case .settings: ["account", "settings"]
        case .enrolMFA: ["account", "mfa"]
        case .setup: ["setup"]
        case .acceptInvitation: ["account", "invitation"]
        case .supplierInvitation: ["account", "supplier-invitation"]

        case .organization(let o): ["o", .parameter("org", value: o)]
        case .systems(let o): Self.organization(org: o).segments + ["systems"]
        case .system(let o, let x): Self.systems(org: o).segments + [.parameter("system", value: x)]
        case .systemDelete(let o, let x): Self.system(org: o, system: x).segments + ["delete"]
        case .assessments(let o): Self.organization(org: o).segments + ["assessments"]
        case .assessment(let o, let a): Self.assessments(org: o).segments + [.parameter("assessment", value: a)]
        case .requirement(let o, let a, let r):
            Self.assessment(org: o, assessment: a).segments + ["requirements", .parameter("requirement", value: r)]
        case .resultsPosted(let o, let a): Self.assessment(org: o, assessment: a).segments + ["results-posted"]
        case .poam(let o, let a): Self.assessment(org: o, assessment: a).segments + ["poam"]
        case .poamItem(let o, let a, let r): Self.poam(org: o, assessment: a).segments + [.parameter("requirement", value: r)]
        case .exports(let o, let a): Self.assessment(org: o, assessment: a).segments + ["exports"]
        case .assessmentWorkbook(let o, let a): Self.assessment(org: o, assessment: a).segments + ["workbook"]
        case .members(let o): Self.organization(org: o).segments + ["members"]
        case .organizationTimeZone(let o): Self.organization(org: o).segments + ["time-zone"]
        case .organizationRegime(let o): Self.organization(org: o).segments + ["regime"]
        case .removeMember(let o, let u): Self.members(org: o).segments + [.parameter("user", value: u), "remove"]
        case .revokeInvitation(let o, let i):
            Self.organization(org: o).segments + ["invitations", .parameter("invitation", value: i), "revoke"]
        case .changeMemberRole(let o, let u): Self.members(org: o).segments + [.parameter("user", value: u), "role"]
        case .resetMemberMFA(let o, let u): Self.members(org: o).segments + [.parameter("user", value: u), "reset-mfa"]
        case .resendInvitation(let o, let i):
            Self.organization(org: o).segments + ["invitations", .parameter("invitation", value: i), "resend"]
        case .tokens(let o): Self.organization(org: o).segments + ["tokens"]
        case .revokeToken(let o, let t): Self.tokens(org: o).segments + [.parameter("token", value: t), "revoke"]
        case .audit(let o): Self.organization(org: o).segments + ["audit"]
        case .jobs(let o): Self.organization(org: o).segments + ["jobs"]
        case .job(let o, let j): Self.jobs(org: o).segments + [.parameter("job", value: j)]
        case .jobResult(let o, let j): Self.job(org: o, job: j).segments + ["result"]
        case .catalogs(let o): Self.organization(org: o).segments + ["catalogs"]
        case .catalogItemTable(let o): Self.catalogs(org: o).segments + ["item-table"]
        case .customers(let o): Self.organization(org: o).segments + ["customers"]
        case .grantCustomerConsent(let o, let c): Self.customers(org: o).segments + [.parameter("customer", value: c), "consent"]
        case .withdrawCustomerConsent(let o, let c): Self.grantCustomerConsent(org: o, customer: c).segments + ["withdraw"]
        case .attestations(let o): Self.organization(org: o).segments + ["attestations"]
        case .attestationPreview(let o): Self.attestations(org: o).segments + ["preview"]
        case .attestationFile(let o, let a): Self.attestations(org: o).segments + [.parameter("attestation", value: a), "file"]
        case .signingKeysFile(let o): Self.organization(org: o).segments + ["signing-keys"]
        case .suppliers(let o): Self.organization(org: o).segments + ["suppliers"]
        case .revokeSupplierInvitation(let o, let i):
            Self.organization(org: o).segments + ["supplier-invitations", .parameter("invitation", value: i), "revoke"]
        case .supplier(let o, let s): Self.suppliers(org: o).segments + [.parameter("supplier", value: s)]
        case .removeSupplier(let o, let s): Self.supplier(org: o, supplier: s).segments + ["remove"]
        case .supplierContracts(let o, let s): Self.supplier(org: o, supplier: s).segments + ["contracts"]
        case .supplierContract(let o, let s, let c): Self.supplierContracts(org: o, supplier: s).segments + [.parameter("contract", value: c)]
        case .deleteSupplierContract(let o, let s, let c): Self.supplierContract(org: o, supplier: s, contract: c).segments + ["delete"]
        case .supplierRequirements(let o, let s): Self.supplier(org: o, supplier: s).segments + ["requirements"]
        case .supplierRequirement(let o, let s, let r):
            Self.supplierRequirements(org: o, supplier: s).segments + [.parameter("requirement", value: r)]
        case .deleteSupplierRequirement(let o, let s, let r):
            Self.supplierRequirement(org: o, supplier: s, requirement: r).segments + ["delete"]
        case .incidentRegisters(let o, let i): Self.incident(org: o, incident: i).segments + ["registers"]
        case .incidentRegisterSamples(let o, let i): Self.incidentRegisters(org: o, incident: i).segments + ["malware"]
        case .incidentSampleArchive(let o, let i, let s):
            Self.incidentRegisterSamples(org: o, incident: i).segments + [.parameter("sample", value: s), "archive"]
        case .incidentSampleDispose(let o, let i, let s):
            Self.incidentRegisterSamples(org: o, incident: i).segments + [.parameter("sample", value: s), "dispose"]
        case .incidentSampleTransfers(let o, let i): Self.incidentRegisters(org: o, incident: i).segments + ["transfers"]
        case .incidentRegisterMedia(let o, let i): Self.incidentRegisters(org: o, incident: i).segments + ["media"]
        case .incidentMediaReplace(let o, let i, let m):
            Self.incidentRegisterMedia(org: o, incident: i).segments + [.parameter("media", value: m), "replace"]
        case .incidentMediaDispose(let o, let i, let m):
            Self.incidentRegisterMedia(org: o, incident: i).segments + [.parameter("media", value: m), "dispose"]
        case .incidentRegisterCustody(let o, let i): Self.incidentRegisters(org: o, incident: i).segments + ["custody"]
        case .incidentDoDRequests(let o, let i): Self.incidentRegisters(org: o, incident: i).segments + ["dod-requests"]
        case .incidentDoDResponses(let o, let i, let r):
            Self.incidentDoDRequests(org: o, incident: i).segments + [.parameter("request", value: r), "responses"]
        case .supplyChain(let o): Self.organization(org: o).segments + ["supply-chain"]
        case .supplyChainNeedsAction(let o): Self.supplyChain(org: o).segments + ["needs-action"]
        case .supplyChainSupplier(let o, let s): Self.supplyChain(org: o).segments + ["suppliers", .parameter("supplier", value: s)]
        case .supplyChainReminders(let o): Self.supplyChain(org: o).segments + ["reminders"]
        case .supplyChainCloud(let o): Self.supplyChain(org: o).segments + ["cloud"]
        case .dismissSupplyReminder(let o): Self.supplyChainReminders(org: o).segments + ["dismiss"]
        case .supplyChainWebhooks(let o): Self.supplyChain(org: o).segments + ["webhooks"]
        case .deleteSupplyWebhook(let o, let w): Self.supplyChainWebhooks(org: o).segments + [.parameter("webhook", value: w), "delete"]
        case .incidentNotices(let o): Self.organization(org: o).segments + ["incident-notices"]
        case .incidentNotice(let o, let n): Self.incidentNotices(org: o).segments + [.parameter("notice", value: n)]
        case .acknowledgeIncidentNotice(let o, let n): Self.incidentNotice(org: o, notice: n).segments + ["acknowledge"]
        case .forwardIncidentNotice(let o, let n): Self.incidentNotice(org: o, notice: n).segments + ["forward"]
        case .incidentNoticeSettings(let o): Self.organization(org: o).segments + ["incident-notice-settings"]
        case .incidentNoticeSend(let o, let i): Self.organization(org: o).segments + ["incidents", .parameter("incident", value: i), "notices"]
        case .incidents(let o): Self.organization(org: o).segments + ["incidents"]
        case .incidentReadiness(let o): Self.incidents(org: o).segments + ["readiness"]
        case .readinessCertificates(let o): Self.incidentReadiness(org: o).segments + ["certificates"]
        case .deleteReadinessCertificate(let o, let c): Self.readinessCertificates(org: o).segments + [.parameter("certificate", value: c), "delete"]
        case .renewReadinessCertificate(let o, let c): Self.readinessCertificates(org: o).segments + [.parameter("certificate", value: c), "renew"]
        case .readinessPlan(let o): Self.incidentReadiness(org: o).segments + ["plan"]
        case .readinessContacts(let o): Self.incidentReadiness(org: o).segments + ["contacts"]
        case .deleteReadinessContact(let o, let c): Self.readinessContacts(org: o).segments + [.parameter("contact", value: c), "delete"]
        case .readinessChannels(let o): Self.incidentReadiness(org: o).segments + ["channels"]
        case .newIncident(let o): Self.incidents(org: o).segments + ["new"]
        case .incident(let o, let i): Self.incidents(org: o).segments + [.parameter("incident", value: i)]
        case .editIncident(let o, let i): Self.incident(org: o, incident: i).segments + ["edit"]
        case .incidentPhase(let o, let i): Self.incident(org: o, incident: i).segments + ["phase"]
        case .incidentTimeline(let o, let i): Self.incident(org: o, incident: i).segments + ["timeline"]
        case .incidentSubmissions(let o, let i): Self.incident(org: o, incident: i).segments + ["submissions"]
        case .incidentReport(let o, let i): Self.incident(org: o, incident: i).segments + ["report"]
        case .incidentReportFields(let o, let i): Self.incident(org: o, incident: i).segments + ["report-fields"]
        case .sharing(let o): Self.organization(org: o).segments + ["sharing"]
        case .sharingCommunities(let o): Self.sharing(org: o).segments + ["communities"]
        case .sharingCommunity(let o, let c): Self.sharingCommunities(org: o).segments + [.parameter("community", value: c)]
        case .sharingCommunityInvite(let o, let c): Self.sharingCommunity(org: o, community: c).segments + ["invite"]
        case .sharingCommunityWithdraw(let o, let c, let i):
            Self.sharingCommunity(org: o, community: c).segments + ["invitations", .parameter("invitation", value: i), "withdraw"]
        case .sharingCommunityMember(let o, let c, let m):
            Self.sharingCommunity(org: o, community: c).segments + ["members", .parameter("member", value: m)]
        case .sharingCommunityRemoveMember(let o, let c, let m): Self.sharingCommunityMember(org: o, community: c, member: m).segments + ["remove"]
        case .sharingCommunityCollections(let o, let c): Self.sharingCommunity(org: o, community: c).segments + ["collections"]
        case .sharingCommunityAccess(let o, let c, let l):
            Self.sharingCommunityCollections(org: o, community: c).segments + [.parameter("collection", value: l), "access"]
        case .sharingCommunityListing(let o, let c): Self.sharingCommunity(org: o, community: c).segments + ["listing"]
        case .sharingCommunityLeave(let o, let c): Self.sharingCommunity(org: o, community: c).segments + ["leave"]
        case .sharingInvitation(let o, let i): Self.sharing(org: o).segments + ["invitations", .parameter("invitation", value: i)]
        case .sharingFeeds(let o): Self.sharing(org: o).segments + ["feeds"]
        case .sharingSearch(let o): Self.sharing(org: o).segments + ["search"]
        case .sharingSearchExport(let o): Self.sharingSearch(org: o).segments + ["export"]
        case .sharingCollection(let o, let c): Self.sharing(org: o).segments + ["collections", .parameter("collection", value: c)]
        case .sharingCollectionExport(let o, let c): Self.sharingCollection(org: o, collection: c).segments + ["export"]
        case .sharingObject(let o, let c, let x): Self.sharingCollection(org: o, collection: c).segments + ["objects", .parameter("object", value: x)]
        case .sharingSighting(let o, let c, let x): Self.sharingObject(org: o, collection: c, object: x).segments + ["sighting"]
        case .sharingFeed(let o, let f): Self.sharingFeeds(org: o).segments + [.parameter("feed", value: f)]
        case .sharingFeedPull(let o, let f): Self.sharingFeed(org: o, feed: f).segments + ["pull"]
        case .sharingFeedEnabled(let o, let f): Self.sharingFeed(org: o, feed: f).segments + ["enabled"]
        case .sharingFeedInterval(let o, let f): Self.sharingFeed(org: o, feed: f).segments + ["interval"]
        case .sharingFeedDelete(let o, let f): Self.sharingFeed(org: o, feed: f).segments + ["delete"]
        case .cloudServices(let o): Self.organization(org: o).segments + ["cloud"]
        case .cloudService(let o, let x): Self.cloudServices(org: o).segments + ["services", .parameter("service", value: x)]
        case .cloudServiceDelete(let o, let x): Self.cloudService(org: o, service: x).segments + ["delete"]
        case .evidenceLibrary(let o): Self.organization(org: o).segments + ["evidence"]
        case .evidenceItemNew(let o): Self.evidenceLibrary(org: o).segments + ["new"]
        case .evidenceAttach(let o): Self.evidenceLibrary(org: o).segments + ["attach"]
        case .evidenceItem(let o, let x): Self.evidenceLibrary(org: o).segments + [.parameter("item", value: x)]
        case .evidenceItemEdit(let o, let x): Self.evidenceItem(org: o, item: x).segments + ["edit"]
        case .evidenceItemDelete(let o, let x): Self.evidenceItem(org: o, item: x).segments + ["delete"]
        case .evidenceItemDetach(let o, let x): Self.evidenceItem(org: o, item: x).segments + ["detach"]
        case .cloudServiceEvaluations(let o, let x): Self.cloudService(org: o, service: x).segments + ["evaluations"]
        case .cloudServiceCommitments(let o, let x): Self.cloudService(org: o, service: x).segments + ["commitments"]
        case .cloudRegistry(let o): Self.cloudServices(org: o).segments + ["registry"]
        case .cloudRegistryProduct(let o, let x): Self.cloudRegistry(org: o).segments + ["products", .parameter("product", value: x)]
        case .cloudRegistryImport(let o, let j): Self.cloudRegistry(org: o).segments + ["imports", .parameter("job", value: j)]
        case .cloudRegistryISMAP(let o): Self.cloudRegistry(org: o).segments + ["ismap"]
        case .cloudRegistryISMAPRecord(let o, let n): Self.cloudRegistryISMAP(org: o).segments + [.parameter("number", value: n)]
        case .cloudRegistryISMAPDelete(let o, let n): Self.cloudRegistryISMAPRecord(org: o, number: n).segments + ["delete"]
        case .cloudServiceMatrix(let o, let x): Self.cloudService(org: o, service: x).segments + ["matrix"]
        case .requirementInheritance(let o, let a, let r): Self.requirement(org: o, assessment: a, requirement: r).segments + ["inheritance"]
        case .requirementConfirm(let o, let a, let r): Self.requirement(org: o, assessment: a, requirement: r).segments + ["confirm"]
        case .incidentSTIX(let o, let i): Self.incident(org: o, incident: i).segments + ["stix"]
        case .incidentShare(let o, let i): Self.incident(org: o, incident: i).segments + ["share"]
        case .incidentSharePreview(let o, let i): Self.incidentShare(org: o, incident: i).segments + ["preview"]
        case .incidentSharePublish(let o, let i): Self.incidentShare(org: o, incident: i).segments + ["publish"]
        case .incidentShareRecord(let o, let i, let sh): Self.incidentShare(org: o, incident: i).segments + [.parameter("share", value: sh)]
        case .incidentShareEvidence(let o, let i, let sh): Self.incidentShareRecord(org: o, incident: i, share: sh).segments + ["evidence"]
        case .incidentObservables(let o, let i): Self.incident(org: o, incident: i).segments + ["observables"]
        case .incidentObservableDelete(let o, let i, let ob):
            Self.incidentObservables(org: o, incident: i).segments + [.parameter("observable", value: ob), "delete"]
        case .incidentSettings(let o): Self.incidents(org: o).segments + ["settings"]
        case .incidentHours(let o): Self.incidentSettings(org: o).segments + ["hours"]
        case .incidentTeam(let o): Self.incidentSettings(org: o).segments + ["team"]
        case .revokeIncidentTeam(let o, let u): Self.incidentTeam(org: o).segments + [.parameter("user", value: u), "revoke"]
        case .exercises(let o): Self.organization(org: o).segments + ["exercises"]
        case .exerciseFrequency(let o): Self.organization(org: o).segments + ["exercise-frequency"]
        case .exercise(let o, let e): Self.exercises(org: o).segments + [.parameter("exercise", value: e)]
        case .exerciseStart(let o, let e): Self.exercise(org: o, exercise: e).segments + ["start"]
        case .exerciseEntries(let o, let e): Self.exercise(org: o, exercise: e).segments + ["entries"]
        case .exerciseComplete(let o, let e): Self.exercise(org: o, exercise: e).segments + ["complete"]
        case .exerciseEvidence(let o, let e): Self.exercise(org: o, exercise: e).segments + ["evidence"]
        case .exercisePOAM(let o, let e, let n): Self.exerciseEntries(org: o, exercise: e).segments + [.parameter("entry", value: n), "poam"]
        }
    }

    /// Characters a parameter's value keeps as they are in a path segment (RFC 3986 `pchar` without `/`); the rest
    /// are percent-encoded. Identifiers (lower-case UUIDs, requirement numbers such as `3.1.1`) need none.
    private static let segmentAllowed: CharacterSet = {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "/;")
        return allowed
    }()

    /// The link to this page, with the parameters' values percent-encoded where needed.
    var path: String {
        "/" + segments.map { segment in
            switch segment {
            case .literal(let text): text
            case .parameter(_, let value): value.addingPercentEncoding(withAllowedCharacters: Self.segmentAllowed) ?? value
            }
        }.joined(separator: "/")
    }

    /// The route the page is registered under, with `:name` for each parameter (the values are ignored).
    var pattern: RouterPath {
        RouterPath("/" + segments.map { segment in
            switch segment {
            case .literal(let text): text
            case .parameter(let name, _): ":" + name
            }
        }.joined(separator: "/"))
    }

    /// Whether a path belongs to the web pages (forms with a CSRF field) rather than the API.
    /// The sign-in page that comes back to `page` (a path of this server, with its query) once the person has signed
    /// in and given the second factor: how an invitation link opened signed out continues after signing in.
    static func login(returningTo page: String) -> String {
        login.path + "?next=" + (page.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
    }

    /// Where signing in may send the person on: only a page of this server — one "/" then a path `isPage` accepts
    /// (the sign-in pages themselves excepted), no backslash, no control character or space, at most 2,000
    /// characters. Anything else (another host, `//evil.example`, `/\evil.example`, a scheme) is nil: the home page.
    static func returnPath(_ raw: String?) -> String? {
        guard let raw, raw.utf8.count <= 2000, raw.hasPrefix("/"), !raw.hasPrefix("//"), !raw.contains("\\"),
              raw.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value != 0x7F }) else { return nil }
        let path = String(raw.prefix { $0 != "?" && $0 != "#" })
        guard isPage(path), !path.hasPrefix(login.path), path != logout.path else { return nil }
        return raw
    }

    static func isPage(_ path: String) -> Bool {
        path == home.path || path.hasPrefix("/o/") || path.hasPrefix("/account/") || path == logout.path
            || path.hasPrefix(login.path) || path == setup.path
    }
}

extension String {
    /// Stands for a parameter's value when a `PageRoute` is built only for its `pattern`
    /// (`PageRoute.members(org: .key).pattern`).
    static let key = ""
}

/// Links from the pages into the API's own GET routes (a signed-in browser's session cookie is enough for a GET).
/// The API registers these routes itself (`TenantRoutes`); they are not pages.
enum APILink {
    static func export(_ o: String, _ a: String, _ doc: String, _ format: String, _ lang: String) -> String {
        "/api/v1/organizations/\(o)/assessments/\(a)/export/\(doc)?format=\(format)&lang=\(lang)"
    }
    static func evidence(_ o: String, _ sha: String) -> String { "/api/v1/organizations/\(o)/evidence/\(sha)" }
}
