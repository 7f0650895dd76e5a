import CreditOperations
import CreditRegistry
import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTPTypes

/// One connection's part of ``MeasuresFastPath``, in the HTTP pipeline after decoding and before
/// Hummingbird's request handling. Answers keep the requests' order: while a look-up is answered
/// here, later requests wait; a look-up arriving while the router still answers an earlier
/// request waits for that answer's end. A graceful shutdown's quiesce event waits for the
/// look-up in flight.
final class MeasuresFastPathHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private struct InFlight {
        var serial: UInt64
        var lookup: MeasuresFastPath.Lookup
        var started: ContinuousClock.Instant
        var startedNanos: UInt64
        var deadline: UInt64
        var caller: Caller?
    }
    private enum Reading { case none, router, fast(MeasuresFastPath.Lookup, ContinuousClock.Instant, UInt64) }

    private let path: MeasuresFastPath
    private var reading = Reading.none
    private var inFlight: InFlight?
    /// Requests passed to the router whose answer has not ended.
    private var routerOpen = 0
    private var queued = CircularBuffer<HTTPRequestPart>()
    private var readHeld = false
    private var quiescing = false
    private var quiesceHeld = false
    private var serial: UInt64 = 0

    init(path: MeasuresFastPath) { self.path = path }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        if inFlight != nil || !queued.isEmpty || !process(context, part) { queued.append(part) }
    }

    func read(context: ChannelHandlerContext) {
        if inFlight != nil || !queued.isEmpty { readHeld = true } else { context.read() }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        context.write(data, promise: promise)
        if case .end = unwrapOutboundIn(data), routerOpen > 0 {
            routerOpen -= 1
            if routerOpen == 0 { drain(context) }
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent {
            quiescing = true
            if inFlight != nil || !queued.isEmpty { quiesceHeld = true; return }
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelInactive(context: ChannelHandlerContext) {
        forget()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) { forget() }

    /// Handles `part` now; false when it must wait (a look-up behind a router's answer).
    private func process(_ context: ChannelHandlerContext, _ part: HTTPRequestPart) -> Bool {
        switch part {
        case .head(let head):
            if !quiescing, let lookup = path.recognise(head) {
                if routerOpen > 0 { return false }
                reading = .fast(lookup, .now, DispatchTime.now().uptimeNanoseconds)
            } else {
                reading = .router
                routerOpen += 1
                context.fireChannelRead(wrapInboundOut(part))
            }
        case .body:
            if case .router = reading { context.fireChannelRead(wrapInboundOut(part)) }
        case .end:
            switch reading {
            case .router: context.fireChannelRead(wrapInboundOut(part))
            case .fast(let lookup, let started, let nanos): start(context, lookup, started: started, startedNanos: nanos)
            case .none: break
            }
            reading = .none
        }
        return true
    }

    private func start(_ context: ChannelHandlerContext, _ lookup: MeasuresFastPath.Lookup, started: ContinuousClock.Instant, startedNanos: UInt64) {
        serial += 1
        let serial = self.serial
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        let loop = context.eventLoop
        let deadline = RequestDeadlines.shared.add(path.requestTimeout) {
            loop.execute { bound.value.0.timedOut(bound.value.1, serial) }
        }
        inFlight = InFlight(serial: serial, lookup: lookup, started: started, startedNanos: startedNanos, deadline: deadline)
        let cached = path.start(lookup) { caller, result in
            if loop.inEventLoop {
                bound.value.0.finish(bound.value.1, serial, caller, result)
            } else {
                loop.execute { bound.value.0.finish(bound.value.1, serial, caller, result) }
            }
        }
        if inFlight?.serial == serial { inFlight?.caller = cached }   // for a timeout's log line
    }

    private func timedOut(_ context: ChannelHandlerContext, _ serial: UInt64) {
        guard let current = inFlight, current.serial == serial else { return }
        let problem = Problem.timeout(path: current.lookup.rawPath, limit: path.requestTimeout)
        finish(context, serial, current.caller, .failure(problem))
    }

    private func finish(_ context: ChannelHandlerContext, _ serial: UInt64, _ caller: Caller?, _ result: Result<LookupBatcher.Answer, any Error>) {
        guard let current = inFlight, current.serial == serial else { return }   // answered already (timed out)
        inFlight = nil
        RequestDeadlines.shared.remove(current.deadline)
        let (head, body, failure) = path.response(current.lookup, result)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(body)), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        path.record(current.lookup, status: Int(head.status.code), caller: caller ?? current.caller, started: current.started,
                    startedNanos: current.startedNanos, error: failure)
        drain(context)
    }

    /// Handles the requests that waited, until one must wait again.
    private func drain(_ context: ChannelHandlerContext) {
        // Taken off before it is handled: a look-up answered at once drains again from inside.
        var handled = false
        while inFlight == nil, let part = queued.popFirst() {
            if !process(context, part) { queued.prepend(part); break }
            handled = true
        }
        // The async bridge delivers what it was given at the end of a read.
        if handled { context.fireChannelReadComplete() }
        guard inFlight == nil, queued.isEmpty else { return }
        if quiesceHeld { quiesceHeld = false; context.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent()) }
        if readHeld { readHeld = false; context.read() }
    }

    private func forget() {
        if let current = inFlight { RequestDeadlines.shared.remove(current.deadline) }
        inFlight = nil
        queued.removeAll()
    }
}
