"""The noun phrase an English figure measures.

News English names a measure as the subject of the verb that introduces the number ("Tourism
revenue during the year reached 37.9 billion yuan"), as the object counted after it ("Tibet now
has 79 air routes", "27 counties have engaged in promoting e-commerce"), or in a phrase after
its unit ("90,000 kilometers of roads", "13 million yuan ... from online sales"). Each reading is
cleaned of clause openers, verbs, places, times and function words, and the first that still
names something is taken. A bare growth rate ("up 2.1 percent", "an increase of 55.2 percent")
names nothing: it measures the figure stated before it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from tibet_facts.store.extract.metric_vocab import Indicator, vocabulary


def _any(words: str) -> str:
    """A regular-expression alternation of space-separated words."""
    return "(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in words.split(",")) + ")"


# Clause breaks in English: not the comma of 19,924 nor the point of 1.08.
_BREAK = re.compile(r"[;:()]|(?<![0-9]),|,(?![0-9])|\.(?:\s|$)|\s--\s|\s—\s")
_PERCENT = {"percent", "per cent", "%", "percentage points", "percentage point", "pct"}
_DATELINE = re.compile(r"^.*?(?:\((?:Xinhua|MENAFN[^)]*|AFP|Reuters)\)\s*(?:--|—)?|--|—)\s*", re.I)
# Verbs that introduce a figure, their helpers and forms: a name ends before them.
_VERBS = frozenset("""
    reached reach reaches hit hits rose rise rises grew grow grows fell fall falls stood stands
    totaled totalled totals exceeded exceeds topped tops amounted came increased increases
    decreased expanded expands was were is are be been being has have had saw sees received
    receives receive generated generates added adds attracted attracts created creates create
    handled handles recorded records registered registers made makes make earned earns got get
    gets gained gains provided provides provide achieved achieves hosted hosts host constitutes
    constituted accounts accounted account covered covers cover helped helps help reduced
    reduces reduce cut cuts saved saves save spend spent spends take took takes averaging
    averaged averages reaching hitting totaling totalling exceeding surpassing surpassed will
    would can could may might shall should must expected estimated set sold sells built builds
    invested invests allocated allocates scheduled delivered delivers transported transports
    exported imported produced produces launched launches opened opens employed employs
    trained trains benefited benefits served serves ranked ranks said says showed shows
    reported reports announced noted located lies lie situated connected climbed jumped
    dropped declined surged
""".split())
# Verbs after which a clause reports another ("the bureau said GDP grew ..."): its subject
# comes after them.
_REPORTING = frozenset("said says showed shows reported reports announced noted".split())
# Words that frame a name without being part of it, at either end.
_AUX_OR_ADVERB = frozenset("""
    now also still already currently alone so far together altogether only just nearly about
    around approximately over more than up to by at of a an the total record some roughly almost
    less least as many much with for from in on into and its their this that there which who it
    they we i he she you year-on-year annual annually
""".split())
_OPENERS = ("and,but,while,with,which,that,there,including,where,when,as,so,also,then,"
            "meanwhile,moreover,besides,however,the,a,an,its,their,this,these,those,our,his,her,"
            "total,overall")
_LEAD = re.compile(r"^(?:" + _any(_OPENERS) + r"\s+)+", re.I)
_MONTHS = "january,february,march,april,may,june,july,august,september,october,november,december"
_TIME = re.compile(
    r"\b(?:" + _any("in,during,for,by,since,from,of,over,through") + r"\s+)?(?:the\s+)?(?:"
    r"(?:first|last|past|next|previous)\s+(?:\w+\s+)?"
    r"(?:years?|months?|quarters?|half(?:\s+of\s+the\s+year)?|days?|weeks?)"
    r"(?:\s+of\s+(?:19|20)\d\d)?|(?:19|20)\d\d|"
    + _any("this year,last year,the year,that year,next year," + _MONTHS)
    + r")(?:\s+(?:to|-)\s+\w+)?\b", re.I)
_PLACE_KINDS = "Autonomous Region,Region,County,Prefecture,City,Province,Township,Town,Village"
_PLACE_WORDS = re.compile(
    r"\b(?:(?:in|of|across|throughout|for)\s+)?(?:the\s+)?"
    r"(?:(?:south|north)(?:west|east)?(?:ern)?\s+)?(?:China's\s+)?(?:[A-Z][\w-]*\s+)*"
    + _any(_PLACE_KINDS + ",Tibet,Xizang,China,Lhasa") + r"(?:'s)?\b"
    r"|\b(?:in|of|across)\s+the\s+"
    + _any("region,country,city,county,prefecture,town,province") + r"\b")
_COMPASS = re.compile(r"\b(?:(?:in|of)\s+)?(?:south|north)(?:west|east)(?:ern)?\b", re.I)
_GROWTH_ONLY = re.compile(
    r"^(?:(?:a|an)\s+)?(?:"
    + _any("year-on-year,year-on year,annual,yearly,monthly,average,overall") + r"\s+)*"
    + _any("increase,rise,growth,decrease,decline,drop,jump,gain,up,down,higher,lower,increment")
    + "$", re.I)
# One word that names no measure by itself.
_GENERIC = frozenset("""
    people persons yuan percent times units items number total amount value figure growth
    increase rate share town city county region km kilometers meters tons kwh mw hours months
    years days record the it they those both each respectively average
