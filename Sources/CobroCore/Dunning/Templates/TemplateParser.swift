/// Turns template text into nodes (the Mustache subset described on ``MessageTemplate``).
///
/// Works over Unicode scalars so that a tag's braces are found even next to combining marks; positions are
/// converted to line/column (in `Character`s) only where a node or an error needs one.
struct TemplateParser {
    private let s: [Unicode.Scalar]
    /// Index of the first scalar of every line.
    private let lineStarts: [Int]

    init(_ source: String) {
        let scalars = Array(source.unicodeScalars)
        var starts = [0]
        for (i, u) in scalars.enumerated() where u == "\n" { starts.append(i + 1) }
        self.s = scalars
        self.lineStarts = starts
    }

    private enum Tag {
        case comment
        case variable(TemplatePath, escaped: Bool)
        case open(TemplatePath, inverted: Bool)
        case close(TemplatePath)

        /// Tags that produce no output may stand alone on a line; that whole line is then dropped.
        var mayStandAlone: Bool {
            if case .variable = self { return false }
            return true
        }
    }

    private struct Frame {
        var path: TemplatePath
        var inverted: Bool
        var position: TemplatePosition
        var nodes: [TemplateNode] = []

        /// The opening tag as written: `{{#invoices}}` or `{{^invoices}}`.
        var opening: String { "{{\(inverted ? "^" : "#")\(path)}}" }
    }

    func parse() throws(TemplateSyntaxError) -> [TemplateNode] {
        var root: [TemplateNode] = []
        var frames: [Frame] = []
        func append(_ node: TemplateNode) {
            if frames.isEmpty { TemplateParser.append(node, to: &root) } else { TemplateParser.append(node, to: &frames[frames.count - 1].nodes) }
        }
        var textStart = 0
        var i = 0
        while i + 1 < s.count {
            guard s[i] == "{", s[i + 1] == "{" else {
                i += 1
                continue
            }
            let tagStart = i
            let (tag, tagEnd) = try scanTag(at: tagStart)
            var textEnd = tagStart
            var resume = tagEnd
            if tag.mayStandAlone, let line = standaloneLine(tagStart: tagStart, tagEnd: tagEnd, textStart: textStart) {
                textEnd = line.start
                resume = line.next
            }
            append(.text(text(textStart..<textEnd)))
            textStart = resume
            i = resume

            let position = self.position(of: tagStart)
            switch tag {
            case .comment:
                break
            case .variable(let path, let escaped):
                append(.variable(.init(path: path, escaped: escaped, position: position)))
            case .open(let path, let inverted):
                frames.append(Frame(path: path, inverted: inverted, position: position))
            case .close(let path):
                guard let open = frames.popLast() else {
                    throw TemplateSyntaxError(.unexpectedClose, at: position, "found '{{/\(path)}}' but no section is open")
                }
                guard open.path == path else {
                    throw TemplateSyntaxError(
                        .mismatchedSection, at: position,
                        "expected '{{/\(open.path)}}' to close the section '\(open.opening)' opened at \(open.position), found '{{/\(path)}}'")
                }
                append(.section(.init(path: open.path, inverted: open.inverted, children: open.nodes, position: open.position)))
            }
        }
        append(.text(text(textStart..<s.count)))
        if let open = frames.last {
            throw TemplateSyntaxError(
                .unclosedSection, at: open.position,
                "unclosed section: expected '{{/\(open.path)}}' to close '\(open.opening)' before the end of the template")
        }
        return root
    }

    // MARK: - Tags

