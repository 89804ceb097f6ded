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


def ubl(number, recipient, service=None, engagement=None, date="2026-11-02", ht="1000.00", tva="200.00",
        root="Invoice"):
    ttc = f"{float(ht) + float(tva):.2f}"
    buyer_ref = f"\n  <cbc:BuyerReference>{service}</cbc:BuyerReference>" if service else ""
    order = f"\n  <cac:OrderReference><cbc:ID>{engagement}</cbc:ID></cac:OrderReference>" if engagement else ""
    type_code = "InvoiceTypeCode" if root == "Invoice" else "CreditNoteTypeCode"
    code = "380" if root == "Invoice" else "381"
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
    <cac:PartyIdentification><cbc:ID schemeID="0009">{SUPPLIER}</cbc:ID></cac:PartyIdentification>
    <cac:PartyName><cbc:Name>FOURNISSEUR ALPHA</cbc:Name></cac:PartyName>
    <cac:PartyLegalEntity><cbc:RegistrationName>FOURNISSEUR ALPHA SAS</cbc:RegistrationName></cac:PartyLegalEntity>
  </cac:Party></cac:AccountingSupplierParty>
  <cac:AccountingCustomerParty><cac:Party>
    <cac:PartyIdentification><cbc:ID schemeID="0009">{recipient}</cbc:ID></cac:PartyIdentification>
    <cac:PartyLegalEntity><cbc:RegistrationName>DESTINATAIRE</cbc:RegistrationName></cac:PartyLegalEntity>
  </cac:Party></cac:AccountingCustomerParty>
  <cac:PaymentMeans><cbc:PaymentMeansCode>30</cbc:PaymentMeansCode></cac:PaymentMeans>
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
             "</ram:SpecifiedTradeSettlementPaymentMeans>") if payment_means else ""
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
