#!/usr/bin/env python3
"""Generates the sample invoices of this folder (standard library only; run from anywhere).

They are addressed to the simulator's seed structures (docs/simulator.md): supplier FOURNISSEUR ALPHA
(SIRET 98765432100015) invoicing the qualification-like recipients. Two are meant to be rejected.
Lots of several invoices come as archives, as production clients send them (.tar.gz, .zip).
The Factur-X PDF is a minimal one-page PDF with the CII XML embedded as `factur-x.xml`
(FlateDecode-compressed, as real Factur-X tools write it); it is not PDF/A-3 certified.
"""
import gzip
import io
import os
import tarfile
import zipfile
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
SUPPLIER = "98765432100015"
IBAN = "FR7630001007941234567890185"  # FOURNISSEUR ALPHA's account in the simulator's seed


def ubl(number, recipient, service=None, engagement=None, date="2026-11-02", ht="1000.00", tva="200.00",
        root="Invoice", supplier=SUPPLIER):
    ttc = f"{float(ht) + float(tva):.2f}"
    buyer_ref = f"\n  <cbc:BuyerReference>{service}</cbc:BuyerReference>" if service else ""
    order = f"\n  <cac:OrderReference><cbc:ID>{engagement}</cbc:ID></cac:OrderReference>" if engagement else ""
    type_code = "InvoiceTypeCode" if root == "Invoice" else "CreditNoteTypeCode"
    code = "380" if root == "Invoice" else "381"
    # A credit note carries no payment means (OCA/l10n-france refuses one on refunds sent to Chorus Pro).
    means = ("\n  <cac:PaymentMeans><cbc:PaymentMeansCode>30</cbc:PaymentMeansCode>"
             f"\n    <cac:PayeeFinancialAccount><cbc:ID>{IBAN}</cbc:ID></cac:PayeeFinancialAccount></cac:PaymentMeans>"
             if root == "Invoice" else "")
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<{root} xmlns="urn:oasis:names:specification:ubl:schema:xsd:{root}-2"
  xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
  xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
  <cbc:CustomizationID>urn:cen.eu:en16931:2017</cbc:CustomizationID>
  <cbc:ID>{number}</cbc:ID>
  <cbc:IssueDate>{date}</cbc:IssueDate>
  <cbc:{type_code}>{code}</cbc:{type_code}>
  <cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>{buyer_ref}{order}
  <cac:AccountingSupplierParty><cac:Party>
    <cac:PartyIdentification><cbc:ID schemeID="0009">{supplier}</cbc:ID></cac:PartyIdentification>
    <cac:PartyName><cbc:Name>FOURNISSEUR ALPHA</cbc:Name></cac:PartyName>
    <cac:PartyLegalEntity><cbc:RegistrationName>FOURNISSEUR ALPHA SAS</cbc:RegistrationName></cac:PartyLegalEntity>
  </cac:Party></cac:AccountingSupplierParty>
  <cac:AccountingCustomerParty><cac:Party>
    <cac:PartyIdentification><cbc:ID schemeID="0009">{recipient}</cbc:ID></cac:PartyIdentification>
    <cac:PartyLegalEntity><cbc:RegistrationName>DESTINATAIRE</cbc:RegistrationName></cac:PartyLegalEntity>
  </cac:Party></cac:AccountingCustomerParty>{means}
  <cac:TaxTotal><cbc:TaxAmount currencyID="EUR">{tva}</cbc:TaxAmount></cac:TaxTotal>
  <cac:LegalMonetaryTotal>
    <cbc:LineExtensionAmount currencyID="EUR">{ht}</cbc:LineExtensionAmount>
    <cbc:TaxExclusiveAmount currencyID="EUR">{ht}</cbc:TaxExclusiveAmount>
    <cbc:TaxInclusiveAmount currencyID="EUR">{ttc}</cbc:TaxInclusiveAmount>
    <cbc:PayableAmount currencyID="EUR">{ttc}</cbc:PayableAmount>
  </cac:LegalMonetaryTotal>
  <cac:InvoiceLine>
    <cbc:ID>1</cbc:ID>
    <cbc:InvoicedQuantity unitCode="C62">10</cbc:InvoicedQuantity>
    <cbc:LineExtensionAmount currencyID="EUR">{ht}</cbc:LineExtensionAmount>
    <cac:Item><cbc:Name>Prestation de conseil</cbc:Name>
      <cac:ClassifiedTaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>20</cbc:Percent>
        <cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:ClassifiedTaxCategory></cac:Item>
    <cac:Price><cbc:PriceAmount currencyID="EUR">{float(ht) / 10:.2f}</cbc:PriceAmount></cac:Price>
  </cac:InvoiceLine>
