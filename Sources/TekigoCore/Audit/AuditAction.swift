/// Everything the audit log records (SP 800-171 3.3.1, 3.3.2): one case per kind of event, with the stable string that
/// is stored and hashed (never change one: stored entries and their hash chain keep it) and a label in both languages
/// for people reading the log. Code names an action only through this enum, so the log's vocabulary is this list.
public enum AuditAction: String, Sendable, CaseIterable, Codable {
    // Accounts and sign-in (3.1.8, 3.5.3)
    case setupLinkIssued = "setup.link-issued"
    case setupAccountCreated = "setup.admin-created"
    case accountCreated = "account.created"
    case loginSuccess = "login.success"
    case loginFailure = "login.failure"
    case loginLocked = "login.locked"
    case logout = "logout"
    case settingsChanged = "account.settings-changed"
    case mfaEnabled = "mfa.enabled"
    case mfaReplaced = "mfa.replaced"
    /// An owner or admin (or the operator) cleared a member's authenticator: the member enrols again at next sign-in.
    case mfaReset = "mfa.reset"
    // Organizations, members, tokens (3.1.1, 3.1.5)
    case organizationCreated = "organization.created"
    case organizationTimeZoneChanged = "organization.time-zone-changed"
    /// The regime the organization works under (Japanese standard, US, both) changed (issue 17 item 3).
    case organizationRegimeChanged = "organization.regime-changed"
    case membershipRoleChanged = "membership.role-changed"
    case membershipRemoved = "membership.removed"
    case membershipInvited = "membership.invited"
    case membershipInvitationRevoked = "membership.invitation-revoked"
    case membershipInvitationAccepted = "membership.invitation-accepted"
    /// A pending invitation replaced by a new link (the old one stops working).
    case membershipInvitationResent = "membership.invitation-resent"
    case membershipInvitationMailed = "membership.invitation-mailed"
    case membershipInvitationMailFailed = "membership.invitation-mail-failed"
    case tokenCreated = "token.created"
    case tokenRevoked = "token.revoked"
    // Assessments
    case systemCreated = "system.created"
    /// A system's name, boundary, environment, information types or user count changed (issue 17 item 6).
    case systemUpdated = "system.updated"
    /// A system no assessment or cloud service used was deleted (issue 17 item 6).
    case systemDeleted = "system.deleted"
    case assessmentCreated = "assessment.created"
    case assessmentResultsPosted = "assessment.results-posted"
    /// An assessment started from a previous one (issue 17 item 4): one entry for the whole copy, naming the source.
    case assessmentStartedFromPrevious = "assessment.started-from-previous"
    /// A carried-over answer confirmed as it is by a person (issue 17 item 4).
    case findingConfirmed = "finding.confirmed"
    case findingUpdated = "finding.updated"
    case answerUpdated = "answer.updated"
    case poamUpdated = "poam.updated"
    case evidenceUploaded = "evidence.uploaded"
    case evidenceDeleted = "evidence.deleted"
    // The evidence library (issue 17 item 5): items kept once per organization, attached to objectives.
    case evidenceItemAdded = "evidence-item.added"
    case evidenceItemUpdated = "evidence-item.updated"
    case evidenceItemDeleted = "evidence-item.deleted"
    case evidenceItemAttached = "evidence-item.attached"
    case evidenceItemDetached = "evidence-item.detached"
    case exportBundleStarted = "export.bundle-started"
    case catalogImported = "catalog.imported"
    case crosswalkImported = "crosswalk.imported"
    // Supply chain
    case supplierInvited = "supplier.invited"
    case supplierInvitationRevoked = "supplier.invitation-revoked"
    case supplierLinked = "supplier.linked"
    case supplierRemoved = "supplier.removed"
    case customerLinked = "customer.linked"
    case customerRemoved = "customer.removed"
    case contractCreated = "contract.created"
    case contractUpdated = "contract.updated"
    case contractDeleted = "contract.deleted"
    case requirementCreated = "requirement.created"
    case requirementUpdated = "requirement.updated"
    case requirementDeleted = "requirement.deleted"
    case attestationIssued = "attestation.issued"
    case attestationSuperseded = "attestation.superseded"
    case consentGranted = "consent.granted"
    case consentChanged = "consent.changed"
    case consentRevoked = "consent.revoked"
    case signingKeyGenerated = "key.generated"
    case signingKeyRotated = "key.rotated"
    case rollupRebuilt = "rollup.rebuilt"
    case reminderDismissed = "reminder.dismissed"
    case webhookCreated = "webhook.created"
    case webhookDeleted = "webhook.deleted"
    case demoLoaded = "demo.loaded"
    // Cyber incidents (DFARS 252.204-7012(c)–(g); SP 800-171 3.6.x). Reads of an incident's details are need-to-know
    // and audited too: `incident.read` for the dossier, `incident.listed` once per list of titles.
    case incidentOpened = "incident.opened"
    case incidentUpdated = "incident.updated"
    case incidentPhaseChanged = "incident.phase-changed"
    case incidentTimelineAdded = "incident.timeline-added"
    case incidentSubmissionRecorded = "incident.submission-recorded"
    case incidentReportFieldsSaved = "incident.report-fields-saved"
    case incidentRead = "incident.read"
    case incidentExported = "incident.exported"
    case incidentListed = "incident.listed"
    case incidentHoursSet = "incident.hours-set"
    case incidentAccessGranted = "incident.access-granted"
    case incidentAccessRevoked = "incident.access-revoked"
    // Incident notices up the supply chain (DFARS 204.7302(b)): sent by the reporting supplier, received and passed on
    // by each tier (by the server, actor `tekigo:auto-forward`, when the tier forwards automatically), acknowledged.
    case incidentNoticeSent = "incident.notice-sent"
    case incidentNoticeReceived = "incident.notice-received"
    case incidentNoticeForwarded = "incident.notice-forwarded"
    case incidentNoticeAcknowledged = "incident.notice-acknowledged"
    case incidentNoticeSettingChanged = "incident.notice-setting-changed"
    // The incident registers (7012 (d)–(g)): samples, media, custody, DoD's requests; a refused change of a held item
    // is recorded too (`incident.held-item-refused`), so the chain shows every attempt.
    case incidentMalwareAdded = "incident.malware-added"
    case incidentMalwareReplaced = "incident.malware-replaced"
    case incidentMalwareDisposed = "incident.malware-disposed"
    case incidentMalwareArchived = "incident.malware-archived"
    case incidentMalwareTransferRecorded = "incident.malware-transfer-recorded"
    case incidentMediaAdded = "incident.media-added"
    case incidentMediaReplaced = "incident.media-replaced"
    case incidentMediaDisposed = "incident.media-disposed"
    case incidentCustodyRecorded = "incident.custody-recorded"
    case incidentDoDRequestRecorded = "incident.dod-request-recorded"
    case incidentDoDResponseRecorded = "incident.dod-response-recorded"
    case incidentHeldItemRefused = "incident.held-item-refused"
    case incidentRegistersRead = "incident.registers-read"
    // Incident-response exercises (SP 800-171 3.6.3 / 03.06.03): their evidence goes into findings only on the user's
    // confirmation (`exercise.evidence-added`, beside each finding's own `finding.updated`).
    case exercisePlanned = "exercise.planned"
    case exerciseStarted = "exercise.started"
    case exerciseEntryAdded = "exercise.entry-added"
    case exerciseCompleted = "exercise.completed"
    case exerciseEvidenceAdded = "exercise.evidence-added"
    case exercisePOAMCreated = "exercise.poam-created"
    case exerciseFrequencySet = "exercise.frequency-set"
    case exerciseRead = "exercise.read"
    // Reporting readiness (DFARS 252.204-7012(c)(3), SP 800-171 rev3 03.06.05): certificates, the IR plan, the contact
    // chart and the reporting channels as configuration.
    case readinessCertificateAdded = "readiness.certificate-added"
    case readinessCertificateUpdated = "readiness.certificate-updated"
    case readinessCertificateDeleted = "readiness.certificate-deleted"
    case readinessPlanSaved = "readiness.plan-saved"
    case readinessPlanDeleted = "readiness.plan-deleted"
    case readinessContactAdded = "readiness.contact-added"
    case readinessContactUpdated = "readiness.contact-updated"
    case readinessContactDeleted = "readiness.contact-deleted"
    case readinessChannelsSaved = "readiness.channels-saved"
    // Threat intelligence shared over TAXII 2.1 (issue 14): objects added to a collection (one entry per request, all or
    // nothing) and an object's versions deleted by their publisher.
    case stixObjectsAdded = "stix.objects-added"
    case stixObjectDeleted = "stix.object-deleted"
    // Sharing communities administered by the operator (issue 14 item 4): a community, a member's standing, a
    // collection, an organization's access to it.
    case communityCreated = "community.created"
    case communityMemberSet = "community.member-set"
    case communityCollectionCreated = "community.collection-created"
    case communityAccessSet = "community.access-set"
    // Communities drawn from the supply chain with each organization's consent (issue 14 item 4): an invitation made,
    // withdrawn, accepted or declined; a member removed by the administrators or leaving; its own listing changed.
    case communityInvited = "community.invited"
    case communityInvitationWithdrawn = "community.invitation-withdrawn"
    case communityInvitationAccepted = "community.invitation-accepted"
    case communityInvitationDeclined = "community.invitation-declined"
    case communityMemberRemoved = "community.member-removed"
    case communityMemberLeft = "community.member-left"
    case communityListingSet = "community.listing-set"
    // TAXII feeds pulled from outside servers into a local collection (issue 14 item 3): a feed subscribed, and each
    // pull (one entry per run, with how many objects it added or why it stopped).
    case taxiiFeedSubscribed = "taxii.feed-subscribed"
    case taxiiFeedPulled = "taxii.feed-pulled"
    // A feed's settings changed (scheduled pulls on or off, the interval) and a feed deleted (issue 14 item 3).
    case taxiiFeedChanged = "taxii.feed-changed"
    case taxiiFeedDeleted = "taxii.feed-deleted"
    // Sharing from an incident (issue 14 item 5): an observable recorded or removed, a share published, its 3.6.2
    // evidence confirmed.
    case incidentObservableAdded = "incident.observable-added"
    case incidentObservableDeleted = "incident.observable-deleted"
    case incidentShared = "incident.shared"
    case incidentShareEvidenceAdded = "incident.share-evidence-added"
    // Cloud services an organization uses (issue 15 item 3): a service added, changed or removed, an evaluation
    // recorded (with the rule-set version it was judged against), the provider's DFARS 252.204-7012 (c)–(g)
    // commitments set.
    case cloudServiceAdded = "cloud.service-added"
    case cloudServiceUpdated = "cloud.service-updated"
    case cloudServiceRemoved = "cloud.service-removed"
    case cloudServiceEvaluated = "cloud.service-evaluated"
    case cloudServiceCommitmentsSet = "cloud.service-commitments-set"
    // The platform-wide cloud provider registry (issue 15 items 1, 2): platform administrators only
    case cloudRegistryImported = "cloud.registry-imported"
    case cloudISMAPRecordSaved = "cloud.ismap-saved"
    case cloudISMAPRecordDeleted = "cloud.ismap-deleted"
    // Responsibility matrices (issue 15 item 4): a provider's matrix imported for a service, an objective's
    // inheritance confirmed by a person (the finding written through putFinding has its own entry)
    case cloudMatrixImported = "cloud.matrix-imported"
    case cloudInheritanceConfirmed = "cloud.inheritance-confirmed"
    case platformAdminChanged = "account.platform-admin-changed"

