import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Parses markup with XMLParser and records what the tests look for:
/// well-formedness, elements with their attributes, and text content.
final class XMLCheck: NSObject, XMLParserDelegate {
    struct Element {
        let name: String
        let attributes: [String: String]
    }

    private(set) var elements: [Element] = []
    private(set) var texts: [String] = []
    private var currentText = ""
    private(set) var parseError: String?

    init(_ markup: String) {
        let parser = XMLParser(data: Data(markup.utf8))
        super.init()
        parser.delegate = self
        if !parser.parse() { parseError = parser.parserError.map { "\($0)" } ?? "unknown error" }
    }

    var isWellFormed: Bool { parseError == nil }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName: String?, attributes: [String: String] = [:]) {
        elements.append(Element(name: elementName, attributes: attributes))
        currentText = ""
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { currentText += string }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        if !currentText.isEmpty { texts.append(currentText) }
        currentText = ""
    }

    func named(_ name: String) -> [Element] { elements.filter { $0.name == name } }

    func withClass(_ name: String) -> [Element] { elements.filter { $0.attributes["class"] == name } }
}
