import ChorusAPI
import Foundation

/// Hand-made hostile archives, the shapes attackers send (shared by the reader's and the simulator's tests).
public enum HostileArchives {
    /// A one-file ustar archive whose header declares `sizeField` (written as is, e.g. `-0000000777`)
    /// with entry type `type` (`0` a file, `5` a directory), with a valid header checksum.
    public static func tar(name: String = "facture.xml", sizeField: String, type: UInt8 = UInt8(ascii: "0")) -> [UInt8] {
        var header = [UInt8](repeating: 0, count: 512)
        func put(_ text: String, at offset: Int) {
            for (index, byte) in text.utf8.enumerated() { header[offset + index] = byte }
        }
        put(name, at: 0)
        put("0000644", at: 100)
        put("0000000", at: 108)
        put("0000000", at: 116)
        put(sizeField, at: 124)
        put("00000000000", at: 136)
        header[156] = type
        put("ustar", at: 257)
        put("00", at: 263)
        // The checksum is computed with its own field as spaces.
        for index in 148..<156 { header[index] = 0x20 }
        let sum = header.reduce(0) { $0 + Int($1) }
        put(String(format: "%06o", sum), at: 148)
        header[154] = 0
        header[155] = 0x20
        return header + [UInt8](repeating: 0x41, count: 512) + [UInt8](repeating: 0, count: 1024)
    }

    /// A ZIP whose central directory lists its one stored entry (`entryBytes` bytes) `copies` times: every
    /// listed entry overlaps the same data, so a few bytes claim `copies × entryBytes`.
    public static func overlappingZip(entryBytes: Int, copies: Int) -> [UInt8] {
        let single = InvoiceArchive.zip([.init(name: "facture.xml", bytes: [UInt8](repeating: 0x20, count: entryBytes))])!
        // End of central directory: the last 22 bytes (no comment).
        let end = single.count - 22
        let centralSize = Int(le32(single, end + 12))
        let centralOffset = Int(le32(single, end + 16))
        let record = Array(single[centralOffset..<centralOffset + centralSize])
        var output = Array(single[0..<centralOffset])
        for _ in 0..<copies { output += record }
        let count = UInt16(min(copies, 0xFFFF))
        output += [0x50, 0x4B, 0x05, 0x06, 0, 0, 0, 0] + bytes16(count) + bytes16(count)
        output += bytes32(UInt32(record.count * copies)) + bytes32(UInt32(centralOffset)) + [0, 0]
        return output
    }

    private static func le32(_ bytes: [UInt8], _ at: Int) -> UInt32 {
        (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[at + $1]) << (8 * UInt32($1)) }
    }
    private static func bytes16(_ value: UInt16) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8)] }
    private static func bytes32(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8((value >> (8 * $0)) & 0xFF) } }
}
