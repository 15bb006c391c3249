"""Which time governs a figure (store/extract/framing.py): the layout and news conventions."""

from __future__ import annotations

import pytest

from tibet_facts.store.corpus import make_source
from tibet_facts.store.ingest import extract_source
from tibet_facts.store.model import Fact


def period_of(text: str, value: float, date: str = "2024-09-20") -> str:
    found: list[Fact] = extract_source(make_source("t.txt", text, meta={"date": date}))
    return next(f.period for f in found if f.value == value)


@pytest.mark.parametrize(
    ("text", "value", "period"),
    [
        # A time after 比/较/compared with is the base of the comparison, not the period.
        ("2023年江孜县青稞产值1.2亿元，较上年增长15%。", 15.0, "2023"),
        ("Output reached 80 tonnes in 2022, 12 percent higher than 2021.", 12.0, "2022"),
        # An altitude or a distance holds at any time.
        ("2023年，当曲乡平均海拔4500米，游客增长20%。", 4500.0, "unknown"),
        ("In 2023, the village, at an altitude of 4,300 meters, sold 200 tonnes.", 4300.0, "unknown"),
        # What a project will do once built has no period unless its own clause gives one.
        ("2024年6月，光伏项目开工，建成后年发电量约5亿千瓦时。", 5.0, "unknown"),
        ("2024年6月，光伏项目开工，投资12亿元。", 12.0, "2024-06"),
        # The size in a project's name describes the project, whenever it starts.
        ("2024年6月，昂多600兆瓦光伏发电项目开工。", 600.0, "unknown"),
        ("In June 2024, work began on a 300 MW solar plant.", 300.0, "unknown"),
        # What stands built, framed from an earlier sentence, is as of the time of writing.
        ("2024年上半年，全区数字经济规模达200亿元。全区设置150个办事窗口。", 150.0, "as of 2024-09"),
        ("2024年上半年，全区数字经济规模达200亿元。全区完成培训80场。", 80.0, "2024-01..2024-06"),
        # A running count is a level as of the range's end; a sum of money covers the range.
        ("2024年1月至8月，累计注册企业达300家。", 300.0, "as of 2024-08"),
        ("2024年1月至8月，企业累计实现营业收入5.5亿元。", 5.5, "2024-01..2024-08"),
        # An annual flow stated at a year's end is that year's.
        ("截至2022年底，全县年产牦牛肉800吨。", 800.0, "2022"),
        # Reported speech: "said that in 2016, …" frames the sentences after it.
        ("The director said that in 2016, the county earned 13 million yuan from online sales. "
         "Among these, livestock products made 9 million yuan.", 9.0, "2016"),
        # A count of projects is a count, not a size in a project's name.
        ("日前，全区23个产业数字化项目陆续开工。", 23.0, "as of 2024-09"),
        # Sizes listed before the projects they name have no period either.
        ("近日，基地项目包括昂多1800兆瓦和拉妥800兆瓦两个项目。", 1800.0, "unknown"),
        # A count framed by the days of writing (日前, 近日) is what stands then.
        ("近日，记者获悉，全区建成5G基站997个。", 997.0, "as of 2024-09"),
        # ... but not for money.
        ("近日，全区签约资金30亿元。", 30.0, "2024-09"),
        # What a running total since earlier years formed or built stands as of writing; the
        # items of its list share the verb of the first.
        ("自2018年以来，共投入3亿元，初步形成了西部4县绒山羊产业，中部3县育肥产业和东部2县"
         "药材产业。", 2.0, "as of 2024-09"),
        ("自2018年以来，共投入3亿元，在8县实施了育肥项目。", 8.0, "2018..2024"),
        ("自2018年以来，共投入3亿元，在8县实施了育肥项目。", 3.0, "2018..2024"),
        # A semicolon parts a list: the verb before it is not the next item's.
        ("2019年，江孜县建成首家创新中心；资助90家企业开展创新。", 90.0, "2019"),
        # A population is a stock: as of the time of writing when nothing else dates it.
        ("Parcels bring convenience to the 7,400 residents of the town.", 7400.0, "as of 2024-09"),
        ("The office sold goods worth 7,400 yuan.", 7400.0, "unknown"),
    ],
)
def test_governing_time(text: str, value: float, period: str) -> None:
    assert period_of(text, value) == period


@pytest.mark.parametrize(
    ("text", "value", "period"),
    [
        # 近日 in a report dated by its year alone says nothing of a stock's month.
        ("近日，全区新增企业30家。", 30.0, "2024"),
        # 上半年来 in a report dated by its year alone is the half it names.
        ("上半年来，服务中心完成了7家载体的问诊服务。", 7.0, "2024-01..2024-06"),
    ],
)
def test_governing_time_of_a_year_dated_report(text: str, value: float, period: str) -> None:
    assert period_of(text, value, date="2024") == period
