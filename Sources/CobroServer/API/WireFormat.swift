/// The formats a report route answers in (`format=json|csv`).
enum WireFormat: String { case json, csv }
