import Foundation
import Hummingbird
import HTTPTypes
import NIOCore
import TekigoUseCases

/// TAXII 2.1's resources written as `application/taxii+json;version=2.1`: discovery, API root, collections, collection,
/// envelope (objects with `more` / `next`), manifest, versions and status. Stored objects are copied into the envelope
/// as the JSON they were stored as. Keys are written in sorted order.
enum TAXIIResources {
    static func response(_ out: JSONBytes, status: HTTPResponse.Status = .ok, page: TAXIIPage? = nil) -> Response {
        var headers: HTTPFields = [.contentType: TAXIIMedia.taxii]
        if let page, let first = page.firstAdded, let last = page.lastAdded {
            headers[HTTPField.Name("X-TAXII-Date-Added-First")!] = TAXIITime.format(first)
            headers[HTTPField.Name("X-TAXII-Date-Added-Last")!] = TAXIITime.format(last)
        }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: out.bytes)))
    }

    static func discovery(_ roots: [TAXIIRoot]) -> Response {
        var out = JSONBytes()
        out.raw("{")
        out.member("api_roots", first: true) { o in
            o.raw("[")
            for (i, r) in roots.enumerated() {
                if i > 0 { o.raw(",") }
                o.string(path(r))
            }
            o.raw("]")
        }
        if roots.count == 1 { out.member("default") { $0.string(path(roots[0])) } }
        out.member("description") {
            $0.string("Tekigo's TAXII 2.1 server: one API root for each sharing community your organization belongs to.")
        }
        out.member("title") { $0.string("Tekigo TAXII") }
        out.raw("}")
        return response(out)
    }

    static func path(_ root: TAXIIRoot) -> String { "/taxii2/\(root.slug)/" }

    static func apiRoot(_ root: TAXIIRoot) -> Response {
        var out = JSONBytes()
        out.raw("{")
        out.member("description", first: true) { $0.string(root.description) }
        out.member("max_content_length") { $0.int(TAXIIMedia.maxContentLength) }
        out.member("title") { $0.string(root.title) }
        out.member("versions") { $0.raw("[\"application/taxii+json;version=2.1\"]") }
        out.raw("}")
        return response(out)
    }

    static func write(_ c: TAXIICollectionView, to out: inout JSONBytes) {
        out.raw("{")
        if let alias = c.alias { out.member("alias", first: true) { $0.string(alias) } }
        out.member("can_read", first: c.alias == nil) { $0.bool(c.canRead) }
        out.member("can_write") { $0.bool(c.canWrite) }
        if let d = c.description { out.member("description") { $0.string(d) } }
        out.member("id") { $0.string(c.id) }
        out.member("media_types") { $0.raw("[\"application/stix+json;version=2.1\"]") }
        out.member("title") { $0.string(c.title) }
        out.raw("}")
    }

    static func collections(_ list: [TAXIICollectionView]) -> Response {
        var out = JSONBytes()
        out.raw("{")
        if !list.isEmpty {
            out.member("collections", first: true) { o in
                o.raw("[")
                for (i, c) in list.enumerated() {
                    if i > 0 { o.raw(",") }
                    write(c, to: &o)
                }
                o.raw("]")
            }
        }
        out.raw("}")
        return response(out)
    }

    static func collection(_ c: TAXIICollectionView) -> Response {
        var out = JSONBytes()
        write(c, to: &out)
        return response(out)
    }

    /// The envelope: `more`, `next` when there is more, and the objects as stored.
    static func envelope(_ page: TAXIIPage) -> Response {
        paged(page, list: "objects", capacity: 256 + page.entries.reduce(0) { $0 + ($1.json?.utf8.count ?? 0) + 1 }) { o, e in
            o.json(e.json ?? "{}")
        }
    }

    /// The manifest: one record per object version (`id`, `date_added`, `version`, `media_type`); `next` as in the
    /// envelope, so a client pages through it the same way.
    static func manifest(_ page: TAXIIPage) -> Response {
        paged(page, list: "objects") { o, e in
            o.raw("{")
            o.member("date_added", first: true) { $0.string(TAXIITime.format(e.dateAdded)) }
            o.member("id") { $0.string(e.id) }
            o.member("media_type") { $0.string(e.mediaType) }
            o.member("version") { $0.string(e.version) }
            o.raw("}")
        }
    }

    /// The versions resource: the object's versions (`modified` times) in the order they were added.
    static func versions(_ page: TAXIIPage) -> Response {
        paged(page, list: "versions") { o, e in o.string(e.version) }
    }

    /// A page of a paged resource: `more`, `next` when there is more, and the entries as `list` (left out when none).
    static func paged(_ page: TAXIIPage, list: StaticString, capacity: Int = 256,
                      entry: (inout JSONBytes, TAXIIObjectEntry) -> Void) -> Response {
        var out = JSONBytes(capacity: capacity)
        out.raw("{")
        out.member("more", first: true) { $0.bool(page.more) }
        if page.more, let next = page.next { out.member("next") { $0.string(next) } }
        if !page.entries.isEmpty {
            out.member(list) { o in
                o.raw("[")
                for (i, e) in page.entries.enumerated() {
                    if i > 0 { o.raw(",") }
                    entry(&o, e)
                }
                o.raw("]")
            }
        }
        out.raw("}")
        return response(out, page: page)
    }

    static func status(_ s: TAXIIStatusView, httpStatus: HTTPResponse.Status = .ok) -> Response {
        func details(_ list: [TAXIIStatusView.Detail], _ o: inout JSONBytes) {
            o.raw("[")
            for (i, d) in list.enumerated() {
                if i > 0 { o.raw(",") }
                o.raw("{")
                o.member("id", first: true) { $0.string(d.id) }
                if let m = d.message { o.member("message") { $0.string(m) } }
                o.member("version") { $0.string(d.version) }
                o.raw("}")
            }
            o.raw("]")
        }
        var out = JSONBytes()
        out.raw("{")
        out.member("failure_count", first: true) { $0.int(s.failureCount) }
        if !s.failures.isEmpty { out.member("failures") { details(s.failures, &$0) } }
        out.member("id") { $0.string(s.id) }
        out.member("pending_count") { $0.int(s.pendingCount) }
        out.member("request_timestamp") { $0.string(TAXIITime.format(s.requestTimestamp)) }
        out.member("status") { $0.string(s.status) }
        out.member("success_count") { $0.int(s.successCount) }
        if !s.successes.isEmpty { out.member("successes") { details(s.successes, &$0) } }
        out.member("total_count") { $0.int(s.totalCount) }
        out.raw("}")
        return response(out, status: httpStatus)
    }
}