</{root}>
"""


def cii(number, recipient, service=None, engagement=None, date="20261103", ht="2500.00", tva="500.00",
        payment_means=True):
    ttc = f"{float(ht) + float(tva):.2f}"
    buyer_ref = f"\n      <ram:BuyerReference>{service}</ram:BuyerReference>" if service else ""
    order = (f"\n      <ram:BuyerOrderReferencedDocument><ram:IssuerAssignedID>{engagement}</ram:IssuerAssignedID>"
             "</ram:BuyerOrderReferencedDocument>") if engagement else ""
    means = ("\n      <ram:SpecifiedTradeSettlementPaymentMeans><ram:TypeCode>30</ram:TypeCode>"
             f"\n        <ram:PayeePartyCreditorFinancialAccount><ram:IBANID>{IBAN}</ram:IBANID>"
             "</ram:PayeePartyCreditorFinancialAccount>"
             "\n      </ram:SpecifiedTradeSettlementPaymentMeans>") if payment_means else ""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
  xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
  xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100">
  <rsm:ExchangedDocumentContext>
    <ram:GuidelineSpecifiedDocumentContextParameter><ram:ID>urn:cen.eu:en16931:2017</ram:ID>
    </ram:GuidelineSpecifiedDocumentContextParameter>
  </rsm:ExchangedDocumentContext>
  <rsm:ExchangedDocument>
    <ram:ID>{number}</ram:ID>
    <ram:TypeCode>380</ram:TypeCode>
    <ram:IssueDateTime><udt:DateTimeString format="102">{date}</udt:DateTimeString></ram:IssueDateTime>
  </rsm:ExchangedDocument>
  <rsm:SupplyChainTradeTransaction>
    <ram:IncludedSupplyChainTradeLineItem>
      <ram:AssociatedDocumentLineDocument><ram:LineID>1</ram:LineID></ram:AssociatedDocumentLineDocument>
      <ram:SpecifiedTradeProduct><ram:Name>Fournitures de bureau</ram:Name></ram:SpecifiedTradeProduct>
    </ram:IncludedSupplyChainTradeLineItem>
    <ram:ApplicableHeaderTradeAgreement>{buyer_ref}
      <ram:SellerTradeParty>
        <ram:Name>FOURNISSEUR ALPHA SAS</ram:Name>
        <ram:SpecifiedLegalOrganization><ram:ID schemeID="0009">{SUPPLIER}</ram:ID></ram:SpecifiedLegalOrganization>
      </ram:SellerTradeParty>
      <ram:BuyerTradeParty>
        <ram:Name>DESTINATAIRE</ram:Name>
        <ram:SpecifiedLegalOrganization><ram:ID schemeID="0009">{recipient}</ram:ID></ram:SpecifiedLegalOrganization>
      </ram:BuyerTradeParty>{order}
    </ram:ApplicableHeaderTradeAgreement>
    <ram:ApplicableHeaderTradeDelivery/>
    <ram:ApplicableHeaderTradeSettlement>
      <ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>{means}
      <ram:SpecifiedTradeSettlementHeaderMonetarySummation>
        <ram:LineTotalAmount>{ht}</ram:LineTotalAmount>
        <ram:TaxBasisTotalAmount>{ht}</ram:TaxBasisTotalAmount>
        <ram:TaxTotalAmount currencyID="EUR">{tva}</ram:TaxTotalAmount>
        <ram:GrandTotalAmount>{ttc}</ram:GrandTotalAmount>
        <ram:DuePayableAmount>{ttc}</ram:DuePayableAmount>
      </ram:SpecifiedTradeSettlementHeaderMonetarySummation>
    </ram:ApplicableHeaderTradeSettlement>
  </rsm:SupplyChainTradeTransaction>
</rsm:CrossIndustryInvoice>
"""


