import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTPTypes

/// How long a client may take (SP 800-171 3.13.9: end network connections after a defined period of inactivity;
/// and a connection held open by a slow or silent client must not hold the server's resources).
///
/// - `requestHead`: from the first byte of a request to the end of its header lines (a "slowloris" client that
///   sends half a request and then trickles, or nothing, is closed after this long, with 408).
/// - `idle`: a connection with no request in progress, when it opens or after a response, is closed after this long.
/// - `requestBody`: from the end of the header lines to the end of the body (a client that announces a body and
///   sends it slowly is closed after this long, with 408 if no answer has started).
///
/// Time the server itself takes to answer never counts.
public struct HTTPTimeouts: Sendable, Equatable {
    public var requestHead: Duration
    public var idle: Duration
    public var requestBody: Duration

    public init(requestHead: Duration = .seconds(10), idle: Duration = .seconds(60), requestBody: Duration = .seconds(120)) {
        self.requestHead = requestHead
        self.idle = idle
        self.requestBody = requestBody
    }
}

/// HTTP/1.1 as Hummingbird's `HTTP1Channel` serves it, with `ConnectionDeadlines` in front: the deadlines need the
/// raw bytes (to see a request start before its head is complete), which no handler behind the HTTP decoder sees.
struct TimedHTTP1Channel: ServerChildChannel {
    typealias Value = HTTP1Channel.Value

    let http: HTTP1Channel
    let timeouts: HTTPTimeouts

    init(responder: @escaping HTTPChannelHandler.Responder, timeouts: HTTPTimeouts) {
        self.timeouts = timeouts
        // Hummingbird's own `idleTimeout` counts from the last HTTP part decoded, so it cannot tell a silent
        // connection from half a request; ConnectionDeadlines replaces it.
        self.http = HTTP1Channel(responder: responder, configuration: .init(additionalChannelHandlers: [RequestBoundaries()]))
    }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        do {
            try channel.pipeline.syncOperations.addHandler(ConnectionDeadlines(timeouts, logger: logger), position: .first)
        } catch {
            return channel.eventLoop.makeFailedFuture(error)
        }
        return http.setup(channel: channel, logger: logger)
    }

    func handle(value: Value, logger: Logger) async {
        await http.handle(value: value, logger: logger)
    }

    static func builder(_ timeouts: HTTPTimeouts) -> HTTPServerBuilder {
        HTTPServerBuilder { responder in TimedHTTP1Channel(responder: responder, timeouts: timeouts) }
    }
}

/// What a connection is doing, for its deadline.
enum ConnectionPhase: Equatable {
    /// No request in progress: waiting for the first byte of the next one.
    case idle
    /// Bytes of a request have come, its head is not complete.
    case readingHead
    /// The head is complete, the body is not.
    case readingBody
    /// The request is complete; the server is answering (no deadline: the server's time is not the client's).
    case answering
}

/// Sits first in the pipeline (it sees raw bytes) and closes a connection whose client takes too long: one timer,
/// re-armed on each change of phase. `RequestBoundaries`, behind the HTTP decoder, reports where requests and
/// responses begin and end.
final class ConnectionDeadlines: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    let timeouts: HTTPTimeouts
    let logger: Logger
    private(set) var phase = ConnectionPhase.idle
    /// An answer has been started (its head written) for the request being read or answered.
    private var answerStarted = false
    private var timer: Scheduled<Void>?
    private weak var context: ChannelHandlerContext?

    init(_ timeouts: HTTPTimeouts, logger: Logger) {
        self.timeouts = timeouts
        self.logger = logger
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if context.channel.isActive { enter(.idle) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        enter(.idle)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if phase == .idle { enter(.readingHead) }
        context.fireChannelRead(data)
    }

    // MARK: reported by RequestBoundaries

    func requestHeadReceived() {
        answerStarted = false
        enter(.readingBody)
    }

    func requestEnded() {
        if phase == .readingBody || phase == .readingHead { enter(.answering) }
    }

    func responseStarted() { answerStarted = true }

    func responseEnded() {
        answerStarted = false
        // An answer given before the body was read (413, 401 …) leaves the body's deadline running.
        if phase == .answering { enter(.idle) }
    }

    // MARK: the timer

    private func enter(_ next: ConnectionPhase) {
        phase = next
        timer?.cancel()
        timer = nil
        guard let context else { return }
        let limit: Duration
        switch next {
        case .idle: limit = timeouts.idle
        case .readingHead: limit = timeouts.requestHead
        case .readingBody: limit = timeouts.requestBody
        case .answering: return
        }
        let (seconds, attoseconds) = limit.components
        let amount = TimeAmount.nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
        let loop = context.eventLoop
        timer = loop.assumeIsolatedUnsafeUnchecked().scheduleTask(in: amount) { [weak self] in
            self?.expired(next)
        }
    }

    private func expired(_ phase: ConnectionPhase) {
        guard phase == self.phase, let context, context.channel.isActive else { return }
        timer = nil
        switch phase {
        case .readingHead, .readingBody:
            logger.notice("closing a connection whose client was too slow", metadata: [
                "phase": "\(phase == .readingHead ? "request head" : "request body")",
                "remote": "\(context.channel.remoteAddress?.description ?? "unknown")",
            ])
            if !answerStarted {
                // Straight to the socket: this handler is first in the pipeline.
                let answer = "HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"
                context.writeAndFlush(NIOAny(context.channel.allocator.buffer(string: answer)), promise: nil)
            }
            context.close(promise: nil)
        case .idle:
            context.close(promise: nil)
        case .answering:
            break
        }
    }
}

/// Behind the HTTP decoder: tells `ConnectionDeadlines` where requests and responses begin and end.
final class RequestBoundaries: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private var deadlines: ConnectionDeadlines?

    func handlerAdded(context: ChannelHandlerContext) {
        deadlines = try? context.pipeline.syncOperations.handler(type: ConnectionDeadlines.self)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head: deadlines?.requestHeadReceived()
        case .body: break
        case .end: deadlines?.requestEnded()
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head: deadlines?.responseStarted()
        case .body: break
        case .end: deadlines?.responseEnded()
        }
        context.write(data, promise: promise)
    }
}
