import CreditRegistry
import Foundation
import Hummingbird
import NIOCore
import NIOHTTPTypes

/// Open connections of one server, counted by its ``ConnectionGuard``s.
final class ConnectionCount: Sendable {
    private let count = LockedBox(0)
    /// Adds one; returns the count with it.
    func open() -> Int { count.withValue { $0 += 1; return $0 } }
    func close() { count.withValue { $0 -= 1 } }
}

/// Per connection, after HTTP decoding: closes a connection that does not deliver a complete
/// request head within the header timeout of opening (or within the keep-alive timeout of its
/// previous answer), or whose request's body stalls for the keep-alive (idle) timeout between
/// two parts, and answers a connection beyond the limit 503 with a problem document, then
/// closes it.
final class ConnectionGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let headerTimeout: TimeAmount
    private let keepAliveTimeout: TimeAmount
    private let maxConnections: Int
    private let connections: ConnectionCount
    private var deadline: Scheduled<Void>?
    private var counted = false
    private var overLimit = false

    init(headerTimeout: Duration, keepAliveTimeout: Duration, maxConnections: Int, connections: ConnectionCount) {
        self.headerTimeout = .init(headerTimeout)
        self.keepAliveTimeout = .init(keepAliveTimeout)
        self.maxConnections = maxConnections
        self.connections = connections
    }

    func handlerAdded(context: ChannelHandlerContext) {
        counted = true
        overLimit = connections.open() > maxConnections
        if context.channel.isActive { armDeadline(context, headerTimeout) }
    }

    func handlerRemoved(context: ChannelHandlerContext) { release() }

    func channelActive(context: ChannelHandlerContext) {
        armDeadline(context, headerTimeout)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        release()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        switch part {
        case .head(let head):
            deadline?.cancel(); deadline = nil
            if overLimit {
                refuse(context)
                return
            }
            // A body is awaited from here (a request without one ends in the same read).
            let fields = head.headerFields
            if fields[.transferEncoding] != nil || (fields[.contentLength].map { $0 != "0" } ?? false) {
                armDeadline(context, keepAliveTimeout)
            }
        case .body:
            armDeadline(context, keepAliveTimeout)
        case .end:
            deadline?.cancel(); deadline = nil       // the request timeout bounds the answer
        }
        if overLimit { return }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) { armDeadline(context, keepAliveTimeout) }   // the next head is awaited from here
        context.write(data, promise: promise)
    }

    private func armDeadline(_ context: ChannelHandlerContext, _ timeout: TimeAmount) {
        deadline?.cancel()
        let ctx = NIOLoopBound(context, eventLoop: context.eventLoop)
        deadline = context.eventLoop.scheduleTask(in: timeout) { ctx.value.close(promise: nil) }
    }

    private func refuse(_ context: ChannelHandlerContext) {
        let problem = Problem(.serviceUnavailable, code: "too_many_connections",
                              detail: "the server holds \(maxConnections) connections; retry shortly", headers: [.retryAfter: "1"])
        var fields = problem.headers
        fields[.contentType] = "application/problem+json; charset=utf-8"
        fields[.connection] = "close"
        let body = ByteBuffer(string: problem.body)
        fields[.contentLength] = "\(body.readableBytes)"
        context.write(wrapOutboundOut(.head(HTTPResponse(status: .serviceUnavailable, headerFields: fields))), promise: nil)
        context.write(wrapOutboundOut(.body(body)), promise: nil)
        let ctx = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in ctx.value.close(promise: nil) }
    }

    private func release() {
        deadline?.cancel(); deadline = nil
        if counted { counted = false; connections.close() }
    }
}

extension TimeAmount {
    init(_ duration: Duration) {
        let c = duration.components
        self = .nanoseconds(c.seconds * 1_000_000_000 + c.attoseconds / 1_000_000_000)
    }
}
