#!/usr/bin/env python3
"""Generates facturx-library.pdf with the reference Factur-X library (Akretion's `factur-x` on PyPI),
to check that chorus reads Factur-X files as real tools write them (PDF/A-3 metadata, FlateDecode,
Filespec with /AFRelationship). Needs `pip install factur-x` (it brings pypdf); the other samples need
nothing beyond the standard library (examples/invoices/generate.py). It is a test fixture rather than an
example, so the examples folder stays runnable without that library.
"""
import os

from facturx import generate_from_file
from pypdf import PdfWriter

HERE = os.path.dirname(os.path.abspath(__file__))
GENERATOR = os.path.join(HERE, "..", "..", "..", "examples", "invoices", "generate.py")
source = open(GENERATOR).read().split("\ndef write(")[0]
namespace = {"__file__": GENERATOR}
exec(source, namespace)  # the generator's CII builder, without writing its files
xml = namespace["cii"]("FA-FX-2026-0003", "12345678200051", ht="300.00", tva="60.00")

target = os.path.join(HERE, "facturx-library.pdf")
writer = PdfWriter()
writer.add_blank_page(595, 842)
writer.write(target)
generate_from_file(target, xml.encode("utf-8"), flavor="factur-x", level="en16931", check_xsd=False)
