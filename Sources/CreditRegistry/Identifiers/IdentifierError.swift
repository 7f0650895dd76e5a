/// Why a text is not a valid identifier: what is wrong and where.
///
/// Positions are 1-based and count normalised characters (spaces and hyphens removed).
/// Messages never repeat the whole identifier, so they can be logged without exposing a
/// resident ID number.
///
/// ```swift
/// do { _ = try CreditCode(validating: "91350100M000100Y4Z") }
/// catch { print(error) }
/// // USCC: character 'Z' at position 18 not allowed (expected a digit or a capital letter other than I, O, S, V, Z)
/// ```
public struct IdentifierError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The scheme the text was checked against; nil when it fits none (see ``IdentifierDetector``).
    public var scheme: IdentifierScheme?
    public var reason: Reason

    public init(scheme: IdentifierScheme?, reason: Reason) {
        self.scheme = scheme
        self.reason = reason
    }

    /// The characters a position accepts.
    public enum CharacterClass: String, Sendable, Hashable {
        /// 0-9.
        case digit
        /// 0-9 or X (a GB 11714 or GB 11643 check character).
        case digitOrX
        /// The 31 GB 32100 symbols: 0-9 and A-Z without I, O, S, V, Z.
        case usccSymbol
        /// 0-9 and A-Z (a GB 11714 body character).
        case digitOrLetter

        public var description: String {
            switch self {
            case .digit: "a digit"
            case .digitOrX: "a digit or X"
            case .usccSymbol: "a digit or a capital letter other than I, O, S, V, Z"
            case .digitOrLetter: "a digit or a capital letter"
            }
        }
    }

    public enum Reason: Sendable, Hashable {
        /// Nothing left after removing spaces and hyphens.
        case empty
        /// The normalised text has `got` characters; the scheme wants one of `expected`.
        case wrongLength(got: Int, expected: [Int])
        /// A character the position does not accept.
        case characterNotAllowed(Character, position: Int, expected: CharacterClass)
        /// The check character does not match the computed one.
        case wrongCheckCharacter(found: Character, expected: Character, position: Int)
        /// USCC position 1 is not one of the 12 registration-authority codes.
        case unknownAuthority(Character)
        /// USCC position 2 is not a category of the authority.
        case categoryNotAllowed(category: Character, authority: RegistrationAuthority)
        /// The organisation code embedded in a USCC (positions 9-17) fails its GB 11714 check.
        case organizationCodeCheck(found: Character, expected: Character)
        /// The birth-date digits (`yyyyMMdd`, or `yyMMdd` in a 15-digit ID) are no calendar date.
        case birthDateNotADate(String)
        /// The birth date lies after today.
        case birthDateInFuture(Day)
    }

    /// A stable machine-readable code, e.g. `identifier.check`.
    public var code: String {
        switch reason {
        case .empty: "identifier.empty"
        case .wrongLength: "identifier.length"
        case .characterNotAllowed: "identifier.character"
        case .wrongCheckCharacter: "identifier.check"
        case .unknownAuthority: "identifier.authority"
        case .categoryNotAllowed: "identifier.category"
        case .organizationCodeCheck: "identifier.organizationCodeCheck"
        case .birthDateNotADate: "identifier.birthDate"
        case .birthDateInFuture: "identifier.birthDateInFuture"
        }
    }

    /// The 1-based position the error points at, when there is one.
    public var position: Int? {
        switch reason {
        case .empty, .wrongLength, .birthDateInFuture: nil
        case .characterNotAllowed(_, let p, _), .wrongCheckCharacter(_, _, let p): p
        case .unknownAuthority: 1
        case .categoryNotAllowed: 2
        case .organizationCodeCheck: 17
        case .birthDateNotADate: 7
        }
    }

    /// The message without the scheme name.
    public var message: String {
        switch reason {
        case .empty:
            return "empty input"
        case .wrongLength(let got, let expected):
            let list = expected.map(String.init)
            let exp = list.count <= 1 ? (list.first ?? "?")
                : list.dropLast().joined(separator: ", ") + " or " + (list.last ?? "")
            return "wrong length (got \(got), expected \(exp))"
        case .characterNotAllowed(let c, let p, let cls):
            return "character '\(Self.visible(c))' at position \(p) not allowed (expected \(cls.description))"
        case .wrongCheckCharacter(let found, let expected, let p):
            return "check character is \(found) but should be \(expected) (position \(p))"
        case .unknownAuthority(let c):
            return "unknown registration-authority code '\(c)' at position 1 (known: 1-9, A, N, Y)"
        case .categoryNotAllowed(let c, let a):
            let allowed = a.categories.map { String($0.code) }.joined(separator: ",")
            return "category '\(c)' not allowed under authority '\(a.code)' (\(a.name): allowed \(allowed)) at position 2"
        case .organizationCodeCheck(let found, let expected):
            return "organisation-code check character is \(found) but should be \(expected) (position 17, GB 11714)"
        case .birthDateNotADate(let digits):
            return "birth date \(digits) not a date"
        case .birthDateInFuture(let day):
            return "birth date \(day) in the future"
        }
    }

    public var description: String {
        guard let scheme else { return message }
        return "\(scheme.title): \(message)"
    }

    /// Control and blank characters are shown as their code point.
    private static func visible(_ c: Character) -> String {
        guard let s = c.unicodeScalars.first, c.unicodeScalars.count == 1 else { return String(c) }
        if s.properties.generalCategory == .control || s.properties.isWhitespace {
            return "U+" + String(s.value, radix: 16, uppercase: true)
        }
        return String(c)
    }
}
