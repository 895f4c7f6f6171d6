import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Parses markup with XMLParser and records what the tests look for:
/// well-formedness, elements with their attributes, and text content
/// (the SVG charts and the report page).
public final class XMLCheck: NSObject, XMLParserDelegate {
    public struct Element {
        public let name: String
        public let attributes: [String: String]
    }

    public private(set) var elements: [Element] = []
    public private(set) var texts: [String] = []
    private var currentText = ""
    public private(set) var parseError: String?

    public init(_ markup: String) {
        let parser = XMLParser(data: Data(markup.utf8))
        super.init()
        parser.delegate = self
        if !parser.parse() { parseError = parser.parserError.map { "\($0)" } ?? "unknown error" }
    }

    public var isWellFormed: Bool { parseError == nil }

    public func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName: String?, attributes: [String: String] = [:]) {
        elements.append(Element(name: elementName, attributes: attributes))
        currentText = ""
    }

    public func parser(_ parser: XMLParser, foundCharacters string: String) { currentText += string }

    public func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        if !currentText.isEmpty { texts.append(currentText) }
        currentText = ""
    }

    public func named(_ name: String) -> [Element] { elements.filter { $0.name == name } }

    public func withClass(_ name: String) -> [Element] { elements.filter { $0.attributes["class"] == name } }
}
