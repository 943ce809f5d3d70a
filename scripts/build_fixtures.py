#!/usr/bin/env python3
"""Build fixtures/curated.json: the hand-curated data set for the five seed articles.

    .venv/bin/python scripts/build_fixtures.py          # write fixtures/curated.json
    .venv/bin/python scripts/build_fixtures.py --check  # exit 1 if the committed file is out of date

The SPEC below is the data set, written to be read: outlets, organizations,
topics, experts with their aliases and affiliations as printed, the five
articles, the claims an editor would publish after reading them, the events the
forecasts are judged against (with evidence links), and the predictions with
their resolutions. Claims are given as fragments of the article text; this
script finds each one in the stored body and computes its offsets, and stops
with an error if a fragment is missing or occurs more than once without an
``occurrence`` saying which one is meant.

Derived values are computed with the project's own functions, never typed in:
article bodies with ``claims.domain.textfiles.read_article`` (what ingestion stores)
and their ``content_hash``, alias forms with ``claims.domain.names``, the
probability fields with ``claims.domain.forecasts.hedge_fields`` (as the prediction
services and ingestion store them) and horizon windows with ``parse_horizon``; every
resolution must pass ``claims.domain.resolutions.check_resolution``, the rules
``prediction_resolve`` applies.

Needs no database and no Django settings. Primary keys are fixed (1, 2, ...)
for the project's tables; the one user, the inactive "editorial" account that
resolved the fixture predictions, is referenced by natural key (its username)
so that loading never overwrites an existing account.
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from django.utils.text import slugify  # noqa: E402  (a pure function; no settings needed)

from claims.domain.forecasts import hedge_fields, parse_horizon  # noqa: E402
from claims.domain.names import name_match_key, normalize_name, sort_name  # noqa: E402
from claims.domain.resolutions import ResolutionRefused, check_resolution  # noqa: E402
from claims.domain.textfiles import content_hash, read_article  # noqa: E402
from claims.domain.topic_cues import TOPICS  # noqa: E402

SEEDS = ROOT / "seeds"
OUTPUT = ROOT / "fixtures" / "curated.json"

# Every timestamp in the fixture: when the editors reviewed the claims and resolved the predictions.
STAMP = "2025-01-15T09:00:00Z"
# Events after this date are not considered; resolution notes that depend on "so far" say so.
CUT_OFF = datetime.date(2024, 12, 31)
RESOLVER = "editorial"

# --------------------------------------------------------------------------------------------------------------
# The data set


@dataclass
class Organization:
    key: str
    name: str
    kind: str
    country: str
    acronym: str = ""
    website: str = ""


@dataclass
class Affiliation:
    key: str
    role: str
    organization: str | None = None
    is_former: bool = False


@dataclass
class Expert:
    name: str
    aliases: tuple[str, ...] = ()
    bio: str = ""
    affiliations: tuple[Affiliation, ...] = ()
    wikidata_id: str = ""
    kind: str = "other"  # claims.choices.ExpertKind, the curators' choice


@dataclass
class ClaimSpec:
    key: str
    expert: str
    fragment: str
    quote_type: str
    kind: str
    cue: str = ""
    speaker_mention: str = ""
    affiliation: str | None = None
    topics: tuple[str, ...] = ()
    occurrence: int | None = None  # which occurrence, when the fragment occurs more than once


@dataclass
class ArticleSpec:
    seed: str
    title: str
    outlet: str | None
    authors: str
    published_on: datetime.date | None
    date_precision: str
    claims: tuple[ClaimSpec, ...]
    why: str = ""  # the editors' reasons for outlet and date, for docs/predictions.md


@dataclass
class Evidence:
    url: str
    publisher: str
    title: str


@dataclass
class EventSpec:
    slug: str
    occurred_on: datetime.date
    title: str
    description: str
    topics: tuple[str, ...]
    evidence: tuple[Evidence, ...] = ()


@dataclass
class PredictionSpec:
    claim: str
    proposition: str
    hedge: str
    hedge_inverted: bool
    outcome: str
    events: tuple[str, ...]
    note: str
    horizon_text: str = ""  # read into a window by parse_horizon against the article's date


OUTLETS = [
    # (name, slug, domain, alternate names)
    ("NK News", "nk-news", "nknews.org", []),
    ("BBC", "bbc", "bbc.com", []),
    ("The Hankyoreh", "the-hankyoreh", "hani.co.kr", []),
    ("Segye Ilbo", "segye-ilbo", "segye.com", ["World Ilbo"]),
]

ORGANIZATIONS = [
    Organization(
        "kinu",
        "Korea Institute for National Unification",
        "think_tank",
        "South Korea",
        acronym="KINU",
        website="https://www.kinu.or.kr",
    ),
    Organization("kookmin", "Kookmin University", "university", "South Korea", website="https://www.kookmin.ac.kr"),
    Organization("curtin", "Curtin University", "university", "Australia", website="https://www.curtin.edu.au"),
    Organization("sejong", "Sejong Institute", "think_tank", "South Korea", website="https://www.sejong.org"),
    Organization("esi", "Eurasia Strategy Institute", "think_tank", "South Korea"),
    Organization(
        "ipus",
        "Institute for Peace and Unification Studies at Seoul National University",
        "university",
        "South Korea",
        acronym="IPUS",
    ),
    Organization("ru-embassy-dprk", "Embassy of Russia in North Korea", "government", "Russia"),
    Organization("kr-embassy-moscow", "South Korean Embassy in Moscow", "government", "South Korea"),
]


EXPERTS = [
    Expert(
        "Alexander Matsegora",
        kind="official",
        aliases=("Aleksandr Matsegora",),
        bio="Russian diplomat. Russia's ambassador to North Korea from December 2014, having been charge "
        "d'affaires ad interim of the embassy before (NK News, 13 February 2015).",
        affiliations=(Affiliation("matsegora-ambassador", "ambassador to the DPRK", "ru-embassy-dprk"),),
    ),
    Expert(
        "Cho Han-bum",
        kind="analyst",
        bio="Senior research fellow at the Korea Institute for National Unification (KINU), as of 2015.",
        affiliations=(Affiliation("cho-kinu", "senior research fellow", "kinu"),),
    ),
    Expert(
        "Andrei Lankov",
        kind="academic",
        aliases=("Andrey Lankov",),
        bio="Professor at Kookmin University in Seoul.",
        affiliations=(Affiliation("lankov-kookmin", "Professor", "kookmin"),),
    ),
    Expert(
        "Alexey Muraviev",
        kind="academic",
        aliases=("Alexei Muraviev",),
        bio="Associate professor at Curtin University in Perth, Australia (2019).",
        affiliations=(Affiliation("muraviev-curtin", "associate professor", "curtin"),),
    ),
    Expert(
        "Lee Jai-chun",
        kind="official",
        bio="Former South Korean ambassador to Russia.",
        affiliations=(Affiliation("lee-former-ambassador", "South Korean ambassador to Russia", is_former=True),),
    ),
    Expert(
        "Seung Kim",
        kind="official",
        bio="Printed as the former aide to South Korea's minister of unification (2014).",
        affiliations=(
            Affiliation("kim-former-aide", "aide to South Korea’s Minster of Reunification", is_former=True),
        ),
    ),
    Expert(
        "Sang-Jang Jung",
        kind="analyst",
        bio="Printed in 2014 as “a lead researcher at the Sejong Research Center”: the Sejong Institute.",
        affiliations=(Affiliation("jung-sejong", "lead researcher", "sejong"),),
    ),
    Expert(
        "Park Byung Hwan",
        kind="analyst",
        bio="Director of the Eurasia Strategy Institute; formerly the economic attaché at the South Korean "
        "Embassy in Moscow (2024).",
        affiliations=(
            Affiliation("park-esi", "director", "esi"),
            Affiliation("park-attache", "Economic Attaché", "kr-embassy-moscow", is_former=True),
        ),
    ),
    Expert(
        "Chang Yong-seok",
        kind="analyst",
        bio="Senior researcher at the Institute for Peace and Unification Studies at Seoul National University (2014).",
        affiliations=(Affiliation("chang-ipus", "senior researcher", "ipus"),),
    ),
]

M, C, L, MU, LEE = "Alexander Matsegora", "Cho Han-bum", "Andrei Lankov", "Alexey Muraviev", "Lee Jai-chun"
KIM, JUNG, PARK, CHANG = "Seung Kim", "Sang-Jang Jung", "Park Byung Hwan", "Chang Yong-seok"

ARTICLES = [
    ArticleSpec(
        seed="000_5516c7b38db440ae.txt",
        title="Kim Jong Un And Putin ‘Regularly’ Exchange Messages",
        outlet="NK News",
        authors="Leo Byrne",
        published_on=datetime.date(2015, 2, 13),
        date_precision="day",
        why="NK News: Cho Han-bum “told NK News”, the page cites NK News' KCNA Watch tool and carries the "
        "NK News URL slug. Date and byline printed: “February 13th, 2015Leo Byrne”.",
        claims=(
            ClaimSpec(
                "matsegora-exchanges",
                M,
                "high-level exchanges and dialogue were frequent, and that they took place at the “highest” level",
                "mixed",
                "factual",
                cue="told",
                speaker_mention="Ambassador Alexander Matsegora",
                affiliation="matsegora-ambassador",
                topics=("summit-diplomacy",),
            ),
            ClaimSpec(
                "matsegora-messages",
                M,
                "The leaders of the two countries regularly exchange messages",
                "direct",
                "factual",
                cue="said",
                speaker_mention="Matsegora",
                affiliation="matsegora-ambassador",
                topics=("summit-diplomacy",),
            ),
            ClaimSpec(
                "matsegora-main-event-2014",
                M,
                "the Putin’s November meeting with North Korean special envoy Choe Ryong Hae was “the main "
                "event in the bilateral relations in 2014.”",
                "mixed",
                "assessment",
                cue="noted",
                speaker_mention="Matsegora",
                affiliation="matsegora-ambassador",
                topics=("summit-diplomacy",),
            ),
            ClaimSpec(
                "cho-no-visit-in-may",
                C,
                "I expect it is hard for Kim Jong Un to visit Russia in May, as his authority is not stable yet, so "
                "it is risky to leave Pyongyang",
                "direct",
                "prediction",
                cue="told NK News",
                speaker_mention="Cho Han-bum",
                affiliation="cho-kinu",
                topics=("summit-diplomacy", "north-korean-domestic-politics"),
            ),
            ClaimSpec(
                "matsegora-unused-potential",
                M,
                "Taking into account the considerable unused potential, we are not yet satisfied with the level of its "
                "development. A lot has to be done in this direction in the future",
                "direct",
                "assessment",
                cue="continued",
                speaker_mention="the Russian diplomat",
                affiliation="matsegora-ambassador",
                topics=("economic-cooperation",),
            ),
            ClaimSpec(
                "cho-russia-interests",
                C,
                "Russia is interested not in North Korea itself. Russia is more interested in Siberia, Far East "
                "development and connecting the Korean Peninsula to sell its natural resources",
                "direct",
                "assessment",
                cue="added",
                speaker_mention="Cho",
                affiliation="cho-kinu",
                topics=("economic-cooperation",),
            ),
        ),
    ),
    ArticleSpec(
        seed="001_8a840d987bf18cb5.txt",
        title="North Korean and Russian leaders to meet for first time",
        outlet="BBC",
        authors="",
        published_on=datetime.date(2019, 4, 1),
        date_precision="month",
        why="BBC: Lee Jai-chun “told BBC Korean”, the BBC's own phrasing; the page is a blog repost "
        "(“posted ... by Grant Montgomery”, the reposter, so no byline is recorded). No date is printed: "
        "April 2019 (month precision) is read from the text, which announces the first Kim-Putin meeting "
        "(25 April 2019) as coming “soon” and calls the summit with the US (Hanoi, February 2019) "
        "a failure.",
        claims=(
            ClaimSpec(
                "lankov-no-sanctions-relief",
                L,
                "International sanctions are beginning to take effect and without a change in the US position, "
                "it’s very unlikely North Korea will be able to get sanctions relief and pick up trade with the "
                "outside world",
                "direct",
                "prediction",
                cue="says",
                speaker_mention="Professor Andrei Lankov",
                affiliation="lankov-kookmin",
                topics=("sanctions",),
            ),
            ClaimSpec(
                "muraviev-not-in-isolation",
                MU,
                "North Korea has to show the US “they’re not in isolation. If they can show that major "
                "powers are still backing them up, this will give them additional bargaining power to talk to the US "
                "and China.”",
                "mixed",
                "assessment",
                cue="says",
                speaker_mention="Alexey Muraviev",
                affiliation="muraviev-curtin",
                topics=("summit-diplomacy",),
            ),
            ClaimSpec(
                "muraviev-full-credit",
                MU,
                "[Kim Jong Un] needs to be given full credit",
                "direct",
                "assessment",
                cue="says",
                speaker_mention="Mr Muraviev",
                affiliation="muraviev-curtin",
                topics=("summit-diplomacy",),
            ),
            ClaimSpec(
                "muraviev-skillful",
                MU,
                "He is quite skillful in playing high-stakes diplomacy for North Korea’s economic interest "
                "– and for the survival of his own regime.",
                "direct",
                "assessment",
                cue="says",
                speaker_mention="Mr Muraviev",
                affiliation="muraviev-curtin",
                topics=("summit-diplomacy", "north-korean-domestic-politics"),
            ),
            ClaimSpec(
                "lee-not-much-from-russia",
                LEE,
                "I don’t think North Korea can get much from Russia",
                "direct",
                "prediction",
                cue="told BBC Korean",
                speaker_mention="Lee Jai-chun",
                affiliation="lee-former-ambassador",
                topics=("summit-diplomacy", "economic-cooperation"),
            ),
            ClaimSpec(
                "lee-a-show",
                LEE,
                "North Korea’s citizen know that the summit with US was a failure so the meeting with Russia "
                "could be a ‘show’ to the North Korean people.",
                "direct",
                "assessment",
                affiliation="lee-former-ambassador",
                topics=("summit-diplomacy", "north-korean-domestic-politics"),
            ),
        ),
    ),
    ArticleSpec(
        seed="002_360f085add26d301.txt",
        title="Korea’s World Ilbo reported that North Korea has dispatched Ryong-Hae Choi as ambassador to Russia",
        outlet=None,
        authors="",
        published_on=datetime.date(2014, 11, 1),
        date_precision="month",
        why="No outlet: the text reports what “Korea’s World Ilbo” (Segye Ilbo) reported, in the "
        "third person, so it is someone else's write-up of Segye Ilbo's story and its publisher is not named. "
        "No headline is printed: the title is the first sentence, shortened. No date is printed: November 2014 "
        "(month precision) is read from the text, which announces Choe Ryong-hae's visit of 17-24 November as "
        "coming and mentions the APEC summit under way (Beijing, 10-11 November 2014).",
        claims=(
            ClaimSpec(
                "kim-leverage",
                KIM,
                "North Korea may be using Putin as a leverage to get out of this isolation",
                "indirect",
                "assessment",
                cue="explained",
                speaker_mention="Seung Kim",
                affiliation="kim-former-aide",
                topics=("summit-diplomacy",),
            ),
            ClaimSpec(
                "kim-timing",
                KIM,
                "the timing for North Korea’s recent diplomatic move falls perfectly with the APEC (Asia-Pacific "
                "Economic Cooperation) summit meeting taking place and the G20 Lead Economies conference coming up",
                "indirect",
                "assessment",
                cue="added",
                speaker_mention="He",
                affiliation="kim-former-aide",
                topics=("summit-diplomacy",),
            ),
            ClaimSpec(
                "jung-military-cooperation",
                JUNG,
                "there is a high possibility of a military cooperation between Russia and North Korea",
                "indirect",
                "prediction",
                cue="estimated",
                speaker_mention="Sang-Jang Jung",
                affiliation="jung-sejong",
                topics=("military-cooperation",),
            ),
        ),
    ),
    ArticleSpec(
        seed="003_1ddc493ec9b58cb5.txt",
        title="North Korea-Russia talks are possible in the first half of this year",
        outlet=None,
        authors="",
        published_on=datetime.date(2024, 3, 1),
        date_precision="month",
        why="No outlet: the text names none (it cites the NYT and Russian state media as sources). No headline: "
        "the title is the opening clause. No date is printed: March 2024 (month precision) is read from the text: "
        "after Putin's re-election (17 March 2024, “the success of ... Putin’s fifth term”), "
        "with a UN sanctions-committee report “on the 20th”, before South Korea's general election in "
        "April.",
        claims=(
            ClaimSpec(
                "matsegora-roadmap",
                M,
                "We formed a roadmap based on the agreement between the two countries last September",
                "direct",
                "factual",
                cue="said",
                speaker_mention="He",
                affiliation="matsegora-ambassador",
                topics=("summit-diplomacy",),
            ),
            ClaimSpec(
                "matsegora-more-this-year",
                M,
                "More will be achieved this year, and human exchanges will be expanded.",
                "direct",
                "prediction",
                cue="said",
                speaker_mention="He",
                affiliation="matsegora-ambassador",
                topics=("summit-diplomacy", "people-to-people-exchanges"),
            ),
            ClaimSpec(
                "matsegora-mutual-travel",
                M,
                "One of the documents that President Putin will sign during his visit to North Korea is an agreement "
                "on mutual travel",
                "direct",
                "prediction",
                cue="added",
                speaker_mention="He",
                affiliation="matsegora-ambassador",
                topics=("summit-diplomacy", "people-to-people-exchanges"),
            ),
            ClaimSpec(
                "matsegora-crisis-from-us",
                M,
                "The cause of the heightened crisis surrounding the Korean Peninsula originated from the United States",
                "direct",
                "assessment",
                cue="added",
                speaker_mention="He",
                affiliation="matsegora-ambassador",
                topics=("korean-peninsula-policy",),
            ),
            ClaimSpec(
                "park-equidistance",
                PARK,
                "President Putin’s visit to North Korea signals a shift in Russia’s Korean Peninsula policy "
                "toward equidistant diplomacy with the two Koreas",
                "direct",
                "prediction",
                cue="said",
                speaker_mention="Park Byung Hwan",
                affiliation="park-esi",
                topics=("korean-peninsula-policy", "summit-diplomacy"),
            ),
            ClaimSpec(
                "park-overly-conscious",
                PARK,
                "North Korea was overly conscious of the U.S. about the Korean Peninsula issue and its relationship "
                "with Russia",
                "indirect",
                "assessment",
                cue="adding",
                speaker_mention="Park Byung Hwan",
                affiliation="park-esi",
                topics=("korean-peninsula-policy",),
            ),
        ),
    ),
    ArticleSpec(
        seed="004_ec7bb5bb060c0059.txt",
        title="North Korea sends special envoy to Russia",
        outlet="The Hankyoreh",
        authors="Yi Yong-in",
        published_on=datetime.date(2014, 11, 15),
        date_precision="day",
        why="The Hankyoreh: the page asks for comments at english@hani.co.kr and links to the original Korean "
        "article; “By Yi Yong-in, staff reporter”; “Posted on : 2014-11-15 16:12 KST”.",
        claims=(
            ClaimSpec(
                "chang-strategic-level",
                CHANG,
                "North Korea will probably try to use Choi Ryong-hae’s visit to Russia to upgrade bilateral "
                "relations from their current level of economic cooperation to a strategic level.",
                "direct",
                "prediction",
                cue="said",
                speaker_mention="Chang Yong-seok",
                affiliation="chang-ipus",
                topics=("summit-diplomacy", "economic-cooperation"),
            ),
            ClaimSpec(
                "chang-kim-visits-russia",
                CHANG,
                "Naturally, the culmination of this would be Kim Jong-un visiting Russia himself",
                "direct",
                "prediction",
                cue="said",
                speaker_mention="Chang Yong-seok",
                affiliation="chang-ipus",
                topics=("summit-diplomacy",),
            ),
        ),
    ),
]

EVENTS = [
    EventSpec(
        "2014-11-18-putin-receives-choe-ryong-hae",
        datetime.date(2014, 11, 18),
        "Putin receives Kim Jong Un's special envoy Choe Ryong-hae in Moscow",
        "Vladimir Putin met Choe Ryong-hae, a secretary of the Workers' Party of Korea sent to Russia as Kim Jong "
        "Un's special envoy, at the Kremlin; Choe handed over a letter from Kim. The visit's announced agenda "
        "included raising the level of political dialogue and trade and economic cooperation. (No evidence link: "
        "none could be verified for this fixture.)",
        ("summit-diplomacy",),
    ),
    EventSpec(
        "2015-04-30-kremlin-kim-will-not-attend-victory-day",
        datetime.date(2015, 4, 30),
        "The Kremlin says Kim Jong Un will not attend the 9 May Victory Day celebrations",
        "Kremlin spokesman Dmitry Peskov said Kim Jong Un, who had been invited to Moscow for the 70th anniversary "
        "of the end of the Second World War in Europe, had decided to stay in Pyongyang for reasons of North "
        "Korea's internal affairs. It would have been his first trip abroad as leader.",
        ("summit-diplomacy",),
        (
            Evidence(
                "https://www.themoscowtimes.com/2015/04/30/kremlin-north-koreas-kim-jong-un-will-not-attend-victory-"
                "day-parade-a46241",
                "The Moscow Times",
                "Kremlin: North Korea's Kim Jong Un Will Not Attend Victory Day Parade",
            ),
            Evidence(
                "https://www.refworld.org/docid/5565ba5e53.html",
                "Radio Free Europe/Radio Liberty (via Refworld)",
                "Russia: North Korea's Kim will not come to Moscow for Victory Day",
            ),
        ),
    ),
    EventSpec(
        "2015-05-09-victory-day-parade-without-kim",
        datetime.date(2015, 5, 9),
        "Moscow's Victory Day parade takes place without Kim Jong Un",
        "Russia held its largest Victory Day parade on Red Square for the 70th anniversary; Xi Jinping and some "
        "two dozen other foreign leaders attended, Kim Jong Un did not.",
        ("summit-diplomacy",),
        (
            Evidence(
                "https://en.wikipedia.org/wiki/2015_Moscow_Victory_Day_Parade",
                "Wikipedia",
                "2015 Moscow Victory Day Parade",
            ),
        ),
    ),
    EventSpec(
        "2019-04-25-first-kim-putin-summit-vladivostok",
        datetime.date(2019, 4, 25),
        "First Kim-Putin summit, on Russky Island in Vladivostok",
        "Kim Jong Un, on his first visit to Russia as leader, met Vladimir Putin at the Far Eastern Federal "
        "University on Russky Island. The talks ended without a joint statement or any announced agreement; Putin "
        "said he would brief the United States and China on Kim's position.",
        ("summit-diplomacy",),
        (
            Evidence(
                "https://edition.cnn.com/asia/live-news/kim-jong-un-vladimir-putin-summit-intl/index.html",
                "CNN",
                "Vladimir Putin and Kim Jong Un hold first summit",
            ),
            Evidence(
                "https://en.apa.az/media/vladimir-putin-and-kim-jong-un-meet-in-vladivostok-281303",
                "APA",
                "Vladimir Putin and Kim Jong-un meet in Vladivostok",
            ),
        ),
    ),
    EventSpec(
        "2023-09-13-kim-putin-summit-vostochny",
        datetime.date(2023, 9, 13),
        "Kim-Putin summit at the Vostochny Cosmodrome",
        "Kim Jong Un travelled by train to the Vostochny Cosmodrome in Russia's Amur region, toured the launch "
        "facilities with Putin and held talks with defence minister Sergei Shoigu among the participants; Putin "
        "said helping North Korea build satellites was why they had met there.",
        ("summit-diplomacy", "military-cooperation"),
        (
            Evidence(
                "https://www.hurriyetdailynews.com/putin-kim-begin-talks-at-russias-vostochny-spaceport-186233",
                "Hurriyet Daily News (AFP)",
                "Putin, Kim begin talks at Russia's Vostochny spaceport",
            ),
        ),
    ),
    EventSpec(
        "2024-03-28-russia-vetoes-panel-of-experts",
        datetime.date(2024, 3, 28),
        "Russia vetoes the renewal of the UN Panel of Experts on North Korea sanctions",
        "A US draft that would have extended to 30 April 2025 the mandate of the Panel of Experts assisting the "
        "Security Council's 1718 Committee failed on Russia's veto (13 in favour, China abstaining). The panel, "
        "which had monitored the sanctions since 2009, ended on 30 April 2024; the sanctions themselves stayed "
        "in force.",
        ("sanctions",),
        (
            Evidence(
                "https://press.un.org/en/2024/sc15648.doc.htm",
                "United Nations, Meetings Coverage and Press Releases",
                "Security Council Fails to Extend Mandate for Expert Panel Assisting Sanctions Committee on "
                "Democratic People’s Republic of Korea",
            ),
        ),
    ),
    EventSpec(
        "2024-06-19-putin-in-pyongyang-strategic-partnership-treaty",
        datetime.date(2024, 6, 19),
        "Putin visits Pyongyang; Russia and North Korea sign a Treaty on Comprehensive Strategic Partnership",
        "On Putin's first visit to North Korea since 2000, he and Kim Jong Un signed a Treaty on Comprehensive "
        "Strategic Partnership, which commits each side to provide military and other assistance without delay "
        "if the other comes under armed attack, and does not rule out military-technical cooperation.",
        ("summit-diplomacy", "military-cooperation"),
        (
            Evidence(
                "https://mia.mk/en/story/putin-kim-sign-new-agreement-on-russianorth-korea-ties",
                "MIA (dpa)",
                "Putin, Kim sign new agreement on Russia-North Korea ties",
            ),
            Evidence(
                "https://www.devdiscourse.com/article/politics/2988073-putin-and-kim-sign-historic-partnership-"
                "amidst-rising-global-tensions",
                "Devdiscourse",
                "Putin and Kim Sign Historic Partnership Amidst Rising Global Tensions",
            ),
        ),
    ),
    EventSpec(
        "2024-09-05-russian-tourist-groups-in-north-korea",
        datetime.date(2024, 9, 5),
        "More than ten Russian tourist groups have visited North Korea in 2024, Russia's minister says",
        "Group tourism from Russia to North Korea, stopped since 2020, resumed in February 2024 (the first foreign "
        "tourists since the pandemic). At the Eastern Economic Forum Russia's natural resources minister "
        "Alexander Kozlov said more than ten Russian groups had visited the Masikryong ski resort in 2024, with "
        "charter flights from Vladivostok twice a week.",
        ("people-to-people-exchanges",),
        (
            Evidence(
                "https://aif.ru/vef-2024/gornolyzhnyy-kurort-v-kndr-za-god-posetili-svyshe-10-grupp-turistov-iz-rf",
                "Argumenty i Fakty",
                "Горнолыжный курорт в КНДР за год посетили свыше 10 групп туристов из РФ",
            ),
            Evidence(
                "https://kvia.com/news/ap-national/2024/01/12/north-korea-to-welcome-russian-tourists-the-countrys-"
                "first-since-the-pandemic-report-says",
                "Associated Press (via KVIA)",
                "North Korea to welcome Russian tourists in February, the country’s first since the pandemic",
            ),
        ),
    ),
    EventSpec(
        "2024-12-04-strategic-partnership-treaty-in-force",
        datetime.date(2024, 12, 4),
        "The Russia-North Korea Treaty on Comprehensive Strategic Partnership enters into force",
        "The two deputy foreign ministers exchanged the instruments of ratification in Moscow (Putin had signed the "
        "ratification on 9 November, Kim on 11 November); the treaty, mutual-assistance clause included, took "
        "effect that day and replaced the friendship treaty of 2000.",
        ("military-cooperation",),
        (
            Evidence(
                "https://interfax.com/newsroom/top-stories/108291/",
                "Interfax",
                "Russia-N. Korea Treaty of Comprehensive Strategic Partnership takes effect - KCNA",
            ),
        ),
    ),
    EventSpec(
        "2024-12-26-mutual-travel-agreement-still-a-draft",
        datetime.date(2024, 12, 26),
        "Russia's foreign ministry says a new Russia-North Korea agreement on mutual travel is still being drafted",
        "Alexei Klimov, head of the Russian foreign ministry's consular department, told RIA Novosti that work on "
        "a draft agreement on mutual travel of the two countries' citizens was under way; the agreement in force "
        "dates from 1997. No such agreement had been signed during Putin's June visit.",
        ("people-to-people-exchanges",),
        (
            Evidence(
                "https://1prime.ru/20250830/kndr-861487412.html",
                "PRIME (Rossiya Segodnya)",
                "МИД заявил о необходимости проработки соглашения России и КНДР о поездках",
            ),
        ),
    ),
]

PREDICTIONS = [
    PredictionSpec(
        "cho-no-visit-in-may",
        "Kim Jong Un will not visit Russia in May 2015.",
        hedge="I expect",
        hedge_inverted=False,
        horizon_text="in May",
        outcome="came_true",
        events=("2015-04-30-kremlin-kim-will-not-attend-victory-day", "2015-05-09-victory-day-parade-without-kim"),
        note="Kim Jong Un did not go to Russia in May 2015. On 30 April the Kremlin said he had decided to stay in "
        "Pyongyang for internal reasons, and the Victory Day parade of 9 May, to which he had been invited, took "
        "place without him. Only the forecast is judged, not the reason given for it (that his authority was not "
        "yet stable).",
    ),
    PredictionSpec(
        "lankov-no-sanctions-relief",
        "Without a change in the US position, North Korea will not get sanctions relief.",
        hedge="very unlikely",
        hedge_inverted=True,
        outcome="came_true",
        events=("2024-03-28-russia-vetoes-panel-of-experts",),
        note=f"Held through the fixture's cut-off date, {CUT_OFF:%d %B %Y}: the US position had not changed and no "
        "UN Security Council sanctions on North Korea had been lifted or eased. Russia's veto of 28 March 2024 "
        "ended the Panel of Experts that monitored the sanctions, not the sanctions. North Korea's trade with "
        "Russia did grow from 2023 in breach of them, which is evasion rather than relief, so the second half of "
        "the sentence (“pick up trade with the outside world”) is not scored. An open-ended negative "
        "forecast can only hold so far: to be re-judged if sanctions are eased.",
    ),
    PredictionSpec(
        "lee-not-much-from-russia",
        "North Korea will not get much from Russia out of the summit.",
        hedge="I don’t think",
        hedge_inverted=True,
        outcome="came_true",
        events=("2019-04-25-first-kim-putin-summit-vladivostok",),
        note="Judged against the meeting the remark was about: the Vladivostok summit of 25 April 2019 ended "
        "without a joint statement, an agreement, aid or any help with sanctions. What North Korea obtained from "
        "Russia after 2023 (see the 2023 and 2024 events) came from a different situation, Russia's war in Ukraine, "
        "and is not held against the forecast.",
    ),
    PredictionSpec(
        "jung-military-cooperation",
        "Russia and North Korea will cooperate militarily.",
        hedge="high possibility",
        hedge_inverted=False,
        outcome="came_true_late",
        events=("2023-09-13-kim-putin-summit-vostochny", "2024-06-19-putin-in-pyongyang-strategic-partnership-treaty"),
        note="No horizon is printed, but the estimate was made in November 2014 about the moment, Choe Ryong-hae's "
        "visit and reports that Russia's navy might use the port of Najin, so it is read as a forecast for the "
        "next few years. Nothing like a military partnership followed then. It came nine years later: military "
        "matters were on the table at the Vostochny summit of September 2023, and the treaty of June 2024 commits "
        "each side to military assistance if the other is attacked. Came true, but late; scored as not happened "
        "within its horizon.",
    ),
    PredictionSpec(
        "chang-strategic-level",
        "North Korea will try to use Choe Ryong-hae's visit to upgrade its relations with Russia from economic "
        "cooperation to a strategic level.",
        hedge="probably",
        hedge_inverted=False,
        outcome="partly",
        events=(
            "2014-11-18-putin-receives-choe-ryong-hae",
            "2024-06-19-putin-in-pyongyang-strategic-partnership-treaty",
        ),
        note="Half right. The attempt is visible: Choe came as Kim's special envoy, was received by Putin on "
        "18 November 2014 with a letter from Kim, and the visit's agenda included raising the level of political "
        "dialogue. But the visit did not lift relations to a strategic level; that happened only with the "
        "Comprehensive Strategic Partnership Treaty of June 2024, ten years later and for other reasons.",
    ),
    PredictionSpec(
        "chang-kim-visits-russia",
        "Kim Jong Un will visit Russia.",
        hedge="Naturally",
        hedge_inverted=False,
        outcome="came_true_late",
        events=(
            "2015-04-30-kremlin-kim-will-not-attend-victory-day",
            "2019-04-25-first-kim-putin-summit-vladivostok",
        ),
        note="Presented as the natural culmination of the envoy's visit of November 2014, at a time when Kim was "
        "expected in Moscow for the Victory Day celebrations of May 2015. He did not go then (the Kremlin said so on "
        "30 April 2015); his first visit to Russia came on 24-25 April 2019, for the Vladivostok summit, four and "
        "a half years later. Came true late.",
    ),
    PredictionSpec(
        "matsegora-more-this-year",
        "In 2024 Russia and North Korea will achieve more in their relations, and human exchanges between them "
        "will expand.",
        hedge="will",
        hedge_inverted=False,
        horizon_text="this year",
        outcome="came_true",
        events=(
            "2024-06-19-putin-in-pyongyang-strategic-partnership-treaty",
            "2024-09-05-russian-tourist-groups-in-north-korea",
            "2024-12-04-strategic-partnership-treaty-in-force",
        ),
        note="Both halves happened within 2024. Relations went well beyond the roadmap of September 2023: "
        "Putin's state visit in June and the Comprehensive Strategic Partnership Treaty, in force from 4 December. "
        "Human exchanges expanded: group tourism from Russia resumed in February and by September more than ten "
        "groups had visited, with regular charter flights. The forecaster, Russia's ambassador, was describing "
        "plans his own government was carrying out; the score does not adjust for that.",
    ),
    PredictionSpec(
        "matsegora-mutual-travel",
        "President Putin will visit North Korea and sign documents there, among them an agreement on mutual travel.",
        hedge="will",
        hedge_inverted=False,
        outcome="partly",
        events=(
            "2024-06-19-putin-in-pyongyang-strategic-partnership-treaty",
            "2024-12-26-mutual-travel-agreement-still-a-draft",
        ),
        note="Putin did visit North Korea, on 18-19 June 2024, and signed documents there, the strategic "
        "partnership treaty first of all. But the agreement on mutual travel the ambassador named was not among "
        "them: in late December 2024 Russia's foreign ministry still described it as a draft being worked on. "
        "Partly.",
    ),
    PredictionSpec(
        "park-equidistance",
        "With Putin's visit to North Korea, Russia's Korean Peninsula policy will shift toward equidistant "
        "diplomacy with the two Koreas.",
        hedge="",
        hedge_inverted=False,
        outcome="did_not_happen",
        events=(
            "2024-03-28-russia-vetoes-panel-of-experts",
            "2024-06-19-putin-in-pyongyang-strategic-partnership-treaty",
            "2024-12-04-strategic-partnership-treaty-in-force",
        ),
        note="Russia did not move to an even distance between Seoul and Pyongyang: the visit produced a treaty "
        "with a mutual-assistance clause with North Korea alone, in force from 4 December 2024, after Russia had "
        "vetoed the panel monitoring the UN sanctions on the North in March. The shift was towards Pyongyang, past "
        "any balance. Read as a statement about direction only it would be half right; it is judged on what it "
        "says, equidistance. Unhedged: it counts in the hit rate, not in the Brier score.",
    ),
]

# --------------------------------------------------------------------------------------------------------------
# Building


class SpecError(Exception):
    """The spec does not match the seed texts (a fragment not found, ambiguous, ...)."""


def locate(body: str, fragment: str, *, occurrence: int | None, where: str) -> int:
    """The offset of ``fragment`` in ``body``; fails if it is absent, or repeated without an ``occurrence``."""
    positions, start = [], body.find(fragment)
    while start != -1:
        positions.append(start)
        start = body.find(fragment, start + 1)
    if not positions:
        raise SpecError(f"{where}: fragment not found: {fragment[:70]!r}")
    if occurrence is None:
        if len(positions) > 1:
            raise SpecError(f"{where}: fragment occurs {len(positions)} times; say which with occurrence=")
        return positions[0]
    if not 1 <= occurrence <= len(positions):
        raise SpecError(f"{where}: occurrence {occurrence} asked, the fragment occurs {len(positions)} times")
    return positions[occurrence - 1]


def build() -> list[dict]:
    rows: list[dict] = []

    def add(model: str, pk: int | None, fields: dict) -> None:
        row = {"model": model}
        if pk is not None:
            row["pk"] = pk
        row["fields"] = fields
        rows.append(row)

    stamps = {"created_at": STAMP, "updated_at": STAMP}

    add(
        "auth.user",
        None,
        {
            "username": RESOLVER,
            "password": "!",
            "first_name": "Editorial",
            "last_name": "desk",
            "email": "",
            "is_active": False,
            "is_staff": False,
            "is_superuser": False,
            "last_login": None,
            "date_joined": STAMP,
            "groups": [],
            "user_permissions": [],
        },
    )

    outlet_pk = {}
    for pk, (name, slug, domain, alternates) in enumerate(OUTLETS, 1):
        outlet_pk[name] = pk
        add("claims.outlet", pk, {"name": name, "slug": slug, "domain": domain, "alternate_names": alternates})

    organization_pk = {}
    for pk, org in enumerate(ORGANIZATIONS, 1):
        organization_pk[org.key] = pk
        add(
            "claims.organization",
            pk,
            {
                "name": org.name,
                "slug": slugify(org.name),
                "acronym": org.acronym,
                "kind": org.kind,
                "country": org.country,
                "website": org.website,
                "wikidata_id": "",
                **stamps,
            },
        )

    topic_pk = {}
    for pk, topic in enumerate(TOPICS, 1):
        topic_pk[topic.slug] = pk
        fields = {
            "slug": topic.slug,
            "name": topic.name,
            "description": topic.description,
            "cues": "\n".join(topic.cues),
        }
        add("claims.topic", pk, fields)

    expert_pk, affiliation_pk, affiliation_expert = {}, {}, {}
    alias_pk = affiliation_next = 0
    for pk, expert in enumerate(EXPERTS, 1):
        expert_pk[expert.name] = pk
        add(
            "claims.expert",
            pk,
            {
                "name": expert.name,
                "sort_name": sort_name(expert.name),
                "slug": slugify(expert.name),
                "wikidata_id": expert.wikidata_id,
                "bio": expert.bio,
                "kind": expert.kind,
                "kind_curated": True,
                "possible_duplicates": [],
                "version": 1,
                **stamps,
            },
        )
        seen = {}
        for spelling in (expert.name, *expert.aliases):
            normalized = normalize_name(spelling)
            if normalized in seen:
                raise SpecError(f"{expert.name}: aliases {seen[normalized]!r} and {spelling!r} normalize alike")
            seen[normalized] = spelling
            alias_pk += 1
            add(
                "claims.alias",
                alias_pk,
                {
                    "expert": pk,
                    "name": spelling,
                    "normalized": normalized,
                    "match_key": name_match_key(spelling),
                    "origin": "curated",
                },
            )
        for affiliation in expert.affiliations:
            affiliation_next += 1
            affiliation_pk[affiliation.key] = affiliation_next
            affiliation_expert[affiliation.key] = expert.name
            add(
                "claims.affiliation",
                affiliation_next,
                {
                    "expert": pk,
                    "organization": organization_pk[affiliation.organization] if affiliation.organization else None,
                    "role": affiliation.role,
                    "is_former": affiliation.is_former,
                    "start_date": None,
                    "end_date": None,
                },
            )

    claim_pk, claim_article, claim_spec = {}, {}, {}
    claim_next = 0
    for article_pk, spec in enumerate(ARTICLES, 1):
        body = read_article(SEEDS / spec.seed)
        add(
            "claims.article",
            article_pk,
            {
                "title": spec.title,
                "outlet": outlet_pk[spec.outlet] if spec.outlet else None,
                "authors": spec.authors,
                "url": "",
                "published_on": spec.published_on.isoformat() if spec.published_on else None,
                "date_precision": spec.date_precision,
                "language": "en",
                "body": body,
                "content_hash": content_hash(body),
                "source_file": spec.seed,
                "ingested_at": STAMP,
                "version": 1,
                **stamps,
            },
        )
        for claim in spec.claims:
            where = f"{spec.seed} / {claim.key}"
            if claim.affiliation and affiliation_expert[claim.affiliation] != claim.expert:
                raise SpecError(f"{where}: affiliation {claim.affiliation} belongs to another expert")
            start = locate(body, claim.fragment, occurrence=claim.occurrence, where=where)
            end = start + len(claim.fragment)
            assert body[start:end] == claim.fragment
            claim_next += 1
            claim_pk[claim.key] = claim_next
            claim_article[claim.key] = spec
            claim_spec[claim.key] = claim
            add(
                "claims.claim",
                claim_next,
                {
                    "article": article_pk,
                    "expert": expert_pk[claim.expert],
                    "affiliation": affiliation_pk[claim.affiliation] if claim.affiliation else None,
                    "text": claim.fragment,
                    "start": start,
                    "end": end,
                    "quote_type": claim.quote_type,
                    "cue": claim.cue,
                    "speaker_mention": claim.speaker_mention,
                    "kind": claim.kind,
                    "topics": [topic_pk[t] for t in claim.topics],
                    "status": "approved",
                    "reviewed_by": None,
                    "reviewed_at": STAMP,
                    "confidence": None,
                    "notes": "",
                    "sort_date": (spec.published_on or datetime.date(1, 1, 1)).isoformat(),
                    "version": 1,
                    **stamps,
                },
            )

    event_pk, event_date = {}, {}
    link_pk = 0
    for pk, event in enumerate(EVENTS, 1):
        if event.occurred_on > CUT_OFF:
            raise SpecError(f"{event.slug}: after the cut-off date {CUT_OFF}")
        event_pk[event.slug] = pk
        event_date[event.slug] = event.occurred_on
        add(
            "claims.event",
            pk,
            {
                "title": event.title,
                "slug": event.slug,
                "occurred_on": event.occurred_on.isoformat(),
                "date_precision": "day",
                "description": event.description,
                "topics": [topic_pk[t] for t in event.topics],
                **stamps,
            },
        )
        for link in event.evidence:
            link_pk += 1
            add(
                "claims.evidencelink",
                link_pk,
                {"event": pk, "url": link.url, "publisher": link.publisher, "title": link.title},
            )

    predictive = {key for key, claim in claim_spec.items() if claim.kind == "prediction"}
    covered = set()
    for pk, prediction in enumerate(PREDICTIONS, 1):
        if prediction.claim not in predictive:
            raise SpecError(f"prediction {pk}: claim {prediction.claim} is not a predictive claim")
        covered.add(prediction.claim)
        article = claim_article[prediction.claim]
        probability = hedge_fields(prediction.hedge, inverted=prediction.hedge_inverted)
        horizon = parse_horizon(prediction.horizon_text, article.published_on)
        if prediction.horizon_text and horizon.end is None:
            raise SpecError(f"prediction {pk}: no window read in {prediction.horizon_text!r}")
        try:
            check_resolution(
                outcome=prediction.outcome,
                event_dates=[event_date[e] for e in prediction.events],
                note=prediction.note,
                made=article.published_on,
                horizon_end=horizon.end,
            )
        except ResolutionRefused as refused:
            raise SpecError(f"prediction {pk}: {refused.message}") from None
        add(
            "claims.prediction",
            pk,
            {
                "claim": claim_pk[prediction.claim],
                "proposition": prediction.proposition,
                "hedge": prediction.hedge,
                "hedge_category": probability["hedge_category"],
                "hedge_inverted": prediction.hedge_inverted,
                "scale": probability["scale"],
                "probability_low": probability["probability_low"],
                "probability_high": probability["probability_high"],
                "probability": probability["probability"],
                "low_confidence": probability["low_confidence"],
                "horizon_text": horizon.text if prediction.horizon_text else "",
                "horizon_start": horizon.start.isoformat() if horizon.start else None,
                "horizon_end": horizon.end.isoformat() if horizon.end else None,
                "outcome": prediction.outcome,
                "events": [event_pk[e] for e in prediction.events],
                "resolved_by": [RESOLVER],
                "resolved_at": STAMP,
                "resolution_note": prediction.note,
                "version": 1,
                **stamps,
            },
        )
    missing = predictive - covered
    if missing:
        raise SpecError(f"predictive claims without a prediction: {sorted(missing)}")
    return rows


def render(rows: list[dict]) -> str:
    return json.dumps(rows, indent=1, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="fail if the committed fixture is out of date")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    try:
        text = render(build())
    except SpecError as exc:
        print(f"build_fixtures: {exc}", file=sys.stderr)
        return 2
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
        if current != text:
            print(f"{args.output} is out of date: run scripts/build_fixtures.py", file=sys.stderr)
            return 1
        print(f"{args.output} is up to date.")
        return 0
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    print(f"Wrote {args.output} ({len(text):,} bytes).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
