"""The rules of the frame suggestions, one invented sentence each: the number's noun, the unit, lists,
brackets, and ``none`` for what the frame does not count (changes, reach, campaigns, places, subsets,
shares). None of these sentences is taken from an evaluation set."""

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kexie_research.extract.suggest import MIN_FRAME_CONFIDENCE, FrameSuggester


@pytest.fixture(scope="module")
def suggester() -> FrameSuggester:
    return FrameSuggester.from_data()


@pytest.mark.parametrize(
    ("clause", "raw", "unit", "expected"),
    [
        # the noun the classifier counts, right after the number
        ("全县举办科普讲座45场", "45场", "event", ("kepu_activities", 0.9)),
        ("组织120名科技志愿者下乡", "120名", "person", ("kepu_volunteers", 0.9)),
        ("培育30家市级科普基地", "30家", "organisation", ("kepu_bases", 0.9)),  # 市级 is no count of places
        # the noun before the number, with only linking words between
        ("科普经费筹集额达1.2亿元", "1.2亿元", "CNY", ("kepu_funding", 0.9)),
        ("科普e站建成40个", "40个", "count", ("kepu_e_stations", 0.9)),
        ("科普基地增加到20个", "20个", "count", ("kepu_bases", 0.9)),  # 增加到 states a level, not a change
        ("全市公民具备科学素质的比例达到12%", "12%", "percent", ("citizen_scientific_literacy", 0.9)),
        ("全市乡镇（街道）科协覆盖率达到100%", "100%", "percent", ("township_kexie_coverage", 0.9)),
        # a level moved from one number to the next keeps the noun of the first
        ("科普志愿者由200人增加到500人", "500人", "person", ("kepu_volunteers", 0.9)),
        # 分别: each number takes its own noun of the list, or the one noun of all
        ("科普专职人员、科普志愿者分别为120和860人", "860人", "person", ("kepu_volunteers", 0.9)),
        ("科普专职人员、科普志愿者分别为120和860人", "120", "number", ("kepu_personnel", 0.75)),
        ("听取科协工作汇报分别为2次、3次", "3次", "event", ("party_committee_deliberations", 0.9)),
        # footnote marks, asides in brackets, alternative names in brackets, pinyin glosses
        ("高校科协[1]12个", "12个", "count", ("institution_kexie", 0.9)),
        ("兼职科普人员（每年从事科普工作不少于20天）350人", "350人", "person", ("kepu_personnel", 0.9)),
        ("街道科协（社区科协）20个", "20个", "count", ("township_kexie", 0.9)),
        ("活动数(shù)量达到300个", "300个", "count", ("kepu_activities", 0.9)),
        # N units 建立了科协: the kexie of those units
        ("在15家高新技术企业建立了科协组织", "15家", "organisation", ("enterprise_kexie", 0.75)),
        # a bare number takes the unit word written just before it
        ("现场参与人次达到12万", "12万", "number", ("kepu_participants", 0.9)),
        # attendances with no term next to them but a term of their category (活动) in the sentence: the
        # frame's only indicator in 人次, at the lowest step that is suggested
        ("活动吸引群众3000余人次", "3000余人次", "person_time", ("kepu_participants", 0.6)),
        ("流动展览累计服务公众超2亿人次", "超2亿人次", "person_time", ("kepu_participants", 0.9)),
        # posts are counted in 个: a person indicator takes 个 only when its term is the noun, one step lower
        ("市科协只有2个编制", "2个", "count", ("kexie_staff_posts", 0.75)),
        # a part of another frame indicator than the total's is no subset
        ("科普经费200万元，其中人均科普经费1.5元", "1.5元", "CNY", ("kepu_funding_per_capita", 0.9)),
        # the base of a comparison takes the compared number's noun
        ("公民具备科学素质的比例达到12%，较2018年的9.5%", "9.5%", "percent", ("citizen_scientific_literacy", 0.9)),
        # a table row: its label, its unit and an English gloss, then its cells
        ("企业科协 (个) Enterprise associations (unit) 120 80 40", "120", "count", ("enterprise_kexie", 0.9)),
        # a noun coordinated with the term
        ("发放科普资料和书籍共计1500余份", "1500余份", "item", ("kepu_media_outputs", 0.9)),
    ],
)
def test_the_number_s_noun_names_the_frame_indicator(suggester, clause, raw, unit, expected):
    assert suggester.suggest(clause, raw, unit) == expected


