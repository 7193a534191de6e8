#!/usr/bin/env python3
"""Reads an .xlsx with the standard library only (zipfile), for the golden CLI tests.

    xlsx_cell.py FILE                  prints the sheet names, one per line
    xlsx_cell.py FILE SHEET CELL       prints the value of CELL (e.g. A2) of SHEET
    xlsx_cell.py FILE SHEET --bold-frozen
                                       prints "bold frozen" when the header row is bold and frozen
"""
import re
import sys
import zipfile
from xml.etree import ElementTree

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}


def sheets(book):
    workbook = ElementTree.fromstring(book.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(book.read("xl/_rels/workbook.xml.rels"))
    targets = {rel.get("Id"): rel.get("Target") for rel in rels}
    out = []
    for sheet in workbook.find("m:sheets", NS):
        rid = sheet.get("{%s}id" % NS["r"])
        out.append((sheet.get("name"), "xl/" + targets[rid].lstrip("/").removeprefix("xl/")))
    return out


def shared_strings(book):
    if "xl/sharedStrings.xml" not in book.namelist():
        return []
    root = ElementTree.fromstring(book.read("xl/sharedStrings.xml"))
    return ["".join(t.text or "" for t in si.iter("{%s}t" % NS["m"])) for si in root]


def main():
    book = zipfile.ZipFile(sys.argv[1])
    names = sheets(book)
    if len(sys.argv) == 2:
        print("\n".join(name for name, _ in names))
        return
    path = dict(names).get(sys.argv[2])
    if path is None:
        sys.exit(f"no sheet named {sys.argv[2]!r}")
    sheet = ElementTree.fromstring(book.read(path))
    if sys.argv[3] == "--bold-frozen":
        pane = sheet.find(".//m:pane", NS)
        frozen = pane is not None and pane.get("state") == "frozen" and pane.get("ySplit") == "1"
        styles = ElementTree.fromstring(book.read("xl/styles.xml"))
        fonts = styles.find("m:fonts", NS)
        xfs = styles.find("m:cellXfs", NS)
        a1 = sheet.find(".//m:c[@r='A1']", NS)
        xf = xfs[int(a1.get("s", "0"))]
        bold = fonts[int(xf.get("fontId", "0"))].find("m:b", NS) is not None
        print(("bold" if bold else "not-bold") + " " + ("frozen" if frozen else "not-frozen"))
        return
    cell = sheet.find(".//m:c[@r='%s']" % sys.argv[3], NS)
    if cell is None:
        print("")
        return
    value = cell.find("m:v", NS)
    if cell.get("t") == "s":
        print(shared_strings(book)[int(value.text)])
    elif cell.get("t") == "inlineStr":
        print("".join(t.text or "" for t in cell.iter("{%s}t" % NS["m"])))
    else:
        print(value.text if value is not None else "")


if __name__ == "__main__":
    main()
