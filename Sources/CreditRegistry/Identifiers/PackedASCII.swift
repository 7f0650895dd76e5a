/// Up to 24 ASCII bytes held inline in three words: the storage of every identifier value,
/// so that parsing, hashing and comparing never touch the heap.
struct PackedASCII: Hashable, Sendable {
    static let capacity = 24
    private var w0: UInt64 = 0
    private var w1: UInt64 = 0
    private var w2: UInt64 = 0
    private(set) var count: Int = 0

    init() {}

    init(_ text: StaticString) {
        text.withUTF8Buffer { for b in $0 { append(b) } }
    }

    @inline(__always)
    subscript(i: Int) -> UInt8 {
        get {
            let shift = UInt64((i & 7) &<< 3)
            switch i &>> 3 {
            case 0: return UInt8(truncatingIfNeeded: w0 &>> shift)
            case 1: return UInt8(truncatingIfNeeded: w1 &>> shift)
            default: return UInt8(truncatingIfNeeded: w2 &>> shift)
            }
        }
        set {
            let shift = UInt64((i & 7) &<< 3)
            let mask = ~(UInt64(0xFF) &<< shift)
            let v = UInt64(newValue) &<< shift
            switch i &>> 3 {
            case 0: w0 = (w0 & mask) | v
            case 1: w1 = (w1 & mask) | v
            default: w2 = (w2 & mask) | v
            }
        }
    }

    /// Appends a byte; bytes beyond the capacity are dropped (callers track the full length).
    @inline(__always)
    mutating func append(_ b: UInt8) {
        guard count < PackedASCII.capacity else { return }
        self[count] = b
        count &+= 1
    }

    /// The bytes `range` (0-based) as a new value.
    func slice(_ range: Range<Int>) -> PackedASCII {
        var p = PackedASCII()
        for i in range { p.append(self[i]) }
        return p
    }

    var string: String {
        String(unsafeUninitializedCapacity: count) { buf in
            for i in 0..<count { buf[i] = self[i] }
            return count
        }
    }

    /// Byte-wise lexicographic order (the order of the strings).
    static func precedes(_ a: PackedASCII, _ b: PackedASCII) -> Bool {
        (a.w0.byteSwapped, a.w1.byteSwapped, a.w2.byteSwapped, a.count)
            < (b.w0.byteSwapped, b.w1.byteSwapped, b.w2.byteSwapped, b.count)
    }
}
