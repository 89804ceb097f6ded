/// The checksums and code lists the rules use.
enum Identifiers {
    /// The Luhn checksum INSEE numbers pass (SIREN, SIRET). La Poste's establishments (SIREN 356000000)
    /// use another rule: the sum of the digits is a multiple of 5.
    static func siretChecksumPasses(_ siret: String) -> Bool {
        let digits = siret.compactMap(\.wholeNumberValue)
        guard digits.count == siret.count, !digits.isEmpty else { return false }
        if siret.hasPrefix("356000000") { return digits.reduce(0, +) % 5 == 0 }
        var sum = 0
        for (index, digit) in digits.reversed().enumerated() {
            var value = digit
            if index % 2 == 1 {
                value *= 2
                if value > 9 { value -= 9 }
            }
            sum += value
        }
        return sum % 10 == 0
    }

    /// ISO 13616: two letters, two check digits, up to 30 alphanumerics; the number mod 97 is 1.
    static func ibanPasses(_ raw: String) -> Bool {
        let iban = raw.replacingASCII(" ", with: "").uppercased()
        guard (15...34).contains(iban.count), iban.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }),
            iban.prefix(2).allSatisfy(\.isLetter), iban.dropFirst(2).prefix(2).allSatisfy(\.isNumber)
        else { return false }
        var remainder = 0
        // Every character is now an ASCII digit or capital letter: read bytes (A = 10 … Z = 35, two digits).
        let bytes = Array(iban.utf8)
        for byte in bytes[4...] + bytes[..<4] {
            let value = byte <= UInt8(ascii: "9") ? Int(byte - UInt8(ascii: "0")) : Int(byte) - 55
            remainder = (remainder * (value < 10 ? 10 : 100) + value) % 97
        }
        return remainder == 1
    }

    /// Whether `text` is a real calendar day written `YYYY-MM-DD`.
    static func isDay(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
            (1900...2999).contains(year), (1...12).contains(month), day >= 1
        else { return false }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return day <= lengths[month - 1]
    }

    /// ISO 4217 active currency codes (the list `recupererDevises` draws from).
    static let currencies: Set<String> = Set(
        """
        AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD CAD CDF \
        CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD \
        HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD \
        MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN \
        PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY \
        TTD TWD TZS UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XOF XPF YER ZAR ZMW ZWL
        """.split(separator: " ").map(String.init))

    /// The attachment extensions Chorus Pro accepts (upper case, without the dot).
    static let attachmentExtensions: Set<String> = [
        "BMP", "GIF", "FAX", "ODT", "PPT", "TIFF", "XLS", "BZ2", "GZ", "JPEG", "P7S", "RTF", "TXT", "XML", "CSV",
        "GZIP", "JPG", "PDF", "SVG", "XHTML", "XLSX", "DOC", "HTM", "ODP", "PNG", "TGZ", "XLC", "ZIP", "DOCX", "HTML",
        "ODS", "PPS", "TIF", "XLM", "PPTX", "XSD", "XSL",
    ]
}
