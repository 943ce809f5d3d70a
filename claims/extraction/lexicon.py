"""Word lists the rules run on: reporting verbs, titles, role nouns, organization words, outlets.

Everything here is data. Keep entries general (news English at large), never fitted to one article.
"""

from __future__ import annotations

import re

from claims.domain.forecasts import FORECAST_HEDGE_PHRASES, OTHER_HEDGE_PHRASES

# --------------------------------------------------------------------------------------------------
# Reporting verbs ("cues"). Each lemma maps to the forms that occur in news text.

_IRREGULAR = {
    "say": ("say", "says", "said", "saying"),
    "tell": ("tell", "tells", "told", "telling"),
    "write": ("write", "writes", "wrote", "writing", "written"),
    "think": ("think", "thinks", "thought", "thinking"),
    "know": ("know", "knows", "knew", "knowing", "known"),
    "see": ("see", "sees", "saw", "seeing", "seen"),
    "find": ("find", "finds", "found", "finding"),
    "show": ("show", "shows", "showed", "showing", "shown"),
    "read": ("read", "reads", "reading"),
    "hear": ("hear", "hears", "heard", "hearing"),
    "go on": ("go on", "goes on", "went on", "going on"),
    "point out": ("point out", "points out", "pointed out", "pointing out"),
    "echo": ("echo", "echoes", "echoed", "echoing"),
    "begin": ("begin", "begins", "began", "beginning", "begun"),
    "feel": ("feel", "feels", "felt", "feeling"),
    "understand": ("understand", "understands", "understood", "understanding"),
}


