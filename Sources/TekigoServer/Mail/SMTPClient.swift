import Foundation
import NIOCore
import NIOPosix
import NIOSSL

// Why a small SMTP client of our own: no Swift SMTP library is among the packages this project can build offline
// (docs of the build machines: swift-packages-b), and the invitation e-mail needs only the submission subset of
// RFC 5321 — EHLO, STARTTLS (RFC 3207, through NIOSSL), AUTH PLAIN (RFC 4954), MAIL, RCPT, DATA, QUIT — for one
// plain-text UTF-8 message at a time. It runs on SwiftNIO like the rest of the server. It is tested against a real
// SMTP server (Python's aiosmtpd on loopback, Tests/TekigoServerTests/ColleagueMailTests.swift).

/// Where and how to hand invitation e-mails to a mail server (`tekigo serve --smtp-host …`).
public struct SMTPConfiguration: Sendable, Equatable {
    public var host: String
    public var port: Int
    /// The envelope sender and `From:` address.
    public var from: String
    public var username: String?
    public var password: String?
    /// Upgrade the connection with STARTTLS before anything else is sent; a server that does not offer it is refused.
    public var startTLS: Bool
    /// A PEM file of certificate authorities to trust instead of the system's (a private mail relay).
    public var caFile: String?
    /// How long one whole delivery may take, connection included.
    public var timeout: TimeInterval

    public init(host: String, port: Int = 587, from: String, username: String? = nil, password: String? = nil,
                startTLS: Bool = false, caFile: String? = nil, timeout: TimeInterval = 20) {
        self.host = host
        self.port = port
        self.from = from
        self.username = username
        self.password = password
        self.startTLS = startTLS
        self.caFile = caFile
        self.timeout = timeout
    }

    /// Why this configuration cannot be used, if it cannot (the option names as `tekigo serve` takes them).
    public var problem: String? {
        if host.isEmpty { return "--smtp-host is empty." }
        if !(1...65_535).contains(port) { return "--smtp-port must be 1–65535 (it is \(port))." }
        if MailMessage.isPlainAddress(from) == false { return "--smtp-from is not an e-mail address: \(from)" }
        if (username == nil) != (password == nil) { return "--smtp-user and --smtp-password-file go together." }
        if username != nil, !startTLS, !Self.isLoopback(host) {
            return "--smtp-user needs --smtp-starttls: the password would cross the network in clear."
        }
        return nil
    }

    static func isLoopback(_ host: String) -> Bool { host == "localhost" || host == "::1" || host.hasPrefix("127.") }
}

/// Why a message was not delivered. The description names the step and what the server said.
public enum SMTPError: Error, Sendable, Equatable, CustomStringConvertible {
    case connect(String)
    case timedOut(step: String)
    case closed(step: String)
    case rejected(step: String, code: Int, text: String)
    case malformedReply(String)
    case startTLSNotOffered
    case authNotOffered
    case badAddress(String)

    public var description: String {
        switch self {
        case .connect(let why): return "could not connect to the mail server: \(why)"
        case .timedOut(let step): return "the mail server did not answer in time (\(step))"
        case .closed(let step): return "the mail server closed the connection (\(step))"
        case .rejected(let step, let code, let text): return "the mail server refused \(step): \(code) \(text)"
        case .malformedReply(let line): return "the mail server's reply is not SMTP: \(line.prefix(80))"
        case .startTLSNotOffered: return "the mail server does not offer STARTTLS"
        case .authNotOffered: return "the mail server does not offer AUTH PLAIN"
        case .badAddress(let a): return "not a plain e-mail address: \(a.prefix(80))"
        }
    }
}

/// One plain-text UTF-8 message. Rendered with MIME: the subject as an RFC 2047 encoded word, the body in base64, so
/// Japanese text crosses any relay unchanged.
public struct MailMessage: Sendable, Equatable {
    public var from: String
    public var to: String
    public var subject: String
    public var body: String
    public var date: Date

    public init(from: String, to: String, subject: String, body: String, date: Date = Date()) {
        self.from = from
        self.to = to
        self.subject = subject
        self.body = body
        self.date = date
    }