def facturx_pdf(xml, title, compress=True):
    """A one-page PDF showing `title`, with `xml` embedded as factur-x.xml (Factur-X's file name)."""
    data = xml.encode("utf-8")
    stream = zlib.compress(data) if compress else data
    filt = " /Filter /FlateDecode" if compress else ""
    text = f"BT /F1 14 Tf 72 770 Td ({title}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles << /Names [(factur-x.xml) 5 0 R] >> >>"
        b" /AF [5 0 R] >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 7 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(text) + text + b"\nendstream",
        b"<< /Type /Filespec /F (factur-x.xml) /UF (factur-x.xml) /AFRelationship /Data"
        b" /EF << /F 6 0 R /UF 6 0 R >> >>",
        b"<< /Type /EmbeddedFile /Subtype /text#2Fxml /Length %d%s /Params << /Size %d >> >>\nstream\n"
        % (len(stream), filt.encode(), len(data)) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def write(name, content):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(content if isinstance(content, bytes) else content.encode("utf-8"))


write("ubl-invoice.xml", ubl("FA-UBL-2026-0001", "12345678200051"))
write("ubl-credit-note.xml", ubl("AV-UBL-2026-0001", "12345678200051", ht="100.00", tva="20.00", root="CreditNote"))
write("cii-invoice.xml", cii("FA-CII-2026-0001", "12345678200028", service="SERVICE_DEST_SERV_OBL"))
write("facturx-invoice.pdf", facturx_pdf(
    cii("FA-FX-2026-0001", "12345678200044", service="SERVICE_DEST_SERV_EJ", engagement="EJ0000000044",
        ht="1250.00", tva="250.00"), "Facture FA-FX-2026-0001"))
write("facturx-uncompressed.pdf", facturx_pdf(
    cii("FA-FX-2026-0002", "12345678200036", engagement="147853", ht="80.00", tva="16.00"),
    "Facture FA-FX-2026-0002", compress=False))
# Rejected by the simulator, as Chorus Pro would reject them:
write("rejected-unknown-recipient.xml", ubl("FA-UBL-2026-0099", "99999999999999"))
write("rejected-missing-service.xml", cii("FA-CII-2026-0099", "12345678200028"))


def archive_tar_gz(members):
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        for name, content in members:
            data = content.encode("utf-8")
            info = tarfile.TarInfo(name)
            info.size = len(data)
            info.mtime = 1_700_000_000  # fixed, so regenerating gives the same bytes
            tar.addfile(info, io.BytesIO(data))
    return gzip.compress(buffer.getvalue(), mtime=0)