@pytest.mark.parametrize(
    ("clause", "raw", "unit", "expected", "why"),
    [
        ("比上年增加12个科普基地", "12个", "count", ("none", 0.9), "a change"),
        ("新增注册科普志愿者500名", "500名", "person", ("none", 0.9), "an addition"),
        ("科普文章阅读量达120万次", "120万次", "event", ("none", 0.9), "a reach"),
        ("300名科技工作者参加了论坛", "300名", "person", ("none", 0.9), "a campaign's participants"),
        ("12个县实现全覆盖", "12个", "count", ("none", 0.9), "a count of places"),
        ("全县有学会25个，其中县级学会10个", "10个", "count", ("none", 0.75), "a subset of the count before it"),
        (
            "开展科普活动3000次，其中科普讲座800次",
            "800次",
            "event",
            ("none", 0.75),
            "one kind of the activities before it",
        ),
        ("科普经费200万元，其中科普专项经费80万元", "80万元", "CNY", ("none", 0.75), "one line of the funds before it"),
        (
            "其中，组织科普讲座1.2万次",
            "1.2万次",
            "event",
            ("none", 0.75),
            "其中 opens the sentence: a part of a total before it",
        ),
        ("累计奖励优秀科普基地20个", "20个", "count", ("none", 0.9), "an award"),
        ("每个乡镇平均有3名科普志愿者", "3名", "person", ("none", 0.9), "an average per unit"),
        ("每场展览能够接待2000人次", "2000人次", "person_time", ("none", 0.9), "a capacity"),
        ("占全部经费的60%", "60%", "percent", ("none", 0.75), "a share the frame does not count"),
        ("社区科普画廊覆盖率达到90%", "90%", "percent", ("none", 0.75), "coverage of another kind (not_terms)"),
        ("3个科技辅导员创新项目获奖", "3个", "count", ("none", 0.9), "prize winners"),
        ("其中2个科技辅导员创新项目获得一等奖", "2个", "count", ("none", 0.9), "prize winners"),
        ("全县耕地面积30万亩", "30万亩", "mu", ("none", 0.9), "a unit no frame indicator has"),
    ],
)
def test_none_for_what_the_frame_does_not_count(suggester, clause, raw, unit, expected, why):
    assert suggester.suggest(clause, raw, unit) == expected, why


@pytest.mark.parametrize(
    ("clause", "raw", "unit", "why"),
    [
        ("成立12个学会联合体", "12个", "count", "the term is a modifier of another noun"),
        ("各学会设立科技奖项15项", "15项", "item", "项 counts items or projects, never organisations"),
        ("科普经费政府拨款50万元", "50万元", "CNY", "the noun is 政府拨款, a line of the funds"),
        ("建成科普大篷车3辆", "3辆", "count", "no term of the frame"),
        ("全市组建5个科技志愿者服务队", "5个", "count", "groups of persons, not persons"),
        (
            "青少年具备科学素质的比例达到20%",
            "20%",
            "percent",
            "a sub-group (not_terms); a share of the frame is named: no none",
        ),
    ],
)
def test_empty_when_the_term_is_not_the_number_s_noun(suggester, clause, raw, unit, why):
    frame_id, confidence = suggester.suggest(clause, raw, unit)
    assert frame_id == "" and confidence < MIN_FRAME_CONFIDENCE, why


def test_a_rate_after_an_opening_qizhong_is_no_part(suggester):
    assert suggester.suggest("其中，人均科普经费为2.1元", "2.1元", "CNY") == ("kepu_funding_per_capita", 0.9)