def _forms(lemma: str) -> tuple[str, ...]:
    if lemma in _IRREGULAR:
        return _IRREGULAR[lemma]
    if lemma.endswith("ee"):
        return (lemma, lemma + "s", lemma + "d", lemma + "ing")
    if lemma.endswith("e"):
        stem = lemma[:-1]
        return (lemma, lemma + "s", stem + "ed", stem + "ing")
    if lemma.endswith("y") and lemma[-2:-1] not in "aeiou":
        stem = lemma[:-1]
        return (lemma, stem + "ies", stem + "ied", lemma + "ing")
    if lemma in _DOUBLE:
        return (lemma, lemma + "s", lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing")
    if lemma.endswith(("s", "sh", "ch", "x", "z")):
        return (lemma, lemma + "es", lemma + "ed", lemma + "ing")
    return (lemma, lemma + "s", lemma + "ed", lemma + "ing")


_DOUBLE = {"quip", "admit", "plan", "regret", "commit", "submit", "jot", "chat", "brag", "concur", "rebut"}

# Verbs of saying: they attribute a direct quote placed next to them and an indirect one in
# their clausal complement.
SPEECH_VERBS = frozenset(
    """say tell add write explain note estimate ask answer reply respond state declare announce report
    argue insist warn claim contend maintain assert allege stress emphasize emphasise recall recount
    observe remark comment acknowledge concede admit confirm deny reveal disclose suggest
    predict forecast conclude complain lament boast brag joke quip muse tweet testify
    caution counter charge urge plead promise pledge vow vouch proclaim exclaim shout cry whisper
    describe elaborate clarify echo reiterate repeat speculate wonder guess opine posit theorize
    theorise surmise recommend propose advise indicate signal hint imply concur agree disagree
    protest retort rebut affirm underline underscore highlight summarize summarise characterize
    characterise accuse blame criticize criticise praise demand quote call
    dismiss express voice denounce condemn slam brand hail welcome reject threaten assure reassure
    """.split()
) | {"point out", "go on"}

# Cue verbs whose content is not a that-clause but what follows their object (see
# attribution._object_content): "described the summit as a turning point", "accused Pyongyang of
# supplying shells", "urged North Korea to return", "vowed to strengthen", "expressed hope that ...".
AS_CUES = frozenset(
    "describe criticize criticise dismiss characterize characterise brand denounce hail welcome call".split()
)
OF_CUES = frozenset("accuse blame criticize criticise praise condemn denounce slam".split())
INFINITIVE_CUES = frozenset("vow pledge promise threaten agree offer refuse urge call ask warn advise demand".split())
EXPRESSED_STATES = frozenset(
    """hope hopes optimism pessimism concern concerns confidence doubt doubts belief regret fear fears
    frustration skepticism scepticism support satisfaction disappointment anger alarm willingness""".split()
)

# Verbs of cognition and evidence: PolNeAR-style attributions of beliefs, hopes and findings.
# Only used for indirect attributions with a clausal complement.
BELIEF_VERBS = frozenset(
    """believe think feel hope expect fear worry doubt know understand assume suspect reckon figure
    find show suggest indicate conclude determine learn discover realize realise recognize recognise
    acknowledge see consider judge view regard want wish plan intend
    """.split()
)

# Cues that only count right next to a direct quote ("..." the diplomat continued).
QUOTE_ONLY_VERBS = frozenset({"continue", "go on", "begin", "conclude", "finish", "interrupt", "chime", "read"})

ALL_CUE_LEMMAS = SPEECH_VERBS | BELIEF_VERBS | QUOTE_ONLY_VERBS

FORM_TO_LEMMA: dict[str, str] = {}
for _lemma in sorted(ALL_CUE_LEMMAS):
    for _form in _forms(_lemma):
        FORM_TO_LEMMA.setdefault(_form, _lemma)
for _lemma, _fs in _IRREGULAR.items():
    if _lemma in ALL_CUE_LEMMAS:
        for _form in _fs:
            FORM_TO_LEMMA[_form] = _lemma

# Regex alternation of every cue form, longest first (multi-word forms like "pointed out" first).
CUE_FORMS_RE = "|".join(sorted((re.escape(f) for f in FORM_TO_LEMMA), key=len, reverse=True))
CUE_WORD = re.compile(rf"(?<![\w-])(?:{CUE_FORMS_RE})(?![\w-])", re.IGNORECASE)
ACCORDING_TO = re.compile(r"(?<![\w-])according to(?![\w-])", re.IGNORECASE)

# Forms that are strong enough to attribute a direct quote placed next to them.
DIRECT_CUE_LEMMAS = SPEECH_VERBS | QUOTE_ONLY_VERBS | {"think", "believe", "feel", "hope", "worry", "fear"}

# Words that may sit between a speaker and the cue: "Matsegora also noted", "he later said".
CUE_ADVERBS = frozenset(
    """also later then further again previously earlier recently once simply bluntly flatly
    repeatedly often frequently separately privately publicly reportedly allegedly has have had
    was were is are will would could may might did does do never always still just already
    quickly angrily""".split()
)

# --------------------------------------------------------------------------------------------------
# People: titles, honorifics, role nouns, pronouns.

# Titles printed before a name ("Ambassador Alexander Matsegora"); the lower-cased form, no dot.
TITLES = frozenset(
    """mr mrs ms miss mx dr prof professor sir dame lord lady ambassador president vice-president
    premier chancellor minister secretary senator sen sens rep reps representative congressman congresswoman
    gov governor mayor judge justice chief general gen admiral adm lt col colonel capt captain maj
    major sgt sergeant commander cmdr marshal lieutenant corporal pvt private
    king queen prince princess emperor empress pope cardinal bishop archbishop rev reverend father
    sister brother rabbi imam sheikh chairman chairwoman chair director deputy speaker leader
    comrade envoy consul attorney officer detective inspector superintendent commissioner
    dean provost rector principal coach del""".split()
)

# Honorifics that are not roles (they say nothing about a position).
PLAIN_HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "sir", "dame", "lord", "lady", "comrade"})

# Nouns that name a position or occupation; an appositive that holds one is an affiliation.
ROLE_NOUNS = frozenset(
    """pm ambassador diplomat envoy consul attache attaché charge chargé professor lecturer scholar
    coordinator rapporteur commissioner administrator undersecretary deputy physicist
    academic researcher fellow analyst expert specialist economist scientist historian strategist
    director president vice-president chairman chairwoman chair chief head founder co-founder
    executive ceo cfo coo cto officer official spokesman spokeswoman spokesperson representative
    minister secretary senator congressman congresswoman lawmaker legislator politician governor
    mayor leader premier chancellor commander general admiral colonel captain lieutenant soldier
    aide adviser advisor counselor counsellor consultant assistant manager editor reporter
    journalist correspondent columnist commentator author writer producer anchor host blogger
    lawyer attorney judge justice prosecutor advocate activist organizer campaigner candidate nominee
    frontrunner front-runner contender challenger incumbent member partner associate staffer
    strategist pollster operative surrogate donor supporter critic opponent dictator ruler king queen
    prince emperor monarch defector negotiator observer watcher insider source student teacher
    dean provost rector principal engineer physician doctor officer agent inspector investigator
    deputy delegate emissary secretary-general chairperson president-elect vice-chairman spokesperson
    trustee treasurer clerk administrator coordinator organiser organizer pastor priest rabbi imam
    bishop cardinal pope""".split()
)