def archive_zip(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in members:
            archive.writestr(zipfile.ZipInfo(name, date_time=(2026, 11, 2, 0, 0, 0)), content,
                             compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


# A lot of two UBL invoices (both integrated), and a lot where one of two is rejected (IN_INTEGRE_PARTIEL).
write("lot-ubl.zip", archive_zip([
    ("FA-UBL-2026-0011.xml", ubl("FA-UBL-2026-0011", "12345678200051")),
    ("FA-UBL-2026-0012.xml", ubl("FA-UBL-2026-0012", "11000201100044", service="SFACETAT")),
]))
write("lot-partial.tar.gz", archive_tar_gz([
    ("FA-UBL-2026-0021.xml", ubl("FA-UBL-2026-0021", "12345678200051")),
    ("FA-UBL-2026-0022.xml", ubl("FA-UBL-2026-0022", "99999999999999")),
]))


# --- broken/: one invoice per rule of docs/check.md, named after the rule's id --------------------------
# Each breaks exactly what its rule reads (other rules may fire too: a service code with a bad character is
# also unknown to the recipient). broken/scenario.json adds the structures some of them need to the
# simulator's seed (an inactive recipient, an inactive service, a service requiring an engagement).
# Rules without a committed sample: file-too-large and attachment-too-large (over 10 Mo; the tests build
# them), attachments-total-too-large (120 Mo), syntax-mismatch (depends on the syntax declared at deposit).
BROKEN = os.path.join(HERE, "broken")
PLAIN = "12345678200051"
INACTIVE_RECIPIENT = "12345678200077"
SERVICES_RECIPIENT = "12345678200085"
UNKNOWN_RECIPIENT = "12345678200093"
UNKNOWN_SUPPLIER = "11111111111110"
STATE = "11000201100044"


def broken(name, content):
    os.makedirs(BROKEN, exist_ok=True)
    with open(os.path.join(BROKEN, name), "wb") as f:
        f.write(content if isinstance(content, bytes) else content.encode("utf-8"))


def good(number, **kwargs):
    return ubl(number, kwargs.pop("recipient", PLAIN), **kwargs)


def without(text, fragment):
    assert fragment in text, fragment
    return text.replace(fragment, "", 1)


def replaced(text, old, new):
    assert old in text, old
    return text.replace(old, new, 1)


def attachment(name, content_b64):
    return ("\n  <cac:AdditionalDocumentReference><cbc:ID>PJ-1</cbc:ID><cac:Attachment>"
            f'<cbc:EmbeddedDocumentBinaryObject mimeCode="application/pdf" filename="{name}">{content_b64}'
            "</cbc:EmbeddedDocumentBinaryObject></cac:Attachment></cac:AdditionalDocumentReference>")


def with_attachment(number, name, content_b64="JVBERi0xLjQK"):
    return replaced(good(number), "\n  <cac:AccountingSupplierParty>",
                    attachment(name, content_b64) + "\n  <cac:AccountingSupplierParty>")


# The file itself.
broken("file-empty.xml", b"")
broken("file-name-too-long." + "x" * 190 + ".xml", good("FA-BRK-0001"))
broken("file-extension.txt", good("FA-BRK-0002"))
broken("xml-malformed.xml", good("FA-BRK-0003")[:600])
broken("not-an-invoice.xml", '<?xml version="1.0"?>\n<Order xmlns="urn:oasis:names:specification:ubl:schema:xsd:Order-2">'
       "<ID>BC-1</ID></Order>\n")
# The invoice's content.
broken("invoice-number-missing.xml", without(good("FA-BRK-0004"), "<cbc:ID>FA-BRK-0004</cbc:ID>"))
broken("invoice-number-too-long.xml", good("FA-BRK-2026-000000000005"))
broken("issue-date-missing.xml", without(good("FA-BRK-0006"), "\n  <cbc:IssueDate>2026-11-02</cbc:IssueDate>"))
broken("issue-date-invalid.xml", good("FA-BRK-0007", date="2026-02-30"))
broken("issue-date-future.xml", good("FA-BRK-0008", date="2999-01-01"))
broken("currency-missing.xml", without(good("FA-BRK-0009"),
                                       "\n  <cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>"))
broken("currency-invalid.xml", replaced(good("FA-BRK-0010"), ">EUR</cbc:DocumentCurrencyCode>",
                                        ">XYZ</cbc:DocumentCurrencyCode>"))
broken("cadre-unknown.xml", replaced(good("FA-BRK-0011"), "</cbc:CustomizationID>",
                                     "</cbc:CustomizationID>\n  <cbc:ProfileID>A99</cbc:ProfileID>"))
broken("payment-means-missing.xml", cii("FA-BRK-0012", PLAIN, payment_means=False))
broken("iban-missing.xml", without(good("FA-BRK-0013"),
                                   f"\n    <cac:PayeeFinancialAccount><cbc:ID>{IBAN}</cbc:ID></cac:PayeeFinancialAccount>"))
broken("iban-invalid.xml", replaced(good("FA-BRK-0014"), IBAN, IBAN[:-1] + "6"))
broken("totals-missing.xml", without(good("FA-BRK-0015"),
                                     '\n    <cbc:TaxInclusiveAmount currencyID="EUR">1200.00</cbc:TaxInclusiveAmount>'))
broken("totals-inconsistent.xml", replaced(good("FA-BRK-0016"), '<cbc:TaxInclusiveAmount currencyID="EUR">1200.00',
                                           '<cbc:TaxInclusiveAmount currencyID="EUR">1300.00'))
broken("invoice-negative-total.xml", good("FA-BRK-0017", ht="-1000.00", tva="-200.00"))
broken("credit-note-negative.xml", ubl("AV-BRK-0018", PLAIN, ht="-100.00", tva="-20.00", root="CreditNote"))
broken("credit-note-payment-means.xml", replaced(
    ubl("AV-BRK-0019", PLAIN, ht="100.00", tva="20.00", root="CreditNote"), "\n  <cac:TaxTotal>",
    "\n  <cac:PaymentMeans><cbc:PaymentMeansCode>30</cbc:PaymentMeansCode></cac:PaymentMeans>\n  <cac:TaxTotal>"))
broken("service-code-characters.xml", good("FA-BRK-0020", service="SERVICE/DEFAUT"))
broken("service-code-too-long.xml", good("FA-BRK-0021", service="S" * 101))
broken("engagement-too-long.xml", good("FA-BRK-0022", engagement="EJ" + "0" * 49))
# The parties' identifiers.
broken("supplier-missing.xml", without(good("FA-BRK-0023"),
                                       f'\n    <cac:PartyIdentification><cbc:ID schemeID="0009">{SUPPLIER}</cbc:ID>'
                                       "</cac:PartyIdentification>"))
broken("supplier-siren-not-siret.xml", good("FA-BRK-0024", supplier="987654321"))
broken("supplier-vat-not-siret.xml", good("FA-BRK-0025", supplier="FR10987654321"))
broken("supplier-siret-format.xml", good("FA-BRK-0026", supplier="9876543210001"))
broken("supplier-siret-checksum.xml", good("FA-BRK-0027", supplier="98765432100016"))
broken("recipient-missing.xml", without(good("FA-BRK-0028"),
                                        f'\n    <cac:PartyIdentification><cbc:ID schemeID="0009">{PLAIN}</cbc:ID>'
                                        "</cac:PartyIdentification>"))
broken("recipient-siren-not-siret.xml", good("FA-BRK-0029", recipient="123456782"))
broken("recipient-siret-format.xml", good("FA-BRK-0030", recipient="1234567820005"))
broken("recipient-siret-checksum.xml", good("FA-BRK-0031", recipient="12345678200052"))
# The directory, live.
broken("supplier-unknown.xml", good("FA-BRK-0032", supplier=UNKNOWN_SUPPLIER))
broken("recipient-unknown.xml", good("FA-BRK-0033", recipient=UNKNOWN_RECIPIENT))
broken("recipient-inactive.xml", good("FA-BRK-0034", recipient=INACTIVE_RECIPIENT))
broken("service-unknown.xml", good("FA-BRK-0035", service="SERVICE_INCONNU"))
broken("service-inactive.xml", good("FA-BRK-0036", recipient=SERVICES_RECIPIENT, service="SERVICE_FERME"))
broken("service-factures-publiques.xml", good("FA-BRK-0037", service="FACTURES_PUBLIQUES"))
broken("service-engagement-required.xml", good("FA-BRK-0038", recipient=SERVICES_RECIPIENT, service="SERVICE_EJ"))
broken("service-or-engagement-required.xml", good("FA-BRK-0039", recipient=STATE))
broken("service-required.xml", good("FA-BRK-0040", recipient="12345678200028"))
broken("engagement-required.xml", good("FA-BRK-0041", recipient="12345678200036"))
broken("engagement-unknown.xml", good("FA-BRK-0042", recipient=STATE, engagement="9999999999"))
# What only the platform knows.
broken("supplier-not-attached.xml", good("FA-BRK-0043", supplier="98765432100023"))
broken("invoice-duplicate.xml", good("FA-BRK-0044"))
# Attachments.
broken("attachment-empty.xml", with_attachment("FA-BRK-0045", "bon-de-livraison.pdf", ""))
broken("attachment-name-too-long.xml", with_attachment("FA-BRK-0046", "b" * 47 + ".pdf"))
broken("attachment-extension.xml", with_attachment("FA-BRK-0047", "bon-de-livraison.exe"))