""".split())
_STOPS = (r"(?!" + _any("to,in,for,from,by,at,on,with,under,are,is,were,was,have,has,had")
          + r"\b|and\s+reduce\b)")
_PARTICIPLE = re.compile(r"^\s*(?:have|has|had|were|was|are|is)\s+(?:been\s+)?"
                         r"((?:\w+ed|built|made|set|sold)(?:\s+(?!by\b|to\b)[\w-]+){0,4})", re.I)
_OF_PHRASE = re.compile(rf"^\s*of\s+(?:the\s+)?([\w'&-]+(?:\s+{_STOPS}[\w'&-]+){{0,5}})", re.I)
_FROM_IN = re.compile(r"^\s*(?:\([^)]*\)\s*)?(?:in|from|of)\s+(?:the\s+)?"
                      rf"([\w'&-]+(?:\s+{_STOPS}[\w'&-]+){{0,4}})", re.I)
_DISTANCE = re.compile(r"^\s*(?:away\s+)?(from|to)\s+([\w'-]+(?:\s+(?!and\b|in\b)[\w'-]+){0,5})",
                       re.I)
_FUNCTION = _any("at,of,an,a,the,in,on,for,with,and,to,by,from,its,their,is,are,was,were,has,have,"
                 "had") + r"\b"
_HEAD_OF = re.compile(rf"(?:^|\b{_FUNCTION}\s*)((?:(?!{_FUNCTION})[A-Za-z][\w'-]*\s+){{0,3}}"
                      rf"(?!{_FUNCTION})[A-Za-z][\w'-]*)\s+of\s*$", re.I)
_NUMBER_WORDS = re.compile(r"\b" + _any("one,two,three,four,five,six,seven,eight,nine,ten,hundred,"
                                        "thousand,million,billion") + r"\b", re.I)
_TIME_TO = re.compile(r"^\s*to\s+((?:[a-z][\w-]*\s*){1,3}?)(?=\s+(?:from|at|in|on|for)\b|[,.]|$)",
                      re.I)
_BRACKETED = re.compile(r"\([^()]*\)")
_PASSIVE = re.compile(r"^\s*(?:\([^)]*\)\s*)?"
                      r"(?:were|was|have\s+been|has\s+been|will\s+be|are|is)\s+"
                      r"((?:[a-z]+ed|spent|set)"
                      r"(?:\s+(?:to|for|into|on|in)(?:\s+[a-z][\w-]*){1,4})?)", re.I)
_TOWARDS = re.compile(r"\b(to|from)\s+(?:the\s+)?([a-z][\w'-]*(?:\s+[a-z][\w'-]*){0,3})\s*$", re.I)
# The words that go on a count's noun ("48 village-level service points"), up to a preposition.
_NOUN_GOES_ON = re.compile(r"^((?:\s+(?:and\s+)?[a-z][\w-]*){0,4}?)\s*(?=\b"
                           + _any("in,to,for,from,at,on,by,of,have,has,had,were,was,are,is,per,"
                                  "under,with,who,which,that") + r"\b|$)", re.I)
_PER = re.compile(r"^\s*(per\s+(?:day|year|month|person|household|capita))\b", re.I)
_SHARE_PREFIX = "share of "


def _words(text: str) -> list[str]:
    return text.split()


def _is_verb(word: str) -> bool:
    return word.lower() in _VERBS


def _trim_ends(text: str) -> str:
    """text without verbs, helpers and adverbs at its end, nor clause openers at its start."""
    words = _words(text)
    while words and (_is_verb(words[-1]) or words[-1].lower() in _AUX_OR_ADVERB):
        words.pop()
    text = _LEAD.sub("", " ".join(words))
    words = _words(text)
    while words and (_is_verb(words[0]) or words[0].lower() in _AUX_OR_ADVERB):
        words.pop(0)
    return " ".join(words)


def _strip_places(text: str, places: frozenset[str]) -> str:
    for name in sorted((p for p in places if p.isascii() and len(p) > 2), key=len, reverse=True):
        text = re.sub(rf"\b(?:(?:in|of)\s+)?{re.escape(name)}(?:'s)?\b", " ", text)
    text = _COMPASS.sub(" ", _PLACE_WORDS.sub(" ", text))  # "of southwest <place>"
    return re.sub(r"\s+", " ", text).strip()


def _clause_parts(text: str, places: frozenset[str]) -> tuple[str, str, str]:
    """A clause before its number as (subject, verb, object): the words before its first verb
    (after a reporting verb: "the bureau said ..."), its last verb, the words after that verb;
    all cleaned, the verb "" when there is none."""
    text = _TIME.sub(" ", _strip_places(re.sub(r"\([^()]*\)", " ", text), places))
    words = _words(text)
    reported = [i for i, w in enumerate(words) if w.lower() in _REPORTING]
    if reported:
        words = words[reported[-1] + 1:]
    verbs = [i for i, w in enumerate(words) if _is_verb(w)]
    if not verbs:
        return _trim_ends(" ".join(words)), "", ""
    before = _trim_ends(" ".join(words[:verbs[0]]))
    return before, words[verbs[-1]], _trim_ends(" ".join(words[verbs[-1] + 1:]))


def _subject(text: str, places: frozenset[str]) -> str:
    """The noun phrase of a clause before its number: its subject, or the object after its
    verb when nothing but a place stands before it ("Tibet received ...")."""
    before, _, after = _clause_parts(text, places)
    if before and not _bad(before):
        return before
    return after if after and not _bad(after) else before


def _bad(name: str) -> bool:
    """Whether a candidate names nothing: empty, digits, a bare generic word, a verb, a
    growth word, or too long to be a name."""
    words = _words(name)
    if not words or len(words) > 10 or re.search(r"\d", name) or _GROWTH_ONLY.match(name) or \
            _NUMBER_WORDS.search(name):
        return True
    if len(words) == 1 and (words[0].lower() in _GENERIC or _is_verb(words[0]) or
                            words[0].lower().endswith(("ed", "ly"))):
        return True
    return any(_is_verb(w) and w.lower() not in ("exports", "imports", "sales") for w in words[:1])


def _counted(unit: str, rest: str) -> str:
    """A count's noun phrase after its number: its unit words, the words that continue them,
    then "of ..." or what they "have engaged in" ("27 counties have engaged in promoting...")."""
    noun = re.sub(r"^(?:thousand|million|billion|mln|bln)\s+", "", unit.strip(), flags=re.I)
    # "40,000 people (including ...) have received": past the aside
    clause = _BREAK.split(_BRACKETED.sub(" ", rest))[0]
    more = _NOUN_GOES_ON.match(clause)
    tail = more.group(1) if more else ""
    clause = clause[len(tail):] if more else clause
    name = f"{noun}{tail}".strip()
    of = _OF_PHRASE.match(clause)
    per = _PER.match(clause)
    part = _PARTICIPLE.match(clause)
    if of:
        name = f"{name} of {of.group(1)}"
    elif per:
        name = f"{name} {per.group(1)}"
    elif part:
        name = f"{name} {part.group(1)}"
    return _trim_ends(name)


def name_en(before: str, rest: str, unit: str, places: Iterable[str] = ()) -> str:
    """An English metric phrase for a figure: before is its sentence up to the number, rest
    its clause after the unit, unit the unit's words as written ("air routes" for a count,
    "billion yuan" for money). Empty for a bare growth rate."""
    known = frozenset(places)
    before = _BRACKETED.sub(" ", before)  # "The gross domestic product (GDP) of ...": an aside
    datelined = "--" in before or "—" in before
    segments = _BREAK.split(_DATELINE.sub("", before) if datelined else before)
    clause = segments[-1]
    if len(segments) >= 3 and _is_verb((_words(clause) or [""])[0]):
        # "The Gyirong port, a key land port on the border, handled ...": the verb's subject
        # opens the sentence, before the apposition.
        clause = f"{segments[-3].strip()} {clause.strip()}"
    low_unit = unit.lower().strip()
    percent = low_unit in _PERCENT
    measured = low_unit.split()[-1] if low_unit.split() else ""
    subject = _subject(clause, known)
    if _GROWTH_ONLY.match(subject or "x") or subject.lower().endswith(("increase", "growth")) and \
            len(_words(subject)) <= 3:
        subject = ""
    candidates: list[str] = []
    head_of = _HEAD_OF.search(_strip_places(clause, known))
    if head_of:  # "at an altitude of", "a total tourism income of": the measure is named
        candidates.append(_trim_ends(head_of.group(1)))
    named_after = _indicator_after(rest)
    if named_after:  # "4,700 meters above sea level"
        candidates.insert(0, named_after)
    counted = not percent and measured not in _MEASURE_WORDS and bool(
        re.search(r"[a-z]", low_unit))
    if counted:
        candidates.append(_counted(unit, rest))
    if percent:
        of = _OF_PHRASE.match(rest)
        if of:
            whole = _trim_ends(_strip_places(of.group(1), known))
            candidates.append(f"{subject} share of {whole}" if subject and not _bad(subject) else
                              f"{_SHARE_PREFIX}{whole}")
    candidates.append(subject)
    if not percent:
        for pattern in (_OF_PHRASE, _FROM_IN):
            m = pattern.match(rest)
            if m:
                candidates.append(_trim_ends(_strip_places(m.group(1), known)))
        of = _OF_PHRASE.match(rest)
        subject_, verb, _ = _clause_parts(clause, known)
        if of and subject_ and verb.lower().endswith("ed") and not _bad(subject_) and not counted:
            # "The Gyirong port handled 180,000 tonnes of goods": what was handled, by whom.
            thing = _trim_ends(_strip_places(of.group(1), known))
            candidates.insert(0, f"{thing} {verb.lower()} by the {subject_}" if thing else "")
        spent = _TIME_TO.match(rest)
        if spent and measured in ("hours", "hour", "minutes", "days"):
            candidates.insert(0, f"time to {spent.group(1)}")
        measure = _FROM_IN.match(rest)
        money_word = measure and vocabulary().exact(measure.group(1), "money")
        if measure and money_word and subject and not _bad(subject):
            # "livestock products made 9 million yuan in sales": the sales of the subject
            candidates.insert(0, f"{measure.group(1)} of {subject}")
        passive = _PASSIVE.match(rest)
        if passive and measured in ("yuan", "dollars", "rmb"):
            # "300 million yuan were scheduled to be poured into ...": funds, as the text uses them
            candidates.append(_trim_ends(f"funds {passive.group(1)}"))
        away = re.match(r"^\s*away\b", rest)
        went = _TOWARDS.search(segments[-2]) if away and len(segments) >= 2 else None
        if went:  # "goes to the county seat, 50 km away"
            candidates.insert(0, f"distance {went.group(1).lower()} {went.group(2)}")
        distance = _DISTANCE.match(rest)
        if distance and measured in _LENGTH_WORDS:
            candidates.insert(0, f"distance {distance.group(1).lower()} {distance.group(2)}")
    named = (c for c in candidates if c and not _bad(c.removeprefix(_SHARE_PREFIX)))
    return _sentence_case(next(named, ""))


# Units that measure rather than count: a noun after them is not what is counted.
_LENGTH_WORDS = frozenset(("km", "kilometers", "kilometres", "meters", "metres", "miles"))
_MEASURE_WORDS = {"yuan", "dollars", "rmb", "km", "kilometers", "kilometres", "meters", "metres",
                  "tons", "tonnes", "kwh", "mw", "hours", "hour", "days", "years", "months",
                  "acres", "mu", "hectares", "miles", "gw", "kw", "square"}


def _indicator_after(rest: str) -> str:
    """An indicator named right after the unit ("meters above sea level"), as the vocabulary
    names it."""
    found = vocabulary().matches(_BREAK.split(rest)[0].lower())
    first = found[0] if found else None
    if first is not None and not rest[:first.start].strip() and " " in rest[first.start:first.end]:
        return first.indicator.en
    return ""


def share_core(name: str) -> str:
    """The measure a share is of ("share of installed capacity" -> "installed capacity")."""
    low = name.lower()
    if low.startswith(_SHARE_PREFIX):
        return name[len(_SHARE_PREFIX):]
    if " share of " in low:
        return name[: low.index(" share of ")]
    return name


def share_whole(name: str) -> str:
    """The whole of "A share of B" (B), "" for "share of X" (a share of X in its total)."""
    low = name.lower()
    return name[low.index(" share of ") + len(" share of "):] if " share of " in low else ""


def _sentence_case(name: str) -> str:
    """A name as it reads inside a table ("Clean energy" -> "clean energy"); a run of capitals
    is a proper name and stays ("Power Grid")."""
    words = _words(name)
    capital = len(words) >= 2 and words[0][:1].isupper() and words[0][1:].islower()
    if capital and not words[1][:1].isupper():
        return " ".join([words[0].lower(), *words[1:]])
    return name


def indicator_in(phrase: str, dim: str | None) -> Indicator | None:
    """The indicator an English phrase is, past the words that only frame it ("the total ...",
    "... in the region"): an alias that covers all but at most one of its words."""
    found = vocabulary().matches(phrase, dim)
    words = len(_words(phrase))
    for m in sorted(found, key=lambda m: m.start - m.end):
        if words == len(_words(phrase[m.start:m.end])):
            return m.indicator
    return None