# Nouns that, after "the", point back at a person ("the Russian diplomat", "the professor").
# Each maps to the role nouns it may stand for.
ROLE_CLASSES: dict[str, frozenset[str]] = {
    # A foreign or deputy foreign minister is "the diplomat" too.
    "diplomat": frozenset(
        {"ambassador", "diplomat", "envoy", "consul", "attache", "attaché", "charge", "chargé", "minister"}
    ),
    "ambassador": frozenset({"ambassador", "envoy"}),
    "envoy": frozenset({"ambassador", "envoy", "diplomat"}),
    "professor": frozenset({"professor", "lecturer", "academic"}),
    "academic": frozenset({"professor", "lecturer", "academic", "scholar", "researcher", "fellow"}),
    "scholar": frozenset({"professor", "lecturer", "academic", "scholar", "researcher", "fellow"}),
    "researcher": frozenset({"researcher", "fellow", "analyst", "scholar", "expert"}),
    "analyst": frozenset({"analyst", "researcher", "fellow", "expert", "scholar", "economist", "strategist"}),
    "expert": frozenset({"expert", "analyst", "researcher", "fellow", "scholar", "professor", "specialist"}),
    "economist": frozenset({"economist"}),
    # "The official said": anyone holding a public office.
    "official": frozenset(
        """official minister secretary spokesman spokeswoman spokesperson director officer coordinator aide
        adviser advisor ambassador envoy diplomat consul rapporteur commissioner administrator undersecretary
        deputy chief head negotiator representative governor mayor""".split()
    ),
    "rapporteur": frozenset({"rapporteur"}),
    "commissioner": frozenset({"commissioner"}),
    "coordinator": frozenset({"coordinator"}),
    "physicist": frozenset({"physicist", "scientist"}),
    "scientist": frozenset({"physicist", "scientist", "researcher"}),
    "minister": frozenset({"minister"}),
    "spokesman": frozenset({"spokesman", "spokesperson"}),
    "spokeswoman": frozenset({"spokeswoman", "spokesperson"}),
    "spokesperson": frozenset({"spokesman", "spokeswoman", "spokesperson"}),
    "senator": frozenset({"senator", "sen"}),
    "governor": frozenset({"governor", "gov"}),
    "candidate": frozenset({"candidate", "nominee", "frontrunner", "front-runner"}),
    "nominee": frozenset({"candidate", "nominee"}),
    "president": frozenset({"president"}),
    "leader": frozenset({"leader", "chairman", "premier", "president", "dictator"}),
    "lawmaker": frozenset({"lawmaker", "senator", "congressman", "congresswoman", "representative", "rep", "sen"}),
    "congressman": frozenset({"congressman", "representative", "rep"}),
    "director": frozenset({"director"}),
    "aide": frozenset({"aide", "adviser", "advisor"}),
    "adviser": frozenset({"aide", "adviser", "advisor"}),
    "advisor": frozenset({"aide", "adviser", "advisor"}),
    "general": frozenset({"general", "gen", "commander"}),
    "mayor": frozenset({"mayor"}),
    "businessman": frozenset({"businessman", "executive", "ceo", "founder", "chairman"}),
    "billionaire": frozenset({"businessman", "executive", "ceo", "founder", "chairman"}),
}

PRONOUNS_SINGULAR = {"he": "m", "she": "f"}
PRONOUNS_OTHER = frozenset({"they", "we", "i", "you", "it"})
PRONOUNS = frozenset(PRONOUNS_SINGULAR) | PRONOUNS_OTHER

