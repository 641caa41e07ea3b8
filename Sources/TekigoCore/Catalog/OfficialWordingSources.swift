/// Where NIST publishes the official wording Tekigo does not ship (issue #17 item 2): named in the first-run notice of
/// the command line (`tekigo assess`, `tekigo catalog show`) and of the web pages, so both point to the same places.
public enum OfficialWordingSources {
    /// SP 800-171 Rev. 3 (its page links the OSCAL catalog with 800-171A Rev. 3's objectives and the CPRT data).
    public static let sp800171r3 = "https://csrc.nist.gov/pubs/sp/800/171/r3/final"
    /// SP 800-171 Rev. 2 (with its January 2021 update), the revision DFARS 252.204-7012 and CMMC still require.
    public static let sp800171r2 = "https://csrc.nist.gov/pubs/sp/800/171/r2/upd1/final"
    /// SP 800-171A (June 2018): the 320 assessment objectives of Rev. 2.
    public static let sp800171a = "https://csrc.nist.gov/pubs/sp/800/171/a/final"
    /// NIST's Cybersecurity and Privacy Reference Tool: each publication's data, exported as JSON.
    public static let cprt = "https://csrc.nist.gov/projects/cprt/catalog"
    /// The OSCAL catalogs NIST publishes (SP 800-171 Rev. 3 under nist.gov/SP800-171/rev3/json).
    public static let oscalContent = "https://github.com/usnistgov/oscal-content"
    /// The one command that imports a downloaded file (OSCAL or CPRT JSON, told by content).
    public static let importCommand = "tekigo catalog import FILE"

    /// The catalogs whose official wording these sources give.
    public static func covers(_ catalog: CatalogID) -> Bool { catalog == .sp800171r2 || catalog == .sp800171r3 }
}
