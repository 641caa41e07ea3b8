import Foundation

/// The OASIS Incident extension suite as far as Tekigo uses it (standards-facts §9.1; the definitions in
/// ../shared/data/stix/extensions/incident-ef7/): the Incident Core property extension on `incident`, and the `task`
/// object of the same suite, whose `discovery` task carries the time an incident was discovered. Bundles reference
/// the extension definitions by id, as the OASIS examples do, rather than carry copies of them.
public enum IncidentCoreExtension {
    /// The Incident Core extension (a property extension of `incident`).
    public static let id = STIXIdentifier("extension-definition--ef765651-680c-498d-9894-99799f2fa126")!
    /// The suite's `task` object (a new SDO).
    public static let taskExtensionID = STIXIdentifier("extension-definition--2074a052-8be4-4932-849e-f5e7798e0030")!
    /// The suite's `event` object (a new SDO).
    public static let eventExtensionID = STIXIdentifier("extension-definition--4ca6de00-5b0d-45ef-a1dc-ea7279ea910e")!

    /// `determination`: a closed enumeration in the extension's schema.
    public static let determinations = ["blocked", "confirmed", "failed-attempt", "false-positive", "suspected"]
    /// `investigation_status`: incident-investigation-ov (open: other values are allowed).
    public static let investigationStatuses = ["closed", "new", "open"]
    /// `detection_methods`: detection-methods-ov (open).
    public static let detectionMethods = ["automated-tool", "commercial-solution", "external-notification", "human-review",
                                          "message-from-attacker", "proprietary-solution", "system-outage", "user-reporting"]
    /// The `task_types` value of the task in which an incident was discovered.
    public static let discoveryTaskType = "discovery"
}