# Common given names with a clear gender, to resolve "he"/"she" away from the wrong person. Small
# and general on purpose; unknown names never block a resolution.
FEMALE_NAMES = frozenset(
    """mary patricia jennifer linda elizabeth barbara susan jessica sarah karen nancy lisa betty
    margaret sandra ashley kimberly emily donna michelle dorothy carol amanda melissa deborah
    stephanie rebecca laura sharon cynthia kathleen amy shirley angela helen anna brenda pamela
    nicole emma samantha katherine christine debra rachel catherine carolyn janet ruth maria heather
    diane virginia julie joyce victoria olivia kelly christina lauren joan evelyn judith megan
    cheryl andrea hannah martha jacqueline frances gloria ann teresa kathryn sara janice jean alice
    madison doris abigail julia judy grace denise amber marilyn beverly danielle theresa sophia
    marie diana brittany natalie isabella charlotte rose alexis kayla hillary chelsea melania
    ivanka kellyanne huma donna nikki condoleezza madeleine angela theresa yulia svetlana olga
    irina natalia tatiana elena valentina anastasia yoo-jung jung-eun alicia marcia rita lucy ellen carmen
    rosa ana sofia gabriela jane kate katie molly tina wendy paula lori monica erin tracy stacy vanessa
    valerie veronica yvonne norma irene gina renata claire carla lucia elaine nora rosa""".split()
)
MALE_NAMES = frozenset(
    """james robert john michael william david richard joseph thomas charles christopher daniel
    matthew anthony mark donald steven paul andrew joshua kenneth kevin brian george timothy ronald
    edward jason jeffrey ryan jacob gary nicholas eric jonathan stephen larry justin scott brandon
    benjamin samuel gregory alexander frank patrick raymond jack dennis jerry tyler aaron jose adam
    nathan henry douglas zachary peter kyle noah ethan jeremy walter christian keith roger terry
    austin sean gerald carl harold dylan arthur lawrence jordan jesse bryan billy bruce gabriel joe
    logan albert willie alan eugene russell vincent philip bobby johnny bradley barack bill mike
    ted marco jeb newt mitt rudy chris ben reince vladimir dmitry sergei sergey alexei alexey andrei
    andrey mikhail nikolai ivan boris igor yuri oleg viktor xi charlie tom tim jim jimmy dave steve rick
    ron danny tony nick pete sam max luis carlos juan miguel jorge pedro antonio francisco manuel ricardo
    eduardo roberto fernando javier rafael mohammed ahmed omar hassan""".split()
)

# --------------------------------------------------------------------------------------------------
# Words that make a capitalized sequence an organization, place or thing rather than a person.

ORG_WORDS = frozenset(
    """university institute institution center centre ministry department agency news times post
    journal herald tribune gazette daily ilbo sinmun shimbun review magazine press network television
    tv radio channel broadcasting corporation party committee council commission association
    foundation fund company co corp inc ltd llc group bank army navy force forces corps guard service
    services office court senate house congress assembly parliament duma union republic kingdom
    federation states nations community coalition alliance movement campaign project program
    programme initiative trust club church school college academy hospital airport port station
    summit conference forum organization organisation administration government cabinet bureau
    authority board police embassy consulate mission command headquarters secretariat politburo
    presidium society league industries motors airlines energy oil gas electric systems solutions
    technologies media studios records reuters bloomberg cnn msnbc fox abc nbc cbs pbs npr bbc
    yonhap kcna tass itar-tass interfax xinhua afp twitter facebook google apple microsoft amazon
    youtube instagram whitehouse pentagon kremlin capitol treasury fbi cia nsa nato
    peninsula sea ocean river island islands mountain mountains street avenue square hall tower
    building bridge road war day week month year era act bill law treaty accord agreement deal
    report study survey poll index plan strategy doctrine policy province region district county city
    village valley north south east west northern southern eastern western central
    monday tuesday wednesday thursday friday saturday sunday january february september october
    november december jan feb mar apr jun jul aug sep sept oct nov dec
    museum library zoo garden stadium arena theater theatre hotel restaurant
    coast gulf bay strait straits canal zone border
    investigations intelligence enforcement customs security observer inquirer enquirer chronicle
    examiner courier dispatch telegraph sentinel coal steel mining holdings pharmaceuticals
    insurance enterprises petroleum chemicals airways railways""".split()
) | frozenset(
    # Sports teams' nicknames, plural, as a run's last word ("the Charlotte Panthers"): a team, not a person.
    """panthers vikings patriots cowboys eagles giants jets packers bears lions steelers ravens broncos
    raiders chargers chiefs colts texans titans jaguars dolphins bills saints falcons buccaneers seahawks
    cardinals rams 49ers redskins commanders browns bengals yankees mets dodgers cubs sox red-sox astros
    braves phillies nationals orioles mariners rangers royals twins tigers brewers pirates padres rockies
    marlins diamondbacks lakers celtics knicks bulls warriors spurs rockets mavericks hornets heat
    clippers nets pistons pacers bucks hawks grizzlies pelicans thunder blazers trail-blazers kings
    jazz suns nuggets timberwolves raptors wizards capitals penguins bruins canadiens flyers blackhawks
    islanders devils sabres senators oilers flames canucks leafs predators""".split()
)

