"""Documents the readers' tests make: a saved news page, a bulletin page, PDFs, a Word file.

All are written by the team here (never third-party pages or reports): the texts are made up in
the style of the news and bulletins the tool reads.
"""

from __future__ import annotations

import io
import zlib
from pathlib import Path

NEWS_PAGE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<title>日喀则市旅游收入增长 - 西藏日报首页 | 新闻 | 返回顶部</title>
<meta property="og:title" content="日喀则市旅游收入增长">
<meta property="og:site_name" content="西藏日报">
<meta property="article:published_time" content="2024-04-18T08:00:00+08:00">
<link rel="canonical" href="https://news.example.org/2024/0418/a1.html">
<script>var ads = 5000; window.track("2023年销售额100亿元");</script>
<style>.banner{width:300px}</style>
</head><body>
<div id="nav"><ul><li><a href="/">首页</a></li><li><a href="/n">新闻</a></li>
<li><a href="/z">专题：2022年全区投资300亿元</a></li></ul></div>
<div class="ad">广告：拉萨楼盘特价每平米8000元起，首付10万元</div>
<div class="ticker">滚动：那曲市快递业务量增长25%</div>
<article>
<h1>日喀则市旅游收入增长</h1>
<p class="meta">2024-04-18 08:00 来源：西藏日报</p>
<p>今年一季度，日喀则市接待游客120.5万人次，实现旅游收入15.6亿元，同比增长32%。</p>
<p>目前，全市共有星级酒店48家，床位1.2万张。日喀则市文旅局负责人介绍，今年将继续加大旅游基础设施投入。</p>
<p>据统计，2023年日喀则市旅游总收入达到98.7亿元，比上年增长41.3%，旅游业已成为当地经济发展的重要支柱产业。</p>
</article>
<div class="related"><h3>相关新闻</h3><ul><li><a href="/a">林芝市2023年GDP突破300亿元</a></li>
<li><a href="/b">山南市网络零售额增长18%</a></li></ul></div>
<div id="footer">版权所有 西藏日报社 2024 藏ICP备05000001号 电话：0891-6666666 访问量：1234567次</div>
<script>document.write("今日访问 8888 人次");</script>
</body></html>
"""
# The figures of the article, and only those: nothing from the menu, the ads, the ticker, the
# related links, the footer or the scripts.
NEWS_VALUES = {120.5, 15.6, 32.0, 48.0, 1.2, 98.7, 41.3}

BULLETIN_PAGE = """<!DOCTYPE html>
<html lang="zh"><head><meta charset="gbk"><title>2023年西藏自治区国民经济和社会发展统计公报</title>
<meta name="publishdate" content="2024-03-25"></head><body>
<div class="menu">首页 | 统计数据 | 统计公报</div>
<div class="article">
<h1>2023年西藏自治区国民经济和社会发展统计公报</h1>
<p>西藏自治区统计局 2024年3月25日</p>
<p>2023年，面对复杂严峻的外部环境，全区经济持续恢复向好，主要指标保持较快增长。全年完成了各项目标任务，经济社会发展取得新成效。</p>
<p>表1 2023年主要经济指标</p>
<table>
<tr><th>指标</th><th>单位</th><th>2023年</th><th>比上年增长%</th></tr>
<tr><td>地区生产总值</td><td>亿元</td><td>2392.67</td><td>9.5</td></tr>
<tr><td>社会消费品零售总额</td><td>亿元</td><td>875.82</td><td>11.2</td></tr>
<tr><td>快递业务量</td><td>万件</td><td>2150</td><td>-3.4</td></tr>
</table>
<p>全年全区各项事业稳步发展，人民生活水平不断提高，社会保持和谐稳定，各族群众获得感持续增强。</p>
</div>
<div class="footer">西藏自治区统计局 版权所有 联系电话 0891-1234567</div>
</body></html>
"""
# (metric_zh, value, unit, period, kind) of each cell of the table.
BULLETIN_CELLS = {
    ("地区生产总值", 2392.67, "亿元", "2023", "level"),
    ("地区生产总值增速", 9.5, "%", "2023", "rate"),
    ("社会消费品零售总额", 875.82, "亿元", "2023", "level"),
    ("社会消费品零售总额增速", 11.2, "%", "2023", "rate"),
    ("快递业务量", 2150.0, "万件", "2023", "level"),
    ("快递业务量增速", 3.4, "%", "2023", "rate"),
}


def news_page_folder(folder: Path) -> Path:
    """A browser's "save page": page.html and page_files/ with scripts, styles and a frame."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "rikaze.html").write_text(NEWS_PAGE, encoding="utf-8")
    assets = folder / "rikaze_files"
    assets.mkdir(exist_ok=True)
    (assets / "ad-frame.htm").write_text(
        "<html><body><p>广告位招租，每月3000元</p></body></html>", encoding="utf-8"
    )
    (assets / "app.js").write_text("var pv = 99999;", encoding="utf-8")
    (assets / "style.css").write_text("body{margin:0}", encoding="utf-8")
    return folder


def bulletin_page(path: Path) -> Path:
    path.write_bytes(BULLETIN_PAGE.encode("gbk"))
    return path


def _cjk_font() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return "STSong-Light"