    /// The group an action belongs to (the part before the dot), for filtering the log.
    public var group: String { rawValue.split(separator: ".").first.map(String.init) ?? rawValue }

    public var label: LocalizedText {
        switch self {
        case .setupLinkIssued: return LocalizedText(en: "Setup link issued", ja: "セットアップリンクの発行")
        case .setupAccountCreated: return LocalizedText(en: "Account created with a setup link", ja: "セットアップリンクでアカウント作成")
        case .accountCreated: return LocalizedText(en: "Account created by invitation", ja: "招待によるアカウント作成")
        case .loginSuccess: return LocalizedText(en: "Signed in", ja: "サインイン")
        case .loginFailure: return LocalizedText(en: "Failed sign-in", ja: "サインイン失敗")
        case .loginLocked: return LocalizedText(en: "Account locked after failed sign-ins", ja: "サインイン失敗によるロック")
        case .logout: return LocalizedText(en: "Signed out", ja: "サインアウト")
        case .settingsChanged: return LocalizedText(en: "Display settings changed", ja: "表示設定の変更")
        case .mfaEnabled: return LocalizedText(en: "Authenticator enrolled", ja: "認証アプリの登録")
        case .mfaReplaced: return LocalizedText(en: "Authenticator replaced", ja: "認証アプリの再登録")
        case .mfaReset: return LocalizedText(en: "Authenticator reset (to enrol again)", ja: "認証アプリのリセット（再登録が必要）")
        case .organizationCreated: return LocalizedText(en: "Organization created", ja: "組織の作成")
        case .organizationTimeZoneChanged: return LocalizedText(en: "Organization time zone changed", ja: "組織のタイムゾーンの変更")
        case .organizationRegimeChanged: return LocalizedText(en: "Organization regime changed", ja: "組織の適用基準の変更")
        case .membershipRoleChanged: return LocalizedText(en: "Role changed", ja: "役割の変更")
        case .membershipRemoved: return LocalizedText(en: "Member removed", ja: "メンバーの削除")
        case .membershipInvited: return LocalizedText(en: "Person invited", ja: "メンバーの招待")
        case .membershipInvitationRevoked: return LocalizedText(en: "Invitation withdrawn", ja: "招待の取り消し")
        case .membershipInvitationAccepted: return LocalizedText(en: "Invitation accepted", ja: "招待の承諾")
        case .membershipInvitationResent: return LocalizedText(en: "Invitation sent again with a new link", ja: "招待の再送（新しいリンク）")
        case .membershipInvitationMailed: return LocalizedText(en: "Invitation e-mail sent", ja: "招待メールの送信")
        case .membershipInvitationMailFailed: return LocalizedText(en: "Invitation e-mail failed", ja: "招待メールの送信失敗")
        case .tokenCreated: return LocalizedText(en: "API token created", ja: "API トークンの作成")
        case .tokenRevoked: return LocalizedText(en: "API token revoked", ja: "API トークンの失効")
        case .systemCreated: return LocalizedText(en: "System created", ja: "システムの登録")
        case .systemUpdated: return LocalizedText(en: "System changed", ja: "システムの変更")
        case .systemDeleted: return LocalizedText(en: "System deleted", ja: "システムの削除")
        case .assessmentCreated: return LocalizedText(en: "Assessment created", ja: "評価の作成")
        case .assessmentResultsPosted: return LocalizedText(en: "Results posting date recorded", ja: "結果登録日の記録")
        case .assessmentStartedFromPrevious: return LocalizedText(en: "Assessment started from a previous one", ja: "前回の評価から評価を作成")
        case .findingConfirmed: return LocalizedText(en: "Carried-over answer confirmed", ja: "引き継いだ回答の確認")
        case .findingUpdated: return LocalizedText(en: "Objective answered", ja: "評価目標の回答")
        case .answerUpdated: return LocalizedText(en: "Requirement answer saved", ja: "要件の回答の保存")
        case .poamUpdated: return LocalizedText(en: "POA&M item saved", ja: "是正計画項目の保存")
        case .evidenceUploaded: return LocalizedText(en: "Evidence uploaded", ja: "証跡のアップロード")
        case .evidenceDeleted: return LocalizedText(en: "Evidence deleted", ja: "証跡の削除")
        case .evidenceItemAdded: return LocalizedText(en: "Evidence library item added", ja: "証跡ライブラリへの登録")
        case .evidenceItemUpdated: return LocalizedText(en: "Evidence library item changed", ja: "証跡ライブラリの項目の変更")
        case .evidenceItemDeleted: return LocalizedText(en: "Evidence library item deleted", ja: "証跡ライブラリの項目の削除")
        case .evidenceItemAttached: return LocalizedText(en: "Library evidence attached to an objective", ja: "ライブラリの証跡を評価目標に添付")
        case .evidenceItemDetached: return LocalizedText(en: "Library evidence detached from an objective", ja: "ライブラリの証跡を評価目標から外す")
        case .exportBundleStarted: return LocalizedText(en: "All-documents export started", ja: "一括出力の開始")
        case .catalogImported: return LocalizedText(en: "Official wording imported", ja: "公式文の取り込み")
        case .crosswalkImported: return LocalizedText(en: "Crosswalk imported", ja: "対応表の取り込み")
        case .supplierInvited: return LocalizedText(en: "Supplier invited", ja: "サプライヤーの招待")
        case .supplierInvitationRevoked: return LocalizedText(en: "Supplier invitation withdrawn", ja: "サプライヤー招待の取り消し")
        case .supplierLinked: return LocalizedText(en: "Supplier linked", ja: "サプライヤーとの連携")
        case .supplierRemoved: return LocalizedText(en: "Supplier removed", ja: "サプライヤーの解除")
        case .customerLinked: return LocalizedText(en: "Customer linked", ja: "取引先（顧客）との連携")
        case .customerRemoved: return LocalizedText(en: "Customer removed", ja: "取引先（顧客）の解除")
        case .contractCreated: return LocalizedText(en: "Contract created", ja: "契約の登録")
        case .contractUpdated: return LocalizedText(en: "Contract changed", ja: "契約の変更")
        case .contractDeleted: return LocalizedText(en: "Contract deleted", ja: "契約の削除")
        case .requirementCreated: return LocalizedText(en: "Flow-down requirement set", ja: "フローダウン要求の設定")
        case .requirementUpdated: return LocalizedText(en: "Flow-down requirement changed", ja: "フローダウン要求の変更")
        case .requirementDeleted: return LocalizedText(en: "Flow-down requirement deleted", ja: "フローダウン要求の削除")
        case .attestationIssued: return LocalizedText(en: "Attestation signed", ja: "適合宣言の署名")
        case .attestationSuperseded: return LocalizedText(en: "Attestation superseded", ja: "適合宣言の置き換え")
        case .consentGranted: return LocalizedText(en: "Consent granted", ja: "開示同意の付与")
        case .consentChanged: return LocalizedText(en: "Consent changed", ja: "開示同意の変更")
        case .consentRevoked: return LocalizedText(en: "Consent revoked", ja: "開示同意の撤回")
        case .signingKeyGenerated: return LocalizedText(en: "Signing key created", ja: "署名鍵の作成")
        case .signingKeyRotated: return LocalizedText(en: "Signing key rotated", ja: "署名鍵の更新")
        case .rollupRebuilt: return LocalizedText(en: "Supply-chain roll-up rebuilt", ja: "サプライチェーン集計の再構築")
        case .reminderDismissed: return LocalizedText(en: "Reminder dismissed", ja: "リマインダーの非表示")
        case .webhookCreated: return LocalizedText(en: "Webhook added", ja: "Webhook の追加")
        case .webhookDeleted: return LocalizedText(en: "Webhook removed", ja: "Webhook の削除")
        case .demoLoaded: return LocalizedText(en: "Demo data loaded", ja: "デモデータの読み込み")
        case .incidentOpened: return LocalizedText(en: "Incident recorded", ja: "インシデントの記録")
        case .incidentUpdated: return LocalizedText(en: "Incident changed", ja: "インシデントの変更")
        case .incidentPhaseChanged: return LocalizedText(en: "Incident phase changed", ja: "インシデントの対応段階の変更")
        case .incidentTimelineAdded: return LocalizedText(en: "Incident timeline entry added", ja: "インシデント経過記録の追加")
        case .incidentSubmissionRecorded: return LocalizedText(en: "Incident report submission recorded", ja: "インシデント報告の提出記録")
        case .incidentReportFieldsSaved: return LocalizedText(en: "Incident report fields saved", ja: "インシデント報告項目の保存")
        case .incidentRead: return LocalizedText(en: "Incident details read", ja: "インシデント詳細の閲覧")
        case .incidentExported: return LocalizedText(en: "Incident exported", ja: "インシデントの出力")
        case .incidentListed: return LocalizedText(en: "Incident list read", ja: "インシデント一覧の閲覧")
        case .incidentHoursSet: return LocalizedText(en: "Incident reporting hours set", ja: "インシデント報告の目標時間の設定")
        case .incidentAccessGranted: return LocalizedText(en: "Incident access granted", ja: "インシデント閲覧権限の付与")
        case .incidentAccessRevoked: return LocalizedText(en: "Incident access revoked", ja: "インシデント閲覧権限の取り消し")
        case .incidentNoticeSent: return LocalizedText(en: "Incident notice sent to a customer", ja: "発注者へのインシデント通知の送信")
        case .incidentNoticeReceived: return LocalizedText(en: "Incident notice received from a supplier", ja: "サプライヤーからのインシデント通知の受信")
        case .incidentNoticeForwarded: return LocalizedText(en: "Incident notice passed on to a customer", ja: "インシデント通知の上位への転送")
        case .incidentNoticeAcknowledged: return LocalizedText(en: "Incident notice acknowledged", ja: "インシデント通知の受領確認")
        case .incidentNoticeSettingChanged: return LocalizedText(en: "Incident notice forwarding setting changed", ja: "インシデント通知の転送設定の変更")
        case .incidentMalwareAdded: return LocalizedText(en: "Malware sample stored", ja: "マルウェア検体の保管")
        case .incidentMalwareReplaced: return LocalizedText(en: "Malware sample replaced", ja: "マルウェア検体の差し替え")
        case .incidentMalwareDisposed: return LocalizedText(en: "Malware sample disposed of", ja: "マルウェア検体の廃棄")
        case .incidentMalwareArchived: return LocalizedText(en: "Malware sample downloaded as an encrypted archive", ja: "マルウェア検体の暗号化ダウンロード")
        case .incidentMalwareTransferRecorded: return LocalizedText(en: "Malware transfer to DC3 recorded", ja: "DC3 へのマルウェア提出の記録")
        case .incidentMediaAdded: return LocalizedText(en: "Preserved media recorded", ja: "保全媒体の記録")
        case .incidentMediaReplaced: return LocalizedText(en: "Preserved media replaced", ja: "保全媒体の差し替え")
        case .incidentMediaDisposed: return LocalizedText(en: "Preserved media disposed of", ja: "保全媒体の廃棄")
        case .incidentCustodyRecorded: return LocalizedText(en: "Chain-of-custody entry recorded", ja: "管理の連鎖（引渡し）の記録")
        case .incidentDoDRequestRecorded: return LocalizedText(en: "DoD request recorded", ja: "国防総省からの要請の記録")
        case .incidentDoDResponseRecorded: return LocalizedText(en: "Response to a DoD request recorded", ja: "国防総省の要請への回答の記録")
        case .incidentHeldItemRefused: return LocalizedText(en: "Change of a held item refused", ja: "保全対象の変更の拒否")
        case .incidentRegistersRead: return LocalizedText(en: "Incident registers read", ja: "インシデント関連記録簿の閲覧")
        case .exercisePlanned: return LocalizedText(en: "Incident-response exercise planned", ja: "インシデント対応演習の計画")
        case .exerciseStarted: return LocalizedText(en: "Incident-response exercise started", ja: "インシデント対応演習の開始")
        case .exerciseEntryAdded: return LocalizedText(en: "Exercise decision, finding or note recorded", ja: "演習の決定事項・発見事項・メモの記録")
        case .exerciseCompleted: return LocalizedText(en: "Incident-response exercise completed", ja: "インシデント対応演習の完了")
        case .exerciseEvidenceAdded: return LocalizedText(en: "Exercise added as assessment evidence (confirmed)", ja: "演習記録を評価の証跡として追加（確認済み）")
        case .exercisePOAMCreated: return LocalizedText(en: "Exercise finding added to the POA&M", ja: "演習の発見事項を是正計画に追加")
        case .exerciseFrequencySet: return LocalizedText(en: "Exercise frequency set", ja: "演習の実施頻度の設定")
        case .exerciseRead: return LocalizedText(en: "Exercise read", ja: "演習記録の閲覧")
        case .readinessCertificateAdded: return LocalizedText(en: "Medium assurance certificate recorded", ja: "中保証証明書の登録")
        case .readinessCertificateUpdated: return LocalizedText(en: "Medium assurance certificate changed", ja: "中保証証明書の変更")
        case .readinessCertificateDeleted: return LocalizedText(en: "Medium assurance certificate deleted", ja: "中保証証明書の削除")
        case .readinessPlanSaved: return LocalizedText(en: "Incident response plan saved", ja: "インシデント対応計画の保存")
        case .readinessPlanDeleted: return LocalizedText(en: "Incident response plan deleted", ja: "インシデント対応計画の削除")
        case .readinessContactAdded: return LocalizedText(en: "Contact chart entry added", ja: "連絡体制表への追加")
        case .readinessContactUpdated: return LocalizedText(en: "Contact chart entry changed", ja: "連絡体制表の変更")
        case .readinessContactDeleted: return LocalizedText(en: "Contact chart entry deleted", ja: "連絡体制表からの削除")
        case .readinessChannelsSaved: return LocalizedText(en: "Reporting channels configured", ja: "報告窓口の設定")
        case .stixObjectsAdded: return LocalizedText(en: "Threat intelligence objects added to a collection", ja: "脅威情報オブジェクトのコレクションへの追加")
        case .stixObjectDeleted: return LocalizedText(en: "Threat intelligence object deleted from a collection", ja: "脅威情報オブジェクトのコレクションからの削除")
        case .communityCreated: return LocalizedText(en: "Sharing community created", ja: "共有コミュニティの作成")
        case .communityMemberSet: return LocalizedText(en: "Sharing community member added or changed", ja: "共有コミュニティの参加組織の追加・変更")
        case .communityCollectionCreated: return LocalizedText(en: "TAXII collection created", ja: "TAXII コレクションの作成")
        case .communityAccessSet: return LocalizedText(en: "Access to a TAXII collection set", ja: "TAXII コレクションへのアクセス権の設定")
        case .communityInvited: return LocalizedText(en: "Organization invited to a sharing community", ja: "共有コミュニティへの組織の招待")
        case .communityInvitationWithdrawn: return LocalizedText(en: "Invitation to a sharing community withdrawn", ja: "共有コミュニティへの招待の取消し")
        case .communityInvitationAccepted: return LocalizedText(en: "Invitation to a sharing community accepted", ja: "共有コミュニティへの招待の承諾")
        case .communityInvitationDeclined: return LocalizedText(en: "Invitation to a sharing community declined", ja: "共有コミュニティへの招待の辞退")
        case .communityMemberRemoved: return LocalizedText(en: "Member removed from a sharing community", ja: "共有コミュニティからの参加組織の削除")
        case .communityMemberLeft: return LocalizedText(en: "Organization left a sharing community", ja: "共有コミュニティからの脱退")
        case .communityListingSet: return LocalizedText(en: "Listing to other members of a sharing community changed", ja: "共有コミュニティの他の参加組織への掲載の変更")
        case .taxiiFeedSubscribed: return LocalizedText(en: "Collection subscribed to an outside TAXII feed", ja: "外部 TAXII フィードの購読登録")
        case .taxiiFeedPulled: return LocalizedText(en: "Outside TAXII feed pulled", ja: "外部 TAXII フィードの取得")
        case .taxiiFeedChanged: return LocalizedText(en: "Outside TAXII feed's schedule changed", ja: "外部 TAXII フィードの取得設定の変更")
        case .taxiiFeedDeleted: return LocalizedText(en: "Outside TAXII feed deleted", ja: "外部 TAXII フィードの削除")
        case .incidentObservableAdded: return LocalizedText(en: "Observable recorded on an incident", ja: "インシデントへの観測値の記録")
        case .incidentObservableDeleted: return LocalizedText(en: "Observable removed from an incident", ja: "インシデントの観測値の削除")
        case .incidentShared: return LocalizedText(en: "Incident shared with a community", ja: "インシデントのコミュニティへの共有")
        case .incidentShareEvidenceAdded: return LocalizedText(en: "Incident share recorded as reporting evidence", ja: "インシデント共有の報告証跡としての記録")
        case .cloudServiceAdded: return LocalizedText(en: "Cloud service added", ja: "クラウドサービスの登録")
        case .cloudServiceUpdated: return LocalizedText(en: "Cloud service changed", ja: "クラウドサービスの変更")
        case .cloudServiceRemoved: return LocalizedText(en: "Cloud service removed", ja: "クラウドサービスの削除")
        case .cloudServiceEvaluated: return LocalizedText(en: "Cloud service evaluation recorded", ja: "クラウドサービスの評価の記録")
        case .cloudServiceCommitmentsSet: return LocalizedText(en: "Cloud provider's DFARS 7012 (c)–(g) commitments set", ja: "クラウド事業者の DFARS 7012 (c)〜(g) 対応の設定")
        case .cloudRegistryImported: return LocalizedText(en: "FedRAMP Marketplace file imported into the cloud registry", ja: "FedRAMP Marketplace ファイルのクラウドレジストリへの取込み")
        case .cloudISMAPRecordSaved: return LocalizedText(en: "ISMAP registration entered or changed", ja: "ISMAP 登録情報の入力・変更")
        case .cloudISMAPRecordDeleted: return LocalizedText(en: "ISMAP registration removed", ja: "ISMAP 登録情報の削除")
        case .cloudMatrixImported: return LocalizedText(en: "Provider's responsibility matrix imported", ja: "事業者の責任マトリクスの取込み")
        case .cloudInheritanceConfirmed: return LocalizedText(en: "Inheritance from a cloud service confirmed", ja: "クラウドサービスからの継承の確認")
        case .platformAdminChanged: return LocalizedText(en: "Platform administrator granted or revoked", ja: "プラットフォーム管理者の付与・取消し")
        }
    }
}