    /// An address with nothing that could end a header or an SMTP command (CR, LF, angle brackets, spaces).
    static func isPlainAddress(_ s: String) -> Bool {
        let parts = s.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && !parts[1].isEmpty && s.utf8.count <= 254
            && !s.unicodeScalars.contains { $0.value < 0x21 || $0.value == 0x7F || "<>()[],;:\\\"".unicodeScalars.contains($0) }
    }

    /// The message as sent after DATA: CRLF line ends, without the dot-stuffing and the final dot.
    func rendered(messageID: String) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        let encodedBody = Data(body.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n").utf8)
            .base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
        let headers = [
            "From: <\(from)>",
            "To: <\(to)>",
            "Subject: \(Self.encodedWords(subject))",
            "Date: \(formatter.string(from: date))",
            "Message-ID: <\(messageID)>",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=UTF-8",
            "Content-Transfer-Encoding: base64",
        ]
        return headers.joined(separator: "\r\n") + "\r\n\r\n" + encodedBody + "\r\n"
    }

    /// RFC 2047 "B" encoded words (at most 64 characters each), split on character boundaries, one per folded line.
    static func encodedWords(_ text: String) -> String {
        var words: [String] = [], chunk = ""
        for c in text.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ") {
            // 39 bytes of UTF-8 become 52 of base64: with "=?UTF-8?B?" and "?=" a word is 64 characters, so even the
            // first line ("Subject: " and a word) stays within RFC 2047's 76.
            if (chunk + String(c)).utf8.count > 39 {
                words.append(chunk)
                chunk = ""
            }
            chunk.append(c)
        }
        if !chunk.isEmpty { words.append(chunk) }
        return words.map { "=?UTF-8?B?\(Data($0.utf8).base64EncodedString())?=" }.joined(separator: "\r\n ")
    }
}

/// Sends one message per connection. Every step waits for the server's reply; the whole exchange is bounded by
/// `SMTPConfiguration.timeout` (the connection is closed when it runs out).
public struct SMTPClient: Sendable {
    public let configuration: SMTPConfiguration

    public init(_ configuration: SMTPConfiguration) { self.configuration = configuration }

    public func send(_ message: MailMessage) async throws {
        let config = configuration
        for address in [message.from, message.to] where !MailMessage.isPlainAddress(address) { throw SMTPError.badAddress(address) }
        let channel: NIOAsyncChannel<String, ByteBuffer>
        do {
            channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.milliseconds(Int64(min(config.timeout, 10) * 1000)))
                .connect(host: config.host, port: config.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(SMTPLineDecoder()))
                        return try NIOAsyncChannel<String, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            throw SMTPError.connect(String(describing: error))
        }
        let deadline = SMTPDeadline()
        let timer = channel.channel.eventLoop.scheduleTask(in: .milliseconds(Int64(config.timeout * 1000))) {
            deadline.expire()
            channel.channel.close(promise: nil)
        }
        defer { timer.cancel() }
        do {
            try await channel.executeThenClose { inbound, outbound in
                var session = SMTPSession(lines: inbound.makeAsyncIterator(), outbound: outbound, deadline: deadline)
                try await session.expect(220, step: "greeting")
                var features = try await session.command("EHLO tekigo", expect: 250, step: "EHLO")
                if config.startTLS {
                    guard features.contains(where: { $0.uppercased().hasPrefix("STARTTLS") }) else { throw SMTPError.startTLSNotOffered }
                    _ = try await session.command("STARTTLS", expect: 220, step: "STARTTLS")
                    var tls = TLSConfiguration.makeClientConfiguration()
                    if let ca = config.caFile { tls.trustRoots = .file(ca) }
                    let context = try NIOSSLContext(configuration: tls)
                    let isAddress = config.host.contains(":") || config.host.allSatisfy { $0.isNumber || $0 == "." }
                    let underlying = channel.channel
                    try await underlying.eventLoop.submit {
                        let handler = try NIOSSLClientHandler(context: context, serverHostname: isAddress ? nil : config.host)
                        try underlying.pipeline.syncOperations.addHandler(handler, position: .first)
                    }.get()
                    features = try await session.command("EHLO tekigo", expect: 250, step: "EHLO after STARTTLS")
                }
                if let user = config.username, let password = config.password {
                    guard features.contains(where: { $0.uppercased().hasPrefix("AUTH") && $0.uppercased().contains("PLAIN") }) else {
                        throw SMTPError.authNotOffered
                    }
                    let credentials = Data("\u{0}\(user)\u{0}\(password)".utf8).base64EncodedString()
                    _ = try await session.command("AUTH PLAIN \(credentials)", expect: 235, step: "AUTH")
                }
                _ = try await session.command("MAIL FROM:<\(message.from)>", expect: 250, step: "MAIL FROM")
                _ = try await session.command("RCPT TO:<\(message.to)>", expect: 250, step: "RCPT TO", alsoAccept: [251])
                _ = try await session.command("DATA", expect: 354, step: "DATA")
                let domain = message.from.split(separator: "@").last.map(String.init) ?? "tekigo.invalid"
                let text = message.rendered(messageID: "\(UUID().uuidString.lowercased())@\(domain)")
                // Dot-stuffing (RFC 5321 4.5.2): a line starting with "." gets another.
                let stuffed = text.components(separatedBy: "\r\n").map { $0.hasPrefix(".") ? "." + $0 : $0 }.joined(separator: "\r\n")
                try await session.write(stuffed + ".\r\n")
                _ = try await session.expect(250, step: "message")
                try? await session.write("QUIT\r\n")
            }
        } catch let e as SMTPError {
            throw deadline.expired ? SMTPError.timedOut(step: e.step) : e
        } catch {
            if deadline.expired { throw SMTPError.timedOut(step: "TLS") }
            throw SMTPError.connect(String(describing: error))
        }
    }
}

