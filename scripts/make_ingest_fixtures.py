"""Make the document fixtures of tests/ingest (run once; the outputs are committed; needs pypdf).

    python scripts/make_ingest_fixtures.py [--chromium /usr/bin/chromium]

Writes into ``tests/fixtures/ingest/``:

* ``two_columns.pdf``: a notice printed by Debian chromium with the project's CJK font (a subset of
  Noto Sans CJK SC carried by @font-face), two columns and a table, on two pages;
* ``kangxi.pdf``: a page whose text itself holds Kangxi radicals and a compatibility ideograph
  (⾦ ⼊ ⾏ ⻓ and U+F9B2 for 零), as the text layers of many Chinese PDFs do; the conversion reads them as 金 入 行 长 零;
* ``saved_page.html``: a saved web page with navigation, sidebar, footer and readers' comments;
* ``notice.docx``: a Word file with paragraphs and a table (python-docx);
* ``gb18030.txt``: a notice in GB18030; ``bom_crlf.txt``: UTF-8 with a BOM and CRLF line ends;
* ``encrypted.pdf`` (a password-protected copy of ``kangxi.pdf``) and ``scanned.pdf`` (an image only,
  no text layer), for the failure paths.

The sentences are invented for the fixtures (about 青川县, not taken from its documents), not copied from the
project's documents.
"""

from __future__ import annotations

import argparse
import datetime
import subprocess
import tempfile
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "ingest"

LEFT = (
    "2023年，青川县科协围绕“科创中国”试点，新建学会服务站12个，吸纳企业科技工作者入会356人。"
    "全县建成科普e站48个，覆盖行政村比例达到百分之九十。"
)
RIGHT = (
    "县科协年度工作经费为85万元，较上年增长15%。到2025年，全县计划新建院士专家工作站3个，培育科普示范基地不少于10个。"
)

