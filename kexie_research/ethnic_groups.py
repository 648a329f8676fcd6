"""The names of China's 55 minority nationalities, as they stand in the names of autonomous units.

A fact of the language of place names (黔南布依族苗族自治州 -> 黔南), not of any one place; read by the
place index of ``kexie extract`` and by ``scripts/extract_boundaries.py`` (which romanises the stems of
autonomous units). No imports, so a script can read it without the library's dependencies.

Example::

    >>> len(ETHNIC_GROUPS), "布依" in ETHNIC_GROUPS
    (55, True)
"""

from __future__ import annotations

__all__ = ["ETHNIC_GROUPS"]

#: The 55 minority nationalities of China, as their names appear in the names of autonomous units
#: (黔南布依族苗族自治州 -> 黔南): a fact of the language of names, not of any one place.
ETHNIC_GROUPS = (
    "蒙古",
    "回",
    "藏",
    "维吾尔",
    "苗",
    "彝",
    "壮",
    "布依",
    "朝鲜",
    "满",
    "侗",
    "瑶",
    "白",
    "土家",
    "哈尼",
    "哈萨克",
    "傣",
    "黎",
    "傈僳",
    "佤",
    "畲",
    "高山",
    "拉祜",
    "水",
    "东乡",
    "纳西",
    "景颇",
    "柯尔克孜",
    "土",
    "达斡尔",
    "仫佬",
    "羌",
    "布朗",
    "撒拉",
    "毛南",
    "仡佬",
    "锡伯",
    "阿昌",
    "普米",
    "塔吉克",
    "怒",
    "乌孜别克",
    "俄罗斯",
    "鄂温克",
    "德昂",
    "保安",
    "裕固",
    "京",
    "塔塔尔",
    "独龙",
    "鄂伦春",
    "赫哲",
    "门巴",
    "珞巴",
    "基诺",
)
