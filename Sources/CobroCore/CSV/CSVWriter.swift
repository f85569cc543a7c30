/// RFC 4180 CSV output.
public enum CSVWriter {
    public static func field(_ s: String) -> String {
        if s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + s.replacing("\"", with: "\"\"") + "\""
        }
        return s
    }
    public static func line(_ fields: [String]) -> String { fields.map(field).joined(separator: ",") + "\n" }
}