TWO_COLUMNS = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>青川县科协工作通报</title>
<style>
@font-face {{ font-family: "Fixture CJK"; src: url("cjk.woff2") format("woff2"); }}
@page {{ size: A5; margin: 15mm; }}
body {{ font-family: "Fixture CJK", sans-serif; font-size: 11pt; line-height: 1.6; }}
.columns {{ column-count: 2; column-gap: 8mm; }}
table {{ border-collapse: collapse; margin-top: 6mm; width: 100%; }}
td, th {{ border: 1px solid #333; padding: 2px 6px; }}
.next {{ break-before: page; }}
</style></head><body>
<h1>青川县科协2023年工作通报</h1>
<div class="columns"><p>{left}</p><p>{right}</p></div>
<table><tr><th>项目</th><th>数量</th></tr>
<tr><td>学会服务站</td><td>12个</td></tr><tr><td>科普e站</td><td>48个</td></tr></table>
<p class="next">二、下一步，县科协将推动基层科协“三长”进入组织，力争乡镇科协覆盖率保持100%。</p>
</body></html>
"""

KANGXI = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>青川县科协经费</title>
<style>
@font-face {{ font-family: "Fixture CJK"; src: url("cjk.woff2") format("woff2"); }}
@page {{ size: A5; margin: 15mm; }}
body {{ font-family: "Fixture CJK", sans-serif; font-size: 12pt; }}
</style></head><body>
<p>{text}</p>
</body></html>
"""
# Kangxi radicals (U+2F00 block) and a compatibility ideograph, as in many Chinese PDFs' text layers.
KANGXI_TEXT = "青川县科协专项资\u2fa6\u2f0a账30万元，科普\u2f8f动覆盖12个乡镇，安全事故\uf9b2发生，\u2ed3期服务企业。"

SAVED_PAGE = """<!DOCTYPE html>
<!-- saved from url=(0054)https://www.qingchuan.example.gov.cn/kx/2023/0612.html -->
<html lang="zh-CN"><head><meta charset="utf-8">
<title>青川县科协：学会服务站建设取得新进展_青川县人民政府</title>
<link rel="canonical" href="https://www.qingchuan.example.gov.cn/kx/2023/0612.html">
<meta property="og:title" content="青川县科协：学会服务站建设取得新进展">
</head><body>
<header><nav><ul><li><a href="/">首页</a></li><li><a href="/zwgk">政务公开</a></li><li><a href="/bsfw">办事服务</a></li>
<li><a href="/hdjl">互动交流</a></li></ul></nav></header>
<div class="breadcrumb">当前位置：首页 &gt; 部门动态 &gt; 县科协</div>
<main><article>
<h1>青川县科协：学会服务站建设取得新进展</h1>
<p class="info">发布时间：2023-06-12　来源：县科协　浏览次数：1024</p>
<p>今年以来，青川县科协把学会服务站建设作为深化改革的重要抓手，深入园区企业开展调研，摸清企业技术需求。</p>
<p>截至5月底，全县已建成学会服务站12个，组织专家服务企业86家次，帮助企业解决技术难题23项。</p>
<p>县科协有关负责人表示，下一步将新增学会服务站5个，推动更多科技资源向基层一线集聚，为县域经济高质量发展提供支撑。</p>
</article></main>
<aside class="sidebar"><h3>热点新闻</h3><ul><li><a href="/a">全县春耕生产有序推进</a></li><li><a href="/b">县领导调研重点项目建设</a></li>
<li><a href="/c">文旅消费季活动启动</a></li></ul></aside>
<section id="comments"><h3>网友评论</h3>
<div class="comment"><p>网友甲：点赞！希望服务站多进乡镇。</p></div>
<div class="comment"><p>网友乙：什么时候到我们园区来？</p></div></section>
<footer><p>主办单位：青川县人民政府办公室　网站标识码：0000000000　蜀ICP备00000000号</p>
<p>联系电话：0000-0000000　地址：青川县乔庄镇</p></footer>
</body></html>
"""

# A grey "scan" drawn by CSS only: the printed PDF has no text layer.
SCANNED = """<!doctype html><html><head><meta charset="utf-8"><style>@page { size: A5; margin: 0; }
.scan { width: 120mm; height: 160mm; margin: 10mm; background: repeating-linear-gradient(0deg, #bbb 0 2mm, #eee 2mm 5mm); }
</style></head><body><div class="scan"></div></body></html>
"""

DOCX_PARAGRAPHS = [
    "青川县科协关于2023年基层组织建设情况的报告",
    "一、全县乡镇科协实现全覆盖，村级科普小组达到156个。",
    "二、全年举办科技培训班42期，培训农民3800人次。",
]
DOCX_TABLE = [("指标", "2022年", "2023年"), ("科技工作者之家", "8个", "14个"), ("科普示范基地", "6个", "9个")]

GB18030_TEXT = "青川县科协2022年度工作总结\n全年组织科普活动120场次，受益群众5.6万人次。\n"
BOM_CRLF_TEXT = "青川县科协会议纪要\r\n会议确定，2024年新建科普e站20个。\r\n"


def _print_pdf(chromium: str, html: str, out: Path, characters: str) -> None:
    from kexie_research.runner.fonts import subset_font

    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "page.html"
        page.write_text(html, encoding="utf-8")
        (Path(folder) / "cjk.woff2").write_bytes(subset_font(characters))
        subprocess.run(
            [
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-pdf-header-footer",
                f"--print-to-pdf={out}",
                page.as_uri(),
            ],
            check=True,
            timeout=120,
            capture_output=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    FIXTURES.mkdir(parents=True, exist_ok=True)
    two = TWO_COLUMNS.format(left=LEFT, right=RIGHT)
    _print_pdf(args.chromium, two, FIXTURES / "two_columns.pdf", two)
    kangxi = KANGXI.format(text=KANGXI_TEXT)
    _print_pdf(args.chromium, kangxi, FIXTURES / "kangxi.pdf", kangxi)
    (FIXTURES / "saved_page.html").write_text(SAVED_PAGE, encoding="utf-8")

    import docx

    document = docx.Document()
    for text in DOCX_PARAGRAPHS:
        document.add_paragraph(text)
    table = document.add_table(rows=len(DOCX_TABLE), cols=len(DOCX_TABLE[0]))
    for r, row in enumerate(DOCX_TABLE):
        for c, cell in enumerate(row):
            table.cell(r, c).text = cell
    fixed = datetime.datetime(2023, 6, 12, tzinfo=datetime.UTC)  # same bytes on every run
    document.core_properties.created = document.core_properties.modified = fixed
    document.save(FIXTURES / "notice.docx")

    (FIXTURES / "gb18030.txt").write_bytes(GB18030_TEXT.encode("gb18030"))
    (FIXTURES / "bom_crlf.txt").write_bytes(("\ufeff" + BOM_CRLF_TEXT).encode("utf-8"))

    # A scanned page: an image and no text at all.
    _print_pdf(args.chromium, SCANNED, FIXTURES / "scanned.pdf", "")
    from pypdf import PdfReader, PdfWriter  # only this script needs pypdf (pip install pypdf)

    writer = PdfWriter(clone_from=PdfReader(FIXTURES / "kangxi.pdf"))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="AES-128")
    with (FIXTURES / "encrypted.pdf").open("wb") as handle:
        writer.write(handle)


if __name__ == "__main__":
    main()