    /// Reads the tag whose `{{` is at `start`; returns it and the index just past its closing braces.
    private func scanTag(at start: Int) throws(TemplateSyntaxError) -> (Tag, Int) {
        let position = self.position(of: start)
        if start + 2 < s.count, s[start + 2] == "{" {
            guard let close = find("}}", from: start + 3, sameLine: true) else {
                throw TemplateSyntaxError(.unclosedTag, at: position, "unclosed tag: expected '}}}' to close '{{{' on the same line")
            }
            guard close + 2 < s.count, s[close + 2] == "}" else {
                throw TemplateSyntaxError(.unclosedTag, at: position, "unclosed tag: expected '}}}' to close '{{{', found '}}'")
            }
            let name = trimmed(start + 3..<close)
            return (.variable(try path(name, after: "{{{", at: position), escaped: false), close + 3)
        }
        let isComment = firstNonBlank(from: start + 2) == "!"
        guard let close = find("}}", from: start + 2, sameLine: !isComment) else {
            let what = isComment ? "the comment '{{!'" : "'{{' on the same line"
            throw TemplateSyntaxError(.unclosedTag, at: position, "unclosed tag: expected '}}' to close \(what)")
        }
        let content = trimmed(start + 2..<close)
        let end = close + 2
        guard let sigil = content.first else {
            throw TemplateSyntaxError(.invalidName, at: position, "expected a variable name between '{{' and '}}'")
        }
        let rest = String(content.dropFirst()).trimmingBlanks()
        switch sigil {
        case "!": return (.comment, end)
        case "#": return (.open(try path(rest, after: "{{#", at: position), inverted: false), end)
        case "^": return (.open(try path(rest, after: "{{^", at: position), inverted: true), end)
        case "/": return (.close(try path(rest, after: "{{/", at: position)), end)
        case "&": return (.variable(try path(rest, after: "{{&", at: position), escaped: false), end)
        case ">":
            throw TemplateSyntaxError(.unsupportedTag, at: position, "partials ('{{>') are not supported; write the text into the template")
        case "=":
            throw TemplateSyntaxError(.unsupportedTag, at: position, "changing delimiters ('{{=') is not supported; tags always use '{{' and '}}'")
        default: return (.variable(try path(content, after: "{{", at: position), escaped: true), end)
        }
    }

    private func path(_ name: String, after opener: String, at position: TemplatePosition) throws(TemplateSyntaxError) -> TemplatePath {
        if name.isEmpty {
            throw TemplateSyntaxError(.invalidName, at: position, "expected a variable name after '\(opener)'")
        }
        guard let path = TemplatePath(dotted: name) else {
            throw TemplateSyntaxError(
                .invalidName, at: position,
                "'\(name)' is not a variable name: expected letters, digits and '_' in parts separated by '.' (e.g. customer.name)")
        }
        return path
    }

    /// The whole line around a tag if the tag is alone on it (only spaces or tabs beside it): where the line
    /// starts and where the next line starts (or the end of the template).
    private func standaloneLine(tagStart: Int, tagEnd: Int, textStart: Int) -> (start: Int, next: Int)? {
        var k = tagStart
        while k > textStart, isBlank(s[k - 1]) { k -= 1 }
        guard k == 0 || (k >= textStart && s[k - 1] == "\n") else { return nil }
        var j = tagEnd
        while j < s.count, isBlank(s[j]) { j += 1 }
        if j == s.count { return (k, j) }
        if s[j] == "\n" { return (k, j + 1) }
        if s[j] == "\r", j + 1 < s.count, s[j + 1] == "\n" { return (k, j + 2) }
        return nil
    }

    // MARK: - Scalars

    private func find(_ needle: String, from start: Int, sameLine: Bool) -> Int? {
        let n = Array(needle.unicodeScalars)
        var i = start
        while i + n.count <= s.count {
            if sameLine, s[i] == "\n" { return nil }
            if s[i..<(i + n.count)].elementsEqual(n) { return i }
            i += 1
        }
        return nil
    }

    private func firstNonBlank(from start: Int) -> Unicode.Scalar? {
        var i = start
        while i < s.count, isBlank(s[i]) { i += 1 }
        return i < s.count ? s[i] : nil
    }

    private func isBlank(_ u: Unicode.Scalar) -> Bool { u == " " || u == "\t" }

    private func text(_ range: Range<Int>) -> String {
        var v = String.UnicodeScalarView()
        v.append(contentsOf: s[range])
        return String(v)
    }

    private func trimmed(_ range: Range<Int>) -> String { text(range).trimmingBlanks() }

    func position(of index: Int) -> TemplatePosition {
        // Last line start ≤ index (binary search).
        var lo = 0
        var hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= index { lo = mid } else { hi = mid - 1 }
        }
        return TemplatePosition(line: lo + 1, column: text(lineStarts[lo]..<index).count + 1)
    }

    /// Adds a node, merging adjacent text and dropping empty text.
    private static func append(_ node: TemplateNode, to nodes: inout [TemplateNode]) {
        if case .text(let t) = node {
            if t.isEmpty { return }
            if case .text(let previous)? = nodes.last {
                nodes[nodes.count - 1] = .text(previous + t)
                return
            }
        }
        nodes.append(node)
    }
}

extension String {
    /// Without leading and trailing spaces and tabs.
    func trimmingBlanks() -> String {
        let u = unicodeScalars
        guard let first = u.firstIndex(where: { $0 != " " && $0 != "\t" }),
            let last = u.lastIndex(where: { $0 != " " && $0 != "\t" })
        else { return "" }
        return String(u[first...last])
    }
}
