import Foundation

/// Earlier versions kept the state in one JSON file (rewritten whole at each change, each file in base64
/// inside its invoice or attachment). Such a file is converted when the simulator opens it: the SQLite
/// database is built beside it, the JSON is kept as `FILE.json-v1`, then the database takes the file's
/// name in one rename, so an interrupted conversion leaves the JSON file as it was.
extension StateDatabase {
    /// Whether `path` holds a SQLite database (its 16-byte header) or nothing yet (an empty file, as
    /// `mktemp` makes), rather than a JSON state.
    static func isDatabase(_ path: String) throws -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw CocoaError(.fileReadNoPermission, userInfo: [NSFilePathErrorKey: path])
        }
        defer { try? handle.close() }
        let header = try handle.read(upToCount: 16) ?? Data()
        return header.isEmpty || header == Data("SQLite format 3\0".utf8)
    }

    /// Converts the JSON state file at `path` into a database at the same path.
    static func convertLegacy(at path: String) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        var state = try legacyState(from: data)
        let building = path + ".converting"
        for leftover in [building, building + "-journal"] { try? FileManager.default.removeItem(atPath: leftover) }
        let database = try StateDatabase(path: building, journal: false)
        try database.save(state, full: true)
        try database.close()
        state.files.commit(dropSaved: true)
        let backup = path + ".json-v1"
        try? FileManager.default.removeItem(atPath: backup)
        try FileManager.default.copyItem(atPath: path, toPath: backup)
        guard rename(building, path) == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
    }

    /// The state of a JSON state file, each base64 content moved into the state's files.
    static func legacyState(from data: Data) throws -> SimulatorState {
        struct LegacyInvoice: Decodable { var fileBase64: String? }
        struct LegacyFlux: Decodable { var pendingInvoices: [LegacyInvoice] }
        struct LegacyAttachment: Decodable { var base64: String? }
        struct LegacyFiles: Decodable {
            var flux: [String: LegacyFlux]
            var invoices: [Int64: LegacyInvoice]
            var attachments: [Int64: LegacyAttachment]
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        var state = try decoder.decode(SimulatorState.self, from: data)
        let legacy = try decoder.decode(LegacyFiles.self, from: data)
        func bytes(_ base64: String?) -> [UInt8]? {
            base64.flatMap { Data(base64Encoded: $0, options: .ignoreUnknownCharacters) }.map { [UInt8]($0) }
        }
        for (number, flux) in legacy.flux {
            for (index, invoice) in flux.pendingInvoices.enumerated() {
                guard let content = bytes(invoice.fileBase64),
                    state.flux[number]?.pendingInvoices.indices.contains(index) == true
                else { continue }
                state.flux[number]?.pendingInvoices[index].file = state.files.put(
                    content, key: "flux/\(number)/\(index)")
            }
        }
        for (id, invoice) in legacy.invoices {
            guard let content = bytes(invoice.fileBase64), state.invoices[id] != nil else { continue }
            state.invoices[id]?.file = state.files.put(content, key: "invoice/\(id)")
        }
        for (id, attachment) in legacy.attachments {
            guard let content = bytes(attachment.base64), state.attachments[id] != nil else { continue }
            state.attachments[id]?.file = state.files.put(content, key: "attachment/\(id)")
        }
        return state
    }
}
