/// Works out which scheme(s) a text can be, and whether it is valid in each.
///
/// The text is normalised first: full-width digits and letters, lower case, spaces (also
/// U+3000) and hyphens are accepted. Candidates by normalised length:
/// - 18: a USCC; also a resident ID when the first 17 characters are digits. An 18-digit
///   string can be both (hutool#1367: a resident ID that passes a USCC checksum), so both are
///   reported, each with its verdict;
/// - 15: a registration number and, when all digits, a 15-digit resident ID;
/// - 9: an organisation code;
/// - any other length: the scheme(s) of the nearest length, failing with a length error (a
///   17- or 19-character string of digits is reported as a resident ID first).
///
/// Candidates are ordered most plausible first: valid before invalid; among valid ones a USCC
/// before a resident ID unless the USCC's embedded organisation code fails its check, and a
/// registration number (which passed a check digit) before a 15-digit resident ID (which has
/// none); among invalid ones, the one that failed at the later stage (check character after
/// structure after characters after length).
///
/// ```swift
/// let c = IdentifierDetector.detect("362322198709086409")
/// c.map(\.scheme)    // [.residentID, .uscc]
/// c.map(\.isValid)   // [true, false]   (USCC: category '6' not allowed under authority '3')
/// ```
public enum IdentifierDetector {
    /// One reading of the text.
    public struct Candidate: Sendable, Hashable {
        public let scheme: IdentifierScheme
        public let result: Result<ParsedIdentifier, IdentifierError>

        public init(scheme: IdentifierScheme, result: Result<ParsedIdentifier, IdentifierError>) {
            self.scheme = scheme
            self.result = result
        }

        public var isValid: Bool { if case .success = result { true } else { false } }
        public var identifier: ParsedIdentifier? { try? result.get() }
        public var error: IdentifierError? { if case .failure(let e) = result { e } else { nil } }
        public var warnings: [IdentifierWarning] { identifier?.warnings ?? [] }
    }

    /// The candidates for `text`, most plausible first; empty when nothing is left after
    /// normalisation.
    public static func detect(_ text: String, options: CreditCode.Options = [], today: Day = .today()) -> [Candidate] {
        detect(normalized: NormalizedInput(text), options: options, today: today)
    }

    /// The candidates for a line of UTF-8 bytes, without creating a `String`.
    public static func detect(utf8: UnsafeBufferPointer<UInt8>, options: CreditCode.Options = [], today: Day = .today()) -> [Candidate] {
        detect(normalized: NormalizedInput(utf8: utf8), options: options, today: today)
    }

    static func detect(normalized n: NormalizedInput, options: CreditCode.Options, today: Day) -> [Candidate] {
        var out: [Candidate] = []
        out.reserveCapacity(2)
        candidates(n, options: options, today: today) { out.append($0) }
        return out
    }

    /// Calls `body` with each candidate, most plausible first (at most two; no array).
    static func candidates(_ n: NormalizedInput, options: CreditCode.Options, today: Day,
                           _ body: (Candidate) -> Void) {
        guard n.length > 0 else { return }
        var length = n.length
        if length != 18 && length != 15 && length != 9 {
            // nearest scheme length; ties go to the longer one
            length = [18, 15, 9].min { abs($0 - n.length) < abs($1 - n.length) } ?? 18
        }
        switch length {
        case 18:
            let uscc = Candidate(scheme: .uscc, result: Result { () throws(IdentifierError) in
                .creditCode(try CreditCode(normalized: n, options: options)) })
            // a resident ID too when all characters but an 18th are digits
            var digits = n.length <= PackedASCII.capacity
            if digits {
                for i in 0..<min(n.length, 17) where !Checksum.isDigit(n[i]) { digits = false; break }
            }
            guard digits else { body(uscc); return }
            let resident = Candidate(scheme: .residentID, result: Result { () throws(IdentifierError) in
                .residentID(try ResidentID(normalized: n, today: today)) })
            if residentFirst(uscc: uscc, resident: resident, n: n) { body(resident); body(uscc) } else { body(uscc); body(resident) }
        case 15:
            let reg = Candidate(scheme: .registrationNumber, result: Result { () throws(IdentifierError) in
                .registrationNumber(try RegistrationNumber(normalized: n)) })
            guard n.length == 15, n.isAllDigits else { body(reg); return }
            let resident = Candidate(scheme: .residentID15, result: Result { () throws(IdentifierError) in
                .residentID(try ResidentID(normalized: n, today: today)) })
            if rank(resident) > rank(reg) { body(resident); body(reg) } else { body(reg); body(resident) }
        default:
            body(Candidate(scheme: .organizationCode, result: Result { () throws(IdentifierError) in
                .organizationCode(try OrganizationCode(normalized: n)) }))
        }
    }

    private static func residentFirst(uscc: Candidate, resident: Candidate, n: NormalizedInput) -> Bool {
        switch (uscc.result, resident.result) {
        case (.success(let u), .success):
            if case .creditCode(let code) = u { return code.organizationCode == nil }
            return false
        case (.success, .failure): return false
        case (.failure, .success): return true
        case (.failure, .failure): return rank(resident) >= rank(uscc)
        }
    }

    /// How far a candidate got: higher is more plausible.
    static func rank(_ c: Candidate) -> Int {
        guard case .failure(let e) = c.result else { return 100 }
        switch e.reason {
        case .empty, .wrongLength: return 0
        case .characterNotAllowed: return 1
        case .unknownAuthority, .categoryNotAllowed, .birthDateNotADate: return 2
        case .wrongCheckCharacter, .birthDateInFuture: return 3
        case .organizationCodeCheck: return 4
        }
    }
}