# Countries, regions and capitals that appear in capitalized runs; a run made of them is a place.
PLACE_WORDS = frozenset(
    """korea russia china japan america usa us uk britain england france germany italy spain ukraine
    crimea syria iran iraq israel palestine egypt turkey india pakistan afghanistan vietnam mongolia
    taiwan australia canada mexico brazil cuba venezuela europe asia africa siberia pyongyang seoul
    moscow beijing tokyo washington london paris berlin kyiv kiev vladivostok perth brisbane sydney
    busan incheon kaesong rajin najin sinuiju wonsan hamhung dmz
    new york jersey california texas florida ohio virginia carolina iowa nevada arizona michigan
    pennsylvania wisconsin colorado georgia alabama utah oregon massachusetts illinois indiana
    minnesota missouri tennessee kentucky louisiana maryland connecticut maine vermont hampshire
    dakota montana idaho wyoming alaska hawaii kansas nebraska oklahoma arkansas mississippi
    los angeles francisco chicago boston philadelphia miami atlanta houston dallas detroit
    united states kingdom far east middle west northeast northwest southeast southwest""".split()
)

# Countries printed in full ("Saudi Arabia", "New Zealand"), folded: a run that is one of them is a place. Names
# that are also people's ("Jordan", "Chad", "Israel") are left out.
COUNTRY_NAMES = frozenset(
    """afghanistan albania algeria andorra angola argentina armenia austria azerbaijan bahamas bahrain bangladesh
    barbados belarus belgium belize benin bhutan bolivia botswana brunei bulgaria burundi cambodia cameroon
    colombia comoros congo croatia cyprus denmark djibouti ecuador eritrea estonia eswatini ethiopia fiji
    finland gabon gambia ghana greece grenada guatemala guinea guyana haiti honduras hungary iceland indonesia
    ireland jamaica kazakhstan kenya kiribati kosovo kuwait kyrgyzstan laos latvia lebanon lesotho liberia libya
    liechtenstein lithuania luxembourg madagascar malawi malaysia maldives mali malta mauritania mauritius
    micronesia moldova monaco montenegro morocco mozambique myanmar burma namibia nauru nepal netherlands
    nicaragua nigeria norway oman palau panama paraguay peru philippines poland portugal qatar romania rwanda
    samoa senegal serbia seychelles singapore slovakia slovenia somalia sudan suriname sweden switzerland
    tajikistan tanzania thailand togo tonga tunisia turkmenistan tuvalu uganda uruguay uzbekistan vanuatu
    yemen zambia zimbabwe""".split()
) | frozenset(
    " ".join(name.split())
    for name in """saudi arabia|south africa|new zealand|sri lanka|costa rica|el salvador|united arab emirates|
    czech republic|dominican republic|central african republic|ivory coast|papua new guinea|sierra leone|
    burkina faso|san marino|marshall islands|solomon islands|cape verde|east timor|timor-leste|hong kong|
    puerto rico|north macedonia|south sudan|equatorial guinea|trinidad and tobago|antigua and barbuda|
    bosnia and herzegovina|vatican city|north korea|south korea|great britain|united kingdom|united states|
    soviet union|the netherlands|the philippines|the gambia|the bahamas""".split("|")
)

