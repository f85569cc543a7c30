/// `value` millimetres in points (1 pt = 1/72 inch, 1 inch = 25.4 mm).
func mm(_ value: Double) -> Double { PageSize.points(millimetres: value) }

/// A page's size in points; PDF user space has its origin at the bottom-left corner, y growing upwards.
public struct PageSize: Sendable, Hashable {
    public var width: Double
    public var height: Double

    public init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    /// ISO 216 A4, 210 × 297 mm = 595.28 × 841.89 pt (rounded to the two decimals the writer emits).
    public static let a4 = PageSize(width: 595.28, height: 841.89)

    /// `millimetres` in points (1 pt = 1/72 inch, 1 inch = 25.4 mm).
    public static func points(millimetres: Double) -> Double { millimetres * 72 / 25.4 }

    /// The y coordinate (from the bottom) of a line `millimetres` below the top edge: layouts are specified
    /// top-down, as DIN 5008 measures them.
    public func y(fromTopMillimetres millimetres: Double) -> Double { height - mm(millimetres) }
}
