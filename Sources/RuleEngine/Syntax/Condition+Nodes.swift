extension Condition {
    /// This condition and every condition inside it, outermost first.
    var allNodes: [Condition] {
        switch self {
        case .and(let xs), .or(let xs): [self] + xs.flatMap(\.allNodes)
        case .not(let x, _), .keyPerson(_, let x, _), .holds(_, let x, _): [self] + x.allNodes
        default: [self]
        }
    }

    /// The lists of every `listed L` inside, in written order.
    var listsRead: [Ident] {
        allNodes.compactMap { if case .listed(let l, _, _, _) = $0 { l } else { nil } }
    }
}