# Adjectives of nationality or party that may precede a title ("Russian President").
DEMONYMS = frozenset(
    """north south east west northern southern korean koreans russian chinese japanese american
    british french german italian ukrainian syrian iranian iraqi israeli turkish indian pakistani
    australian canadian mexican european asian african soviet u.s. us uk un republican democratic
    democrat gop conservative liberal labour tory former then current acting late incoming outgoing
    senior top chief deputy first second foreign defense defence prime vice supreme state federal
    national local regional provincial municipal presidential""".split()
)

# Capitalized words that start sentences or titles and are never part of a name.
NON_NAME_WORDS = frozenset(
    """the a an and or but nor for so yet of in on at to by with from as into onto over under about
    after before during since until while when where why how what who whom whose which that this these
    those there here then now if unless although though because whether both either neither each
    every all any some many most much more less few several no not one two three four five six seven
    eight nine ten his her their our its my your we they he she it i you him them us me also even
    still just only however meanwhile moreover furthermore instead indeed thus hence therefore
    according said says say told asked added noted like unlike despite following amid among between
    against without within across through via per than last next other another such same new old
    featured image photo file updated posted read share tags related comments reply
    do does did is are was were be been has have had will would can could should may might must
    let yes oh well please thanks thank dear hello hi wonder ambassador everything everyone everybody
    nothing something anything anyone somebody nobody rival fellow longtime veteran""".split()
) - {"ambassador"}

# Words that name a group, a party or a publication, never one person ("Republicans said",
# "Politifact reported"): never a speaker's name on their own.
GROUP_WORDS = frozenset(
    """republicans democrats republican democrat conservatives liberals progressives libertarians
    independents voters supporters critics opponents officials analysts experts observers sources
    politico politifact yorker breitbart huffpost huffington salon slate vox axios reuters bloomberg
    yonhap kcna tass interfax xinhua sputnik nknews""".split()
)
# Abbreviations of states printed after names ("Sen. Jon Tester, D-Mont."): never a surname.
# Abbreviations printed with dots that can stand before a capitalized word without being initials of a
# name ("U.S. Ambassador", "U.N. Jane Doe"), folded without their dots.
DOTTED_ACRONYMS = frozenset(
    "us un uk eu dc usa ussr rok dprk nk sk pm am ad bc ny la gop nato uae prc roc ok ca".split()
)

STATE_ABBREVIATIONS = frozenset(
    """ala ariz ark calif colo conn del fla ga ill ind kan ky md mass mich minn miss mo mont neb nev okla
    ore pa tenn tex va vt wash wis wyo""".split()
)

# --------------------------------------------------------------------------------------------------
# Outlets: how an outlet shows itself in a text.

OUTLETS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    # (name, domain, names printed in "told X" / "X reported")
    ("NK News", "nknews.org", ("NK News", "NKNews")),
    ("The Hankyoreh", "hani.co.kr", ("The Hankyoreh", "Hankyoreh")),
    ("BBC", "bbc.com", ("BBC Korean", "BBC News", "BBC Russian", "BBC World Service", "the BBC", "BBC")),
    ("Yonhap", "yna.co.kr", ("Yonhap News Agency", "Yonhap")),
    ("The Korea Herald", "koreaherald.com", ("The Korea Herald", "Korea Herald")),
    ("The Korea Times", "koreatimes.co.kr", ("The Korea Times", "Korea Times")),
    ("Korea JoongAng Daily", "joongang.co.kr", ("Korea JoongAng Daily", "JoongAng Daily", "JoongAng Ilbo")),
    ("The Chosun Ilbo", "chosun.com", ("The Chosun Ilbo", "Chosun Ilbo")),
    ("Daily NK", "dailynk.com", ("Daily NK",)),
    ("38 North", "38north.org", ("38 North",)),
    ("The Diplomat", "thediplomat.com", ("The Diplomat",)),
    ("Reuters", "reuters.com", ("Reuters",)),
    ("Associated Press", "apnews.com", ("The Associated Press", "Associated Press", "the AP")),
    ("AFP", "afp.com", ("AFP", "Agence France-Presse")),
    ("CNN", "cnn.com", ("CNN",)),
    ("The New York Times", "nytimes.com", ("The New York Times", "the New York Times")),
    ("The Washington Post", "washingtonpost.com", ("The Washington Post", "the Washington Post")),
    ("The Guardian", "theguardian.com", ("The Guardian", "the Guardian")),
    ("RIA Novosti", "ria.ru", ("RIA Novosti",)),
    ("TASS", "tass.com", ("TASS", "ITAR-TASS")),
    ("Sputnik", "sputniknews.com", ("Sputnik",)),
    ("RT", "rt.com", ("RT",)),
    ("The Moscow Times", "themoscowtimes.com", ("The Moscow Times", "Moscow Times")),
    ("Voice of America", "voanews.com", ("Voice of America", "VOA")),
    ("Radio Free Asia", "rfa.org", ("Radio Free Asia", "RFA")),
)

