"""Newsletter furniture by role, wherever it stands: sponsor and ad markers, share, referral,
feedback and poll prompts, social follow rows, "view in browser", footers, job boards and
the like. Each rule has a name, so whatever is left out of the stories can say why."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from reader._parse.blocks import Block, Kind, word_count


class Rule(StrEnum):
    """Why a block is not story text."""

    SPONSOR = "sponsor"  # an ad, or the line that marks one
    FOOTER = "footer"  # unsubscribe, address, copyright and everything after them
    PROMPT = "prompt"  # share, refer, forward, reply, feedback and poll prompts
    SOCIAL = "social"  # "Follow us on …" and rows of network names
    BROWSER = "browser"  # "View in browser", "Are you reading this in Gmail?"
    MENU = "menu"  # "ADVERTISE // CAREERS // SHOP", "View Online | Sign Up"
    SECTION = "section"  # a whole section that is furniture: jobs, trivia, birthdays
    JOBS = "jobs"  # "Acme is hiring a …", "Post a job", job boards
    CREDIT = "credit"  # "Thanks to … for editing", photo credits
    BUTTON = "button"  # a lone call-to-action button: "Start a free trial"
    MASTHEAD = "masthead"  # the letter's own title and greeting, before its first story
    EMPTY = "empty"  # a unit with a headline and no text at all


class Marker(StrEnum):
    """A sponsor marker: ``LABEL`` says the unit it sits in is an ad ("Sponsored",
    "*This is sponsored advertising content."); ``PRESENTER`` only names who pays for the
    letter ("Presented by …"), and what follows it is still news."""

    LABEL = "label"
    PRESENTER = "presenter"


_LABEL_MARKER = re.compile(
    r"^\W*(?:sponsored|sponsor|advertisement|advertorial|ad|paid (?:post|content|partnership)"
    r"|partner content|from our (?:sponsors?|partners?)|a (?:message|word) from (?:our )?"
    r"(?:sponsors?|partners?)?|in partnership with|anzeige|werbung|publicité|publicidad"
    r"|patrocinado|contenu sponsorisé|gesponsert|partenaire|en colaboración con)\b"
    r"|\bthis (?:is|was) (?:a )?sponsored\b|\bsponsored (?:advertising )?content\b"
    r"|^\W*a message from\b",
    re.I,
)
# "Acme Cloud: ship faster (Sponsor)": a marker in a headline, never in a sentence.
_HEADLINE_MARKER = re.compile(
    r"\((?:sponsor|sponsored|ad|partner)\)|\[(?:sponsor|sponsored|ad)\]", re.I
)
_UNSUBSCRIBE_SENTENCE = re.compile(
    r"\b(?:please|you can|to|here to|may|easily) unsubscribe\b", re.I
)
# The line that signs an ad off rather than heading it.
SIGN_OFF = re.compile(
    r"\bthis (?:is|was) (?:a )?(?:sponsored|paid|advertis)|\bsponsored (?:advertising )?content"
    r"|\bgesponserte\w* werbe|\bcontenido patrocinado|\bcontenu sponsoris",
    re.I,
)
_PRESENTER_MARKER = re.compile(
    r"\b(?:presented by|together with|brought to you by|made possible by"
    r"|supported by|in partnership with|präsentiert von|présenté par|en partenariat avec"
    r"|avec le soutien de|patrocinado por|presentado por)\b",
    re.I,
)
# Past this many words a line that mentions a sponsor is a sentence about one, not a marker.
_MARKER_WORDS = 16
_LINE_MARKER_WORDS = 8

_RULES: tuple[tuple[Rule, re.Pattern[str], int], ...] = (
    (
        Rule.FOOTER,
        re.compile(
            r"unsubscribe|opt[ -]out|manage (?:your )?(?:preferences|subscription|e-?mail)"
            r"|update (?:your )?(?:preferences|profile|subscription)|email preferences"
            r"|all rights reserved|^copyright\b|©|\(c\) \d{4}"
            r"|you(?: are|['’]re) receiving this|you received this|you(?: are|['’]re) getting this"
            r"|\b(?:receiving|getting|sent) .{0,40}because you\b|\bsent to you because\b"
            r"|\bbecause you (?:signed up|subscribed|opted in|registered)\b"
            r"|\bis published by\b|\bautomated (?:message|e-?mail)\b|\bdo not reply to this\b"
            r"|\bvous recevez (?:cet e-?mail|ce courriel|cette newsletter)\b"
            r"|\breader-supported publication\b|\bbecoming a (?:free or )?paid subscriber\b"
            r"|^\W*powered by\b|\bsent (?:with|via|using) (?:beehiiv|substack|mailchimp|ghost"
            r"|buttondown|kit|convertkit|campaign monitor)\b"
            r"|(?:was|were) sent to \S+@|this (?:e-?mail|newsletter) was sent"
            r"|add us to your (?:address book|contacts)|privacy policy|terms of (?:service|use)"
            r"|se désabonner|désinscri|désabonnement|abmelden|abbestellen|darse de baja"
            r"|cancelar (?:la )?suscripción|mailing address|our mailing address",
            re.I,
        ),
        40,
    ),
    (
        Rule.BROWSER,
        re.compile(
            r"view (?:this (?:e-?mail|newsletter|issue) )?(?:in|on) (?:your |a )?(?:web )?browser"
            r"|view (?:it )?online|read (?:it |this )?online|view as (?:a )?web ?page"
            r"|(?:are you )?reading this in (?:gmail|outlook|your inbox)|^\W*read in (?:the )?app\b"
            r"|^\W*(?:open|get) (?:it )?in (?:the )?app\b"
            r"|trouble (?:viewing|reading)"
            r"|having trouble seeing|display(?:ing)? (?:problems|issues)|web version"
            r"|version en ligne|voir (?:la version )?(?:en ligne|dans (?:votre|le) navigateur)"
            r"|im browser (?:ansehen|anzeigen|öffnen)|ver (?:en|en el) navegador|ver online",
            re.I,
        ),
        20,
    ),
    (
        Rule.PROMPT,
        re.compile(
            r"^\W*(?:share|forward|refer|reply|restack|like|comment|comments|partager|teilen"
            r"|compartir)\W*$"
            r"|^\W*(?:sharing is caring|tell a friend|hit reply|send us|got a tip|tips\?|ideas\?"
            r"|how did we do|how was today|what(?:['’]d| did) you think|did you enjoy"
            r"|enjoy(?:ed|ing)? (?:this|today)|was this (?:e-?mail )?(?:forwarded|useful)"
            r"|(?:were|was) you forwarded|not subscribed|new here\?|subscribe (?:here|now|today)"
            r"|sign up (?:here|now|today)|like what you (?:see|read)|love (?:this|it)\b"
            r"|earn (?:rewards|free)|click here to|invite (?:your )?friends|share on\b)"
            r"|\brefer(?:ral)? (?:a friend|program|link|rewards)\b|\byour referral\b"
            r"|\bshare (?:this|today['’]?s|it with|with (?:a|your) (?:friend|colleague))"
            r"|\bforward (?:this|it)(?: e-?mail| newsletter| issue)? to\b"
            r"|\bwas this (?:e-?mail |issue |newsletter )?(?:forwarded|useful|helpful)\b"
            r"|\b(?:just )?(?:respond|reply) to this (?:e-?mail|newsletter|message)\b"
            r"|\bsign up here\b|\bgoes out every\b|\bpartag(?:ez|er)\b|\breenviado\b"
            r"|\bleiten sie \w+ an .{0,30}weiter\b|\blimit of free articles\b"
            r"|\bwith your friends\b|\bacquire free\b|\bget free swag\b|\bget the goods\b"
            r"|^\W*vous aimez\b[^.!]{0,60}\?|\bvous est offerte?\b|\bsubscribe at this link\b"
            r"|^\W*send (?:us )?(?:\w+ )?(?:your )?tips\b|\btips? to \S+@"
            r"|\byou (?:currently )?have \d+ referrals?\b|\bcopy and paste this link\b"
            r"|\bunlimited access\b|\bjust (?:hit )?reply to this\b|\bvote\b.*\?"
            r"|\brate (?:this|today['’]?s)\b|\bsubscribe to (?:our|the|this)\b"
            r"|\bsign up for (?:our|the|free)\b|\bsigned up for\b|\bweiterempfehlen\b"
            r"|\btell your friends\b|\bget rewards\b|\bwant to (?:advertise|work (?:at|for|with))\b"
            r"|\badvertise (?:with|in) (?:us|our)\b|\bwe['’]re hiring\b",
            re.I,
        ),
        24,
    ),
    (
        Rule.PROMPT,
        re.compile(
            r"^\W*(?:invite (?:your )?(?:friends|colleagues|coworkers)|refer \d+|forward it along"
            r"|want to (?:list|submit|share|suggest|advertise|sponsor|work|reach)"
            r"|know (?:something|someone) (?:we|who|that)|got a (?:tip|story|question|scoop)"
            r"|reply and (?:tell|let)|how (?:useful|helpful) was|login or subscribe"
            r"|subscribe (?:for free|here)|play (?:today['’]s|the) (?:puzzles?|games?|crossword)"
            r"|advertise (?:in|with)|get our rate card|wie gefällt ihnen|hat ihnen .{0,40} gefallen"
            r"|¿te ha gustado|reenv[ií]a(?:lo|la)? |une remarque|abonnez-vous|inscrivez-vous"
            r"|transférez|empfehlen sie uns)",
            re.I,
        ),
        24,
    ),
    (
        Rule.JOBS,
        re.compile(
            r"\b(?:is|are) hiring (?:an? |for )(?:\w+ ){0,3}(?:engineers?|developers?|analysts?"
            r"|designers?|managers?|editors?|reporters?|writers?|controllers?|scientists?|interns?"
            r"|leads?|specialists?|associates?|producers?|fellows?|accountants?|counsel)\b"
            r"|^\W*post a job\b|\bjobs? board\b|^\W*stellenmarkt\b"
            r"|^\W*(?:browse|see) (?:all |more )?(?:the )?(?:\w+ )?jobs\b|\bofertas? de empleo\b",
            re.I,
        ),
        30,
    ),
    (
        Rule.CREDIT,
        re.compile(
            r"^\W*(?:thanks to .{1,60} for (?:editing|copy ?editing|producing)|(?:copy )?edited by"
            r"|this (?:newsletter|letter|issue|email) was (?:edited|produced) by"
            r"|(?:photo|image|illustration)(?: credit)?s?:|photo by)"
            r"|\b(?:getty images|shutterstock|ap photo|afp via getty|reuters/)\b",
            re.I,
        ),
        14,
    ),
    (
        Rule.SOCIAL,
        re.compile(
            r"^(?:follow|find|connect with|join) us\b|\bfollow (?:us|me) on\b"
            r"|^(?:(?:twitter|x|facebook|linkedin|instagram|youtube|tiktok|threads|bluesky"
            r"|mastodon|rss|email|whatsapp|telegram)\W*){2,}$|suivez-nous|folgen sie uns"
            r"|síguenos",
            re.I,
        ),
        20,
    ),
    (
        Rule.MENU,
        re.compile(r"^(?:[^|/•·]{1,30}\s*(?:\||//|•|·)\s*){2,}[^|/•·]{1,30}$"),
        16,
    ),
)
_FOOTER_SENTENCE_WORDS = 40
# "Share The Build Log", "Subscribe", "Follow": a few words that only ask.
_SHORT_PROMPT = re.compile(
    r"^\W*(?:share|forward|invite|refer|subscribe|reply|donate|upgrade"
    r"|thanks for reading|until (?:next time|tomorrow)|see you (?:next|tomorrow)"
    r"|\d+[ -]min(?:ute)?s? read$)\b",
    re.I,
)
_SHORT_PROMPT_WORDS = 6
_BUTTON_WORDS = 5
# What an ad asks the reader to do ("Try it free"): with a sponsor marker, it marks an ad.
CALL_TO_ACTION = re.compile(
    r"^\W*(?:learn more|get started|try (?:it )?(?:for )?free|start (?:your |a )?(?:free )?trial"
    r"|sign up|claim|download|book a (?:demo|call)|shop now|buy now|get (?:it|yours|the app"
    r"|access|\d+%)|register|apply now|join (?:now|free|today)|request a demo|see how"
    r"|find out (?:more|how)|discover more|check it out|start now|start (?:building|saving)"
    r"|order now|reserve|subscribe now|unlock|watch now|read the report|get the guide"
    r"|jetzt\b|mehr erfahren|kostenlos testen|en savoir plus|essayer|découvrir|prueba"
    r"|descubre|más información|sign in|log in|apply here|apply today|abrir (?:una )?cuenta"
    r"|ouvrir un compte|konto eröffnen|open an account|scopri|scarica|iscriviti|ontdek"
    r"|probeer gratis|saiba mais)\b",
    re.I,
)
# "BIRTHDAYS: …", "TRANSITIONS — …": a furniture section run into one paragraph.
_SHOUTED_LEAD = re.compile(r"^(?P<name>[A-Z][A-Z’' ]{3,30})\s*[:—–]")
# A section banner over a run of units that are furniture, not news.
_FURNITURE_SECTION = re.compile(
    r"\b(?:jobs?|job board|hiring|careers?|job search|open roles|stellenangebote|empleo"
    r"|offres d['’]emploi|trivia|quiz|puzzles?|brain ?teaser|birthdays?|transitions"
    r"|sponsored|from our partners|advertis\w*|merch|referral|share the \w+|classifieds?"
    r"|memes? of the (?:day|week)|quote of the (?:day|week)|zitat des tages|la frase(?: del día)?"
    r"|citation du jour|it['’]s personnel|welcome to the world|time to play|crossword|wordle"
    r"|on the move|people moves|comings and goings)\b"
    r"|^\W*(?:games|the games|play)\W*$",
    re.I,
)
_FURNITURE_SECTION_WORDS = 5
# The answer to a poll: a few words that are all one link ("👍 Loved it").
_POLL_CHOICE_WORDS = 4


@dataclass(frozen=True, slots=True)
class Dropped:
    """A block left out of every story, and the rule that left it out."""

    block: Block
    rule: Rule


def sponsor_marker(text: str) -> Marker | None:
    """Whether a short line marks an ad, wherever in the line the marker stands."""
    words = sum(1 for word in text.split() if any(c.isalnum() for c in word))
    if words > _MARKER_WORDS:
        return None
    if _LABEL_MARKER.search(text):
        return Marker.LABEL
    if not text.endswith((".", "!", "?")) and _HEADLINE_MARKER.search(text):
        return Marker.LABEL
    # "Together with …" opens a line; "TODAY'S LETTER IS BROUGHT TO YOU BY …" shouts it.
    found = _PRESENTER_MARKER.search(text)
    if found and (found.start() == 0 or words <= _LINE_MARKER_WORDS or found.group().isupper()):
        return Marker.PRESENTER
    return None


def marks_headline(text: str) -> bool:
    """A headline tagged as an ad ("Ship faster with Acme (Sponsor)"): it heads its unit."""
    return not text.endswith((".", "!", "?")) and _HEADLINE_MARKER.search(text) is not None


def furniture_rule(block: Block) -> Rule | None:
    """The rule a block of newsletter furniture falls under; None for text."""
    if block.kind not in (Kind.PARA, Kind.HEADING, Kind.BULLET):
        return None
    text = block.text
    words = word_count(text)
    if words <= _FOOTER_SENTENCE_WORDS and _UNSUBSCRIBE_SENTENCE.search(text):
        return Rule.FOOTER
    if words <= _SHORT_PROMPT_WORDS and _SHORT_PROMPT.match(text):
        return Rule.PROMPT
    lead = _SHOUTED_LEAD.match(text)
    if lead and is_furniture_section(lead.group("name")):
        return Rule.SECTION
    if block.all_linked and words <= _BUTTON_WORDS and CALL_TO_ACTION.match(text):
        return Rule.BUTTON
    for rule, pattern, limit in _RULES:
        if words > limit:
            continue
        match = pattern.search(text)
        if match is None:
            continue
        if rule is Rule.FOOTER and words > 12 and match.start() != 0 and not _separated(text):
            continue  # a sentence that mentions unsubscribing is text
        if rule is Rule.MENU and not _is_menu(block):
            continue
        return rule
    return None


def _separated(text: str) -> bool:
    """Items strung on "·", "|" or "•": an address-and-links footer line, not a sentence."""
    return any(mark in text for mark in "·|•")


def _is_menu(block: Block) -> bool:
    """ "ADVERTISE // CAREERS // SHOP" or "View Online | Sign Up": short items between bars,
    each a link or a shouted word."""
    if block.all_linked or block.text.isupper():
        return True
    linked = sum(len(r.text) for r in block.runs if r.href and r.text.strip())
    return linked * 2 >= len(block.text)


def is_poll_choice(block: Block) -> bool:
    return block.all_linked and word_count(block.text) <= _POLL_CHOICE_WORDS


def is_furniture_section(title: str) -> bool:
    """A banner whose section is furniture ("💼 Jobs", "Trivia", "BIRTHDAYS")."""
    return (
        word_count(title) <= _FURNITURE_SECTION_WORDS
        and _FURNITURE_SECTION.search(title) is not None
    )
