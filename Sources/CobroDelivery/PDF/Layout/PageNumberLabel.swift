/// The localisable "Page 2 of 3" label: a template where `{page}` and `{pages}` are replaced by the page number
/// and the page count, e.g. `Página {page} de {pages}`, `Page {page} sur {pages}`, `Página {page} de {pages}`.
public struct PageNumberLabel: Sendable, Hashable {
    public var template: String

    public init(_ template: String) {
        self.template = template
    }

    public static let english = PageNumberLabel("Page {page} of {pages}")

    /// The label for page `page` of `pages`.
    public func text(page: Int, of pages: Int) -> String {
        template.replacing("{pages}", with: String(pages)).replacing("{page}", with: String(page))
    }
}
