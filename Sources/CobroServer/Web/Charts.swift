/// Server-rendered SVG charts (UI guide: a title, axis units, an `aria-label`, the same bucket colours as the
/// pills). Every text put into the SVG goes through `xmlEscape`; pages insert the result unescaped.
enum Charts {
    static let bucketClasses = ["current", "d30", "d60", "d90", "d90plus"]

    /// Horizontal bars, one per aging bucket, each labelled with its amount.
    static func agingBars(title: String, labels: [String], amounts: [Int64], amountText: (Int64) -> String) -> String {
        let width = 640, barHeight = 26, gap = 10, left = 110, right = 150
        let height = labels.count * (barHeight + gap) + 10
        let maxValue = max(amounts.map { max($0, 0) }.max() ?? 0, 1)
        var svg = """
            <svg class="chart" role="img" aria-label="\(xmlEscape(title))" viewBox="0 0 \(width) \(height)" xmlns="http://www.w3.org/2000/svg"><title>\(xmlEscape(title))</title>
            """
        for (i, label) in labels.enumerated() {
            let v = i < amounts.count ? max(amounts[i], 0) : 0
            let y = 5 + i * (barHeight + gap)
            let w = Int(Double(width - left - right) * Double(v) / Double(maxValue))
            let cls = bucketClasses[min(i, bucketClasses.count - 1)]
            svg += """
                <text x="\(left - 8)" y="\(y + 18)" text-anchor="end" class="axis">\(xmlEscape(label))</text>\
                <rect x="\(left)" y="\(y)" width="\(max(w, 1))" height="\(barHeight)" class="bar \(cls)"/>\
                <text x="\(left + w + 6)" y="\(y + 18)" class="value">\(xmlEscape(amountText(v)))</text>
                """
        }
        return svg + "</svg>"
    }

    /// A line over labelled points (e.g. DSO per month end), with the values written at the points and an
    /// optional dashed target line.
    static func line(title: String, unit: String, points: [(label: String, value: Double?)], target: Double? = nil, valueText: (Double) -> String) -> String {
        let width = 640, height = 220, left = 50, right = 20, top = 20, bottom = 40
        let values = points.compactMap(\.value) + (target.map { [$0] } ?? [])
        let top0 = max((values.max() ?? 1) * 1.15, 1)
        let plotW = Double(width - left - right), plotH = Double(height - top - bottom)
        func x(_ i: Int) -> Double { Double(left) + (points.count < 2 ? plotW / 2 : plotW * Double(i) / Double(points.count - 1)) }
        func y(_ v: Double) -> Double { Double(top) + plotH * (1 - v / top0) }
        var svg = """
            <svg class="chart" role="img" aria-label="\(xmlEscape(title))" viewBox="0 0 \(width) \(height)" xmlns="http://www.w3.org/2000/svg"><title>\(xmlEscape(title))</title>\
            <line x1="\(left)" y1="\(height - bottom)" x2="\(width - right)" y2="\(height - bottom)" class="grid"/>\
            <text x="4" y="\(top + 4)" class="axis">\(xmlEscape(unit))</text>
            """
        if let target {
            svg += "<line x1=\"\(left)\" y1=\"\(fmt(y(target)))\" x2=\"\(width - right)\" y2=\"\(fmt(y(target)))\" class=\"target\"/>"
        }
        var path = ""
        for (i, p) in points.enumerated() {
            svg += "<text x=\"\(fmt(x(i)))\" y=\"\(height - bottom + 18)\" text-anchor=\"middle\" class=\"axis\">\(xmlEscape(p.label))</text>"
            guard let v = p.value else { continue }
            path += (path.isEmpty ? "M" : " L") + "\(fmt(x(i))) \(fmt(y(v)))"
            svg += "<circle cx=\"\(fmt(x(i)))\" cy=\"\(fmt(y(v)))\" r=\"3\" class=\"point\"/>"
            svg += "<text x=\"\(fmt(x(i)))\" y=\"\(fmt(y(v) - 8))\" text-anchor=\"middle\" class=\"value\">\(xmlEscape(valueText(v)))</text>"
        }
        if !path.isEmpty { svg += "<path d=\"\(path)\" class=\"line\"/>" }
        return svg + "</svg>"
    }

    private static func fmt(_ v: Double) -> String { String(Int(v.rounded())) }

    /// A bullet bar: progress towards a goal (100% marked), capped at 150% wide.
    static func bullet(title: String, percent: Int) -> String {
        let width = 300, height = 18
        let shown = min(max(percent, 0), 150)
        let full = width * 100 / 150
        return """
            <svg class="chart bullet" role="img" aria-label="\(xmlEscape(title))" viewBox="0 0 \(width) \(height)" xmlns="http://www.w3.org/2000/svg"><title>\(xmlEscape(title))</title>\
            <rect x="0" y="4" width="\(width)" height="10" class="track"/><rect x="0" y="4" width="\(width * shown / 150)" height="10" class="bar current"/>\
            <line x1="\(full)" y1="0" x2="\(full)" y2="\(height)" class="target"/></svg>
            """
    }
}