def test_the_number_s_own_position_when_it_is_written_twice(suggester):
    row = "乡镇科协 (个) Township associations (unit) 40 40"
    assert suggester.suggest(row, "40", "count") == ("township_kexie", 0.9)  # the first cell: after its label
    assert suggester.suggest(row, "40", "count", at=row.rindex("40"))[0] == ""  # the second: no noun of its own


def test_a_bare_number_followed_by_a_noun_counts_that_noun(suggester):
    assert suggester.suggest("举办科普活动30场，为1.5万名群众服务", "1.5万", "number")[0] == ""
    assert suggester.suggest("科普活动为1.5万", "1.5万", "number")[0] == "kepu_activities"


def test_a_pinyin_gloss_between_number_and_unit(suggester):
    # the parser reads 56.2万(wàn)人 as a bare number; the unit after the gloss makes it persons
    assert suggester.suggest("全省科普人员规模为56.2万(wàn)人", "56.2万", "number") == ("kepu_personnel", 0.9)


def test_the_base_of_a_comparison_in_its_own_clause(suggester):
    clause, context = "较2016年的8.1%提高了2个百分点", "公民具备科学素质的比例达到10.2%，"
    assert suggester.suggest(clause, "8.1%", "percent", context) == ("citizen_scientific_literacy", 0.9)


def test_award_funds_are_funds(suggester):
    assert suggester.suggest("获得中央财政奖补的科普经费60万元", "60万元", "CNY")[0] == "kepu_funding"
    assert suggester.suggest("奖补科普示范基地12个", "12个", "count") == ("none", 0.9)


def test_a_unit_alone_needs_its_field_named_in_the_sentence(suggester):
    # 人次 is the unit of attendances alone: named by it unless the words say otherwise
    assert suggester.suggest("全年接待参观者1.2万人次", "1.2万人次", "person_time") == ("kepu_participants", 0.6)
    assert suggester.suggest("向上级推荐人才120人次", "120人次", "person_time") == ("none", 0.9)  # a campaign
    # a not_term in the sentence rules the unit alone out, as a term there rules it in
    assert suggester.suggest("共培训3000人次", "3000人次", "person_time", "举办干部培训班12期，")[0] == ""
    assert (
        suggester.suggest("共培训3000人次", "3000人次", "person_time", "举办科普培训班12期，")[0] == "kepu_participants"
    )
    assert (
        suggester.suggest("科普经费逐年增加，达到人均0.8元", "人均0.8元", "CNY_per_capita")[0]
        == "kepu_funding_per_capita"
    )


def test_a_per_capita_sum_needs_science_popularisation_named(suggester):
    assert suggester.suggest("全县人均可支配收入2.5万元", "2.5万元", "CNY")[0] == ""
    assert suggester.suggest("科普经费按人均0.5元列入预算", "人均0.5元", "CNY_per_capita") == (
        "kepu_funding_per_capita",
        0.9,
    )


def test_activities_followed_by_their_participants_stay_activities(suggester):
    assert suggester.suggest("举办科普讲座30场次参与群众5000人次", "30场次", "event")[0] == "kepu_activities"
    assert suggester.suggest("200名科普志愿者参与服务", "200名", "person") == ("none", 0.9)


def test_persons_are_never_attendances_nor_attendances_persons(suggester):
    assert suggester.suggest("全市有3个科技辅导员", "3个", "count") == (
        "kepu_personnel",
        0.75,
    )  # 个 of persons: a step lower
    assert suggester.suggest("培训农民300人", "300人", "person")[0] == "people_trained"
    assert suggester.suggest("培训农民300人次", "300人次", "person_time")[0] == "kepu_participants"