extension SMTPError {
    var step: String {
        switch self {
        case .timedOut(let s), .closed(let s), .rejected(let s, _, _): return s
        default: return description
        }
    }
}

/// Set when the delivery's time ran out (the connection is then closed under the session).
final class SMTPDeadline: @unchecked Sendable {
    private let lock = NSLock()
    private var _expired = false
    var expired: Bool { lock.withLock { _expired } }
    func expire() { lock.withLock { _expired = true } }
}

/// One conversation: commands out, replies in (a reply may span lines "250-…" … "250 …").
struct SMTPSession {
    var lines: NIOAsyncChannelInboundStream<String>.AsyncIterator
    let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    let deadline: SMTPDeadline

    mutating func write(_ text: String) async throws {
        try await outbound.write(ByteBuffer(string: text))
    }

    /// Reads one reply; returns the text of its lines (without the codes) when its code is `code` (or in `alsoAccept`).
    @discardableResult
    mutating func expect(_ code: Int, step: String, alsoAccept: Set<Int> = []) async throws -> [String] {
        var texts: [String] = []
        while true {
            guard let line = try await lines.next() else {
                throw deadline.expired ? SMTPError.timedOut(step: step) : SMTPError.closed(step: step)
            }
            let bytes = Array(line.utf8)
            guard bytes.count >= 3, let got = Int(String(decoding: bytes[0..<3], as: UTF8.self)),
                  bytes.count == 3 || bytes[3] == UInt8(ascii: " ") || bytes[3] == UInt8(ascii: "-") else {
                throw SMTPError.malformedReply(line)
            }
            texts.append(bytes.count > 4 ? String(decoding: bytes[4...], as: UTF8.self) : "")
            if bytes.count > 3, bytes[3] == UInt8(ascii: "-") { continue }
            guard got == code || alsoAccept.contains(got) else {
                throw SMTPError.rejected(step: step, code: got, text: texts.joined(separator: " "))
            }
            return texts
        }
    }

    mutating func command(_ line: String, expect code: Int, step: String, alsoAccept: Set<Int> = []) async throws -> [String] {
        try await write(line + "\r\n")
        return try await expect(code, step: step, alsoAccept: alsoAccept)
    }
}

/// Splits the server's byte stream into lines at CRLF (a bare LF too), at most 4 KiB each.
struct SMTPLineDecoder: ByteToMessageDecoder {
    typealias InboundOut = String

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else {
            if buffer.readableBytes > 4096 { throw SMTPError.malformedReply("a line longer than 4 KiB") }
            return .needMoreData
        }
        let length = newline - buffer.readerIndex
        var line = buffer.readString(length: length) ?? ""
        buffer.moveReaderIndex(forwardBy: 1)
        if line.hasSuffix("\r") { line.removeLast() }
        context.fireChannelRead(wrapInboundOut(line))
        return .continue
    }
}