DOMAIN_TO_OUTLET = {domain: name for name, domain, _ in OUTLETS}

# --------------------------------------------------------------------------------------------------
# Claim kinds. Phrases are matched case-insensitively on word boundaries; the matched text, as
# printed, becomes the hedge.

# The hedge vocabulary is declared once, with the probability each phrase implies, in
# claims.domain.forecasts.HEDGE_PHRASES: phrases strong enough to make a forecast on their own (no
# future tense needed), and those kept as a prediction's hedge but making one only beside a future
# marker ("I think it will ...").
HEDGE_PHRASES = FORECAST_HEDGE_PHRASES + OTHER_HEDGE_PHRASES
FORECAST_HEDGES = frozenset(FORECAST_HEDGE_PHRASES)

# Words that make a statement about the future a forecast.
FUTURE_MARKERS = re.compile(
    r"(?<![\w’'])(?:will|won['’]t|shall|would|is going to|are going to|going to|gonna|"
    r"in the (?:near |coming )?future|next (?:year|month|week|decade|spring|summer|autumn|fall|winter)|"
    r"in the coming (?:days|weeks|months|years)|soon|by (?:the end of )?(?:19|20)\d\d|eventually|"
    r"forecast|predict|prediction|expect(?:s|ed)?|anticipate[sd]?|projected|"
    r"likely|unlikely|possibility|probably|chances?)(?![\w’'])",
    re.IGNORECASE,
)


RECOMMENDATION_MARKERS = re.compile(
    r"(?<![\w’'])(?:should(?:n['’]t)?|ought to|needs? to|must(?:n['’]t)?|has to|have to|"
    r"it is (?:essential|necessary|important|vital|crucial|imperative) (?:that|to)|"
    r"it['’]s (?:essential|necessary|important|vital|crucial|imperative) (?:that|to)|"
    r"recommend(?:s|ed)?|urge[sd]?|call(?:s|ed)? (?:on|for)|had better|let['’]s)(?![\w’'])",
    re.IGNORECASE,
)

OPINION_MARKERS = re.compile(
    r"(?<![\w’'])(?:i think|i believe|i feel|we think|we believe|in my (?:view|opinion)|seems?|"
    r"appears?|important|significant|main|key|major|crucial|skillful|skilful|failure|success(?:ful)?|"
    r"good|bad|better|worse|best|worst|clearly|obviously|interested|satisfied|credit|"
    r"not (?:yet )?satisfied|hard|difficult|easy|risky|dangerous|stable|unstable|"
    r"very|too|quite|rather|really|potential|considerable|signals?|means?|shows?)(?![\w’'])",
    re.IGNORECASE,
)

FACT_MARKERS = re.compile(
    r"(?:\b(?:19|20)\d\d\b|\b\d+(?:[.,]\d+)?\s*(?:%|percent|per cent|million|billion|people|times|"
    r"tons?|tonnes|dollars|won|rubles|roubles|yuan)\b|\$\s?\d|"
    r"\b(?:formed|signed|met|held|sent|visited|announced|agreed|launched|opened|built|completed|"
    r"exchanged?|exchanges|took place|has been|have been|was|were|did)\b)",
    re.IGNORECASE,
)

