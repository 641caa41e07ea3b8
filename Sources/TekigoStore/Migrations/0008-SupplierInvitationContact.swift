/// Migration 8: a supplier invitation's contact — the e-mail address of the person at the supplier it was made for —
/// in a column of its own, beside the customer's note (the pages had written it into the note, where it counted
/// against the note's length and could not be told apart from it).
extension Migrations {
    static let supplierInvitationContact = Migration(version: 8, name: "supplier_invitations: the contact's e-mail address",
                                                     statements: [
        "ALTER TABLE supplier_invitations ADD COLUMN contact_email TEXT",
    ])
}