# The Chinese PDF: what each page says, and on which page each figure is.
PDF_PAGES = [
    [
        "2023年西藏自治区商务发展报告",
        "2023年，全区网络零售额达到158.3亿元，比上年增长21.6%。农村网络零售额为42.7亿元。",
    ],
    [
        "二、物流与快递",
        "2023年，全区快递业务量为2150万件。拉萨市建成县级物流配送中心9个，村级快递服务站点680个。",
    ],
    ["三、主要指标", "表2 2023年商务主要指标"],
]
PDF_TABLE = [
    ["指标", "单位", "2023年", "比上年增长%"],
    ["社会消费品零售总额", "亿元", "875.82", "11.2"],
    ["外贸进出口总额", "亿元", "98.6", "136.7"],
]
PDF_PAGE_OF = {
    158.3: 1,
    21.6: 1,
    42.7: 1,
    2150.0: 2,
    9.0: 2,
    680.0: 2,
    875.82: 3,
    11.2: 3,
    98.6: 3,
    136.7: 3,
}


def chinese_pdf(path: Path, *, title: str = "2023年西藏自治区商务发展报告") -> Path:
    """Three pages of text in STSong-Light (reportlab's built-in CJK font), a table on the last."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table

    font = _cjk_font()
    style = ParagraphStyle(
        "zh", fontName=font, fontSize=11, leading=16, wordWrap="CJK", spaceAfter=8
    )
    story: list[object] = []
    for n, paragraphs in enumerate(PDF_PAGES):
        story += [Paragraph(text, style) for text in paragraphs]
        if n == len(PDF_PAGES) - 1:
            story.append(Table(PDF_TABLE, style=[("FONT", (0, 0), (-1, -1), font)]))
        else:
            story.append(PageBreak())
    SimpleDocTemplate(str(path), pagesize=A4, title=title, author="西藏自治区商务厅").build(story)
    return path


def long_pdf(path: Path, pages: int = 100) -> Path:
    """A report of many pages of Chinese prose and a table every ten pages (the speed bench)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table

    font = _cjk_font()
    style = ParagraphStyle(
        "zh", fontName=font, fontSize=11, leading=16, wordWrap="CJK", spaceAfter=6
    )
    story: list[object] = []
    for page in range(pages):
        for k in range(8):
            story.append(
                Paragraph(
                    f"2023年，第{page + 1}项工程完成投资{100 + page}.{k}亿元，比上年增长{k + 3}.5%。"
                    f"全区快递业务量为{2000 + page}万件，同比增长12%。",
                    style,
                )
            )
        if page % 10 == 0:
            story.append(Table(PDF_TABLE, style=[("FONT", (0, 0), (-1, -1), font)]))
        story.append(PageBreak())
    SimpleDocTemplate(str(path), pagesize=A4).build(story)
    return path


def english_pdf(path: Path) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.setTitle("Tibet trade report")
    pdf.drawString(72, 760, "In 2023, online retail sales in Tibet reached 15.8 billion yuan.")
    pdf.showPage()
    pdf.drawString(72, 760, "Express deliveries grew by 12% in 2023.")
    pdf.showPage()
    pdf.save()
    return path


def scanned_pdf(path: Path) -> Path:
    """A page that is only a picture (a scan): no text layer at all."""
    from PIL import Image, ImageDraw
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    image = Image.new("RGB", (400, 200), "white")
    ImageDraw.Draw(image).rectangle((20, 20, 380, 60), fill="black")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    pdf = canvas.Canvas(str(path))
    pdf.drawImage(ImageReader(io.BytesIO(buffer.getvalue())), 72, 500, width=400, height=200)
    pdf.showPage()
    pdf.save()
    return path


def encrypted_pdf(path: Path) -> Path:
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), encrypt=pdfencrypt.StandardEncryption("secret", canPrint=0))
    pdf.drawString(72, 760, "2023年网络零售额158.3亿元")
    pdf.showPage()
    pdf.save()
    return path


def pdf_bomb(path: Path, inflated_mb: int) -> Path:
    """A small PDF whose page content inflates to `inflated_mb` MB of spaces (a PDF bomb)."""
    squeeze = zlib.compressobj(9)
    chunk = b" " * (1 << 20)
    stream = b"".join(squeeze.compress(chunk) for _ in range(inflated_mb)) + squeeze.flush()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % at for at in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    path.write_bytes(bytes(out))
    return path


DOCX_TABLE = [
    ["指标", "单位", "2023年", "比上年增长%"],
    ["农林牧渔业总产值", "亿元", "310.5", "4.8"],
    ["粮食产量", "万吨", "108.9", "1.2"],
]
DOCX_CELLS = {
    ("农林牧渔业总产值", 310.5, "亿元", "2023", "level"),
    ("农林牧渔业总产值增速", 4.8, "%", "2023", "rate"),
    ("粮食产量", 108.9, "万吨", "2023", "level"),
    ("粮食产量增速", 1.2, "%", "2023", "rate"),
}


def word_file(path: Path) -> Path:
    """A report with a heading, paragraphs and a table, in that order."""
    import docx

    document = docx.Document()
    document.core_properties.title = "2023年农业农村发展情况"
    document.core_properties.author = "西藏自治区农业农村厅"
    document.add_heading("2023年农业农村发展情况", level=1)
    document.add_paragraph("2023年，全区农村居民人均可支配收入达到19924元，比上年增长9.1%。")
    document.add_paragraph("表3 2023年农业主要指标")
    table = document.add_table(rows=len(DOCX_TABLE), cols=len(DOCX_TABLE[0]))
    for r, row in enumerate(DOCX_TABLE):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    document.add_paragraph("全区建成高标准农田30万亩。")
    document.save(str(path))
    return path


def zip_bomb_docx(path: Path, inflated_mb: int) -> Path:
    """A .docx whose document.xml unpacks to `inflated_mb` MB."""
    import zipfile

    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w") as member:
            chunk = b" " * (1 << 20)
            for _ in range(inflated_mb):
                member.write(chunk)
    return path