def test_a_longer_term_wins_and_not_terms_rule_out():
    frame = pd.DataFrame(
        {
            "id": ["short", "long"],
            "zh": ["甲", "乙"],
            "unit": ["organisation"] * 2,
            "counts": ["x", "y"],
            "terms": ["协会", "技术协会"],
            "not_terms": ["", "农民"],
        }
    ).set_index("id", drop=False)
    suggester = FrameSuggester(frame, {}, lambda frame_unit, unit: True)
    assert suggester.suggest("全县有技术协会12个", "12个", "count") == ("long", 0.9)
    assert suggester.suggest("农民技术协会12个", "12个", "count") == ("short", 0.9)  # long ruled out by 农民


def test_the_threshold_is_the_lowest_suggested_step():
    assert MIN_FRAME_CONFIDENCE == 0.6


_PIECES = st.sampled_from(
    [
        "乡镇科协",
        "科普",
        "其中",
        "分别",
        "、",
        "，",
        "(",
        ")",
        "（园区）",
        "[2]",
        "人均",
        "增加",
        "到",
        "12",
        "3.5",
        "万",
        "个",
        "人次",
        "名",
        "元",
        "%",
        "的",
        "和",
        "shù",
        "较2015年的",
        "每个",
        " ",
    ]
)


@settings(max_examples=200, deadline=None)
@given(
    clause=st.lists(_PIECES, max_size=14).map("".join),
    raw=st.lists(_PIECES, min_size=1, max_size=3).map("".join),
    unit=st.sampled_from(
        [
            None,
            "count",
            "person",
            "person_time",
            "CNY",
            "CNY_per_capita",
            "percent",
            "number",
            "item",
            "event",
            "organisation",
            "mu",
        ]
    ),
    context=st.lists(_PIECES, max_size=6).map("".join),
    at=st.one_of(st.none(), st.integers(0, 40)),
)
def test_any_text_gets_a_frame_indicator_none_or_nothing_never_an_error(clause, raw, unit, context, at):
    suggester = _shared()
    frame_id, confidence = suggester.suggest(clause, raw, unit, context, at=at)
    assert frame_id in {"", "none", *suggester._units}
    assert 0.0 <= confidence <= 1.0
    assert (frame_id in ("", "none")) or confidence >= MIN_FRAME_CONFIDENCE


_SUGGESTER: list[FrameSuggester] = []


def _shared() -> FrameSuggester:
    if not _SUGGESTER:
        _SUGGESTER.append(FrameSuggester.from_data())
    return _SUGGESTER[0]


