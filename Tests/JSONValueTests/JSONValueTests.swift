@testable import JSONValue