# --------------------------------------------------------------------------------------------------
# Boilerplate that ends the article proper (matched against a stripped line, case-insensitively).

BOILERPLATE_LINE = re.compile(
    r"^(?:leave a (?:reply|comment)|fill in your details below|you are commenting using|"
    r"most (?:viewed|commented|read|popular|shared|emailed)(?: articles| stories| posts)?\b|"
    r"related (?:stories|articles|posts|news|content|coverage|reading)\b|"
    r"this entry was posted in\b|please direct questions or comments to\b|button that move|"
    r"featured image\s*:|connecting to %s|%d bloggers like this|"
    r"your email address will not be published|this site uses akismet|share this\s*:|like this\s*:|"
    r"click to (?:share|email|print)|filed under\s*:|tags?\s*:|copyright\b|©|all rights reserved|"
    r"subscribe (?:to|now)\b|sign up (?:for|to)\b|notify me of|post navigation|about the author\b|"
    r"you may also like|recommended (?:stories|articles|for you)|more from\b|comments?\s*\(\d+\)|"
    r"\d+ comments?$|log in to comment|join the discussion|loading\.\.\.$|"
    r"google\+ photo$|twitter picture$|facebook photo$|wordpress\.com logo$)",
    re.IGNORECASE,
)

# A staff byline at the end of a story: "By Yi Yong-in, staff reporter".
BYLINE_LINE = re.compile(
    r"^By\s+(?P<names>[A-Z][^\n,]{1,80}?)(?:,\s*(?:staff|senior|chief|special|political|diplomatic|"
    r"foreign|north korea|korea|moscow|seoul|washington|beijing|tokyo)?[\w\s]*"
    r"(?:reporter|writer|correspondent|editor|contributor|columnist))?\s*$"
)

MONTHS = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}

# The country a demonym before a title names, for the affiliation's organization: "Russian President"
# is the President of Russia. Multi-word demonyms first.
DEMONYM_COUNTRIES: dict[str, str] = {
    "north korean": "North Korea",
    "south korean": "South Korea",
    "russian": "Russia",
    "chinese": "China",
    "japanese": "Japan",
    "ukrainian": "Ukraine",
    "american": "United States",
    "u.s.": "U.S.",
    "us": "US",
    "british": "Britain",
    "french": "France",
    "german": "Germany",
    "australian": "Australia",
    "soviet": "Soviet Union",
    "mongolian": "Mongolia",
    "vietnamese": "Vietnam",
    "iranian": "Iran",
    "indian": "India",
    "canadian": "Canada",
    "belarusian": "Belarus",
}

# The names a country's government goes by in the news: the country, its capital, its formal name. A
# statement whose subject is one of these, made by that country's official, speaks for the speaker's side.
COUNTRY_ALIASES: dict[str, frozenset[str]] = {
    "North Korea": frozenset({"north korea", "pyongyang", "the dprk", "dprk", "the north"}),
    "South Korea": frozenset({"south korea", "seoul", "the republic of korea", "republic of korea", "the rok", "rok"}),
    "Russia": frozenset({"russia", "moscow", "the kremlin", "kremlin", "the russian federation", "russian federation"}),
    "China": frozenset({"china", "beijing"}),
    "Japan": frozenset({"japan", "tokyo"}),
    "Ukraine": frozenset({"ukraine", "kyiv", "kiev"}),
    "United States": frozenset(
        {
            "the united states",
            "united states",
            "the us",
            "the u.s.",
            "us",
            "u.s.",
            "the usa",
            "the u.s.a",
            "usa",
            "u.s.a",
            "washington",
            "america",
        }
    ),
}
for _name in ("US", "U.S.", "USA"):
    COUNTRY_ALIASES[_name] = COUNTRY_ALIASES["United States"]

# Government bodies whose name says which country they belong to: an official printed with one speaks
# for that country ("White House spokesperson", "a Unification Ministry official").
GOVERNMENT_BODIES: dict[str, str] = {
    "white house": "United States",
    "pentagon": "United States",
    "state department": "United States",
    "department of state": "United States",
    "blue house": "South Korea",
    "cheong wa dae": "South Korea",
    "unification ministry": "South Korea",
    "ministry of unification": "South Korea",
    "kremlin": "Russia",
}