@pytest.mark.parametrize(
    ("clause", "raw", "unit", "context", "following", "expected", "why"),
    [
        (
            "全省公民具备科学素质的比例达11% 连续三年位居西部前列",
            "11%",
            "percent",
            "",
            "",
            ("citizen_scientific_literacy", 0.9),
            "a not_term far after the number (西部) says nothing of the number's noun",
        ),
        ("全市科普专、兼职人员3200人", "3200人", "person", "", "", ("kepu_personnel", 0.9), "专、兼职 = 专兼职"),
        (
            "规模达到5万人",
            "5万人",
            "person",
            "全省大力推进注册科普志愿者队伍建设，",
            "",
            ("kepu_volunteers", 0.9),
            "a size takes the noun of the clause before it",
        ),
        ("全省科普经费投入首次超过10亿元", "超过10亿元", "CNY", "", "", ("kepu_funding", 0.9), "投入 links"),
        ("县科协推荐的5个项目入选省级示范", "5个", "count", "", "", ("none", 0.9), "a selection"),
        ("2项活动被评为优秀活动", "2项", "item", "", "", ("none", 0.9), "an award"),
        ("30多家学会开展科普讲座活动", "30多家", "organisation", "", "", ("none", 0.9), "a campaign's participants"),
        (
            "12家企业科协",
            "12家",
            "organisation",
            "",
            "、20家园区科协组织了科普活动",
            ("none", 0.9),
            "the verb at the end of the list makes every item a participant",
        ),
        (
            "全县企业科协12家",
            "12家",
            "organisation",
            "",
            "，开展科普活动30场",
            ("enterprise_kexie", 0.9),
            "another clause",
        ),
        ("全省建有县级科技馆15座", "15座", "organisation", "", "", ("", 0.0), "科技馆 alone: a part of the frame"),
        (
            "全省科技馆和科学技术类博物馆共60个",
            "60个",
            "count",
            "",
            "",
            ("science_museums", 0.9),
            "both kinds together: the frame's count",
        ),
        ("网络直播吸引超200万人次观看", "超200万人次", "person_time", "", "", ("none", 0.9), "an online audience"),
        (
            "甲市和乙市分别达到18%和15%",
            "18%",
            "percent",
            "全省公民具备科学素质的比例超过12%，",
            "",
            ("citizen_scientific_literacy", 0.6),
            "the one share of the frame named earlier in the sentence, again for other places",
        ),
        (
            "常委会中占比超80%",
            "超80%",
            "percent",
            "基层科协代表中一线科技工作者占比超70%，",
            "",
            ("", 0.0),
            "a not_term in the number's own words: another body, a coder decides",
        ),
        (
            "全市公民具备科学素质的比例应达到10%",
            "10%",
            "percent",
            "",
            "",
            ("citizen_scientific_literacy", 0.9),
            "应 links",
        ),
        ("安排科普宣传专项经费20万元", "20万元", "CNY", "", "", ("kepu_funding", 0.9), "a term with a gap: 科普…经费"),
        ("全省人均科普宣传经费0.8元", "0.8元", "CNY", "", "", ("kepu_funding_per_capita", 0.9), "人均科普…经费"),
        ("③科普展板制作经费5万元", "5万元", "CNY", "", "", ("none", 0.75), "a line of a list of funds"),
        ("当年发展农村专业技术协会6个", "6个", "count", "", "", ("none", 0.9), "发展: new ones, an addition"),
        (
            "兼职人员800人",
            "800人",
            "person",
            "全市科普专、",
            "",
            ("kepu_personnel", 0.9),
            "a clause cut inside 专、兼职 is read with the words before it",
        ),
        ("征订6种科普读物", "6种", "item", "", "", ("none", 0.9), "a count of kinds"),
        ("开展农技培训120个课时", "120个", "count", "", "", ("none", 0.9), "class hours"),
        (
            "副高级职称及以上的科普人员达到300人",
            "300人",
            "person",
            "",
            "",
            ("none", 0.75),
            "a bound that defines the group: a part of the count",
        ),
        (
            "2024年财政拨款预算收入120万元",
            "120万元",
            "CNY",
            "县科协部门预算说明：",
            "",
            ("kexie_work_budget", 0.9),
            "the appropriations of the kexie's own department budget",
        ),
        (
            "③基层科普行动计划资金5万元",
            "5万元",
            "CNY",
            "",
            "",
            ("kepu_funding", 0.9),
            "a line naming a frame term word for word",
        ),
        (
            "线上线下参与人次达30万",
            "30万",
            "number",
            "",
            "",
            ("kepu_participants", 0.9),
            "online and offline together: attendances",
        ),
    ],
)
def test_rules_of_the_coders_frame_rulebook(suggester, clause, raw, unit, context, following, expected, why):
    assert suggester.suggest(clause, raw, unit, context, following=following) == expected, why


def test_a_term_with_a_gap_matches_only_a_few_characters():
    frame = pd.DataFrame(
        {"id": ["money"], "zh": ["经费"], "unit": ["CNY"], "counts": ["x"], "terms": ["科普…经费"], "not_terms": [""]}
    ).set_index("id", drop=False)
    suggester = FrameSuggester(frame, {}, lambda frame_unit, unit: frame_unit == unit)
    assert suggester.suggest("科普大篷车经费8万元", "8万元", "CNY") == ("money", 0.9)
    assert suggester.suggest("科普工作会议和青少年活动经费8万元", "8万元", "CNY")[0] == ""  # too far apart
