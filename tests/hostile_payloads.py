"""Hostile strings that residents might type, grouped by the trick they try.

Every resident text field is tested with every payload in `PAYLOADS` (see
`tests/consultations/test_hostile_input.py`). Each payload has a stable id (`group-name`) so a
failure names the trick. Add new ones to the group they belong to; ids must stay unique.

The strings are written out in full rather than generated, so a reader can see exactly what is
sent. A few long ones are built from the field limits in the models, so "exactly at the limit"
stays true if a limit changes.
"""

from dataclasses import dataclass

from consultations.models import Comment, Flag, Idea
from engage.models import User

TITLE_LIMIT = Idea._meta.get_field("title").max_length  # 120
BODY_LIMIT = Idea._meta.get_field("body").max_length  # 5000
COMMENT_LIMIT = Comment._meta.get_field("body").max_length  # 2000
FLAG_DETAILS_LIMIT = Flag._meta.get_field("details").max_length  # 500
DISPLAY_NAME_LIMIT = User._meta.get_field("display_name").max_length  # 50


@dataclass(frozen=True)
class Payload:
    group: str
    name: str
    value: str

    @property
    def id(self) -> str:
        return f"{self.group}-{self.name}"

    def __str__(self) -> str:
        return self.id


def _padded(markup: str, length: int, filler: str = "a") -> str:
    """`markup` followed by `filler` up to exactly `length` characters."""
    assert len(markup) <= length
    return markup + filler * (length - len(markup))


SCRIPT_TAGS = {
    "plain": "<script>alert(1)</script>",
    "mixed-case": "<ScRiPt>alert(1)</sCrIpT>",
    "with-src": '<script src="https://evil.example/x.js"></script>',
    "unclosed": "<script>alert(1)",
    "unclosed-tag": "Hello <script",
    "split": "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "nested": "<<script>script>alert(1)<</script>/script>",
    "nested-six-deep": "<<<<<<script>script>script>script>script>script>alert(1)</script>",
    "in-sentence": "We need more GPs <script>alert(1)</script> in Riverside",
    "noscript-breakout": '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
}

EVENT_HANDLERS = {
    "img-onerror": "<img src=x onerror=alert(1)>",
    "img-onerror-quoted": '<img src="x" onerror="alert(\'xss\')">',
    "img-tabs": "<img\tsrc=x\tonerror=alert(1)>",
    "svg-onload": "<svg onload=alert(1)>",
    "body-onload": "<body onload=alert(1)>",
    "details-ontoggle": "<details open ontoggle=alert(1)>",
    "input-autofocus": "<input autofocus onfocus=alert(1)>",
    "a-onmouseover": '<a onmouseover="alert(1)">hover me</a>',
    "video-source-onerror": '<video><source onerror="alert(1)"></video>',
    "iframe-onload": "<iframe onload=alert(1)></iframe>",
}

SVG_AND_MATH = {
    "svg-script": "<svg><script>alert(1)</script></svg>",
    "svg-animate-onbegin": "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    "svg-set-href": (
        '<svg><a><set attributeName="href" to="javascript:alert(1)"/>'
        '<text y="20">click</text></a></svg>'
    ),
    "svg-xlink-href": '<svg><a xlink:href="javascript:alert(1)"><text>click</text></a></svg>',
    "svg-foreign-object": (
        '<svg><foreignObject><iframe src="javascript:alert(1)"></iframe></foreignObject></svg>'
    ),
    "svg-use-data": (
        "<svg><use href=\"data:image/svg+xml,<svg id='x' xmlns='http://www.w3.org/2000/svg'>"
        "<image href='1' onerror='alert(1)'/></svg>#x\"/></svg>"
    ),
    "math-mglyph": "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "math-mglyph-comment": (
        '<math><mtext><table><mglyph><style><!--</style><img title="--&gt;&lt;/mglyph&gt;'
        '&lt;img&Tab;src=1&Tab;onerror=alert(1)&gt;">'
    ),
}

DANGEROUS_URLS = {
    "a-href-javascript": '<a href="javascript:alert(1)">click</a>',
    "a-href-javascript-tab": '<a href="jav\tascript:alert(1)">click</a>',
    "a-href-data": '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "a-href-vbscript": '<a href="vbscript:msgbox(1)">click</a>',
    "a-href-protocol-relative": '<a href="//evil.example/x">click</a>',
    "img-src-javascript": '<img src="javascript:alert(1)">',
    "form-action": '<form action="javascript:alert(1)"><button>Go</button></form>',
    "button-formaction": '<form><button formaction="javascript:alert(1)">Go</button></form>',
    "input-formaction": "<input type=submit formaction=javascript:alert(1) value=Go>",
    "meta-refresh": '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "bare-javascript": "javascript:alert(1)",
    "bare-data": "data:text/html,<script>alert(1)</script>",
    "bare-vbscript": 'vbscript:msgbox("x")',
    "bare-protocol-relative": "//evil.example/x",
    "markdown-link": "[click me](javascript:alert(1))",
}

LINKS_BREAKING_OUT = {
    "https-plain": "Read https://www.nhs.uk/conditions/ for more.",
    "double-quote": 'http://x.example/"onmouseover="alert(1)',
    "single-quote": "http://x.example/'onmouseover='alert(1)",
    "backtick": "http://x.example/`onmouseover=alert(1)`",
    "angle-brackets": "http://x.example/<script>alert(1)</script>",
    "entity-quote": "http://x.example/&quot;onmouseover=&quot;alert(1)",
    "then-javascript": "see javascript:alert(1) or http://ok.example/page",
    "ampersands": 'https://x.example/?a=1&b=<2>&c="3"',
    "in-parentheses": "(see https://x.example/a_(b)) and http://y.example/.",
    "long": "https://x.example/" + "a" * 3000,
}

ENTITY_ENCODED = {
    "lt-gt": "&lt;script&gt;alert(1)&lt;/script&gt;",
    "decimal": "&#60;script&#62;alert(1)&#60;/script&#62;",
    "hex": "&#x3C;script&#x3E;alert(1)&#x3C;/script&#x3E;",
    "hex-no-semicolon": "&#x3Cimg src=x onerror=alert(1)&#x3E",
    "img-onerror": "&lt;img src=x onerror=alert(1)&gt;",
    "double-encoded": "&amp;lt;script&amp;gt;alert(1)&amp;lt;/script&amp;gt;",
    "colon-in-href": '<a href="javascript&colon;alert(1)">click</a>',
    "j-in-href": '<a href="&#106;avascript:alert(1)">click</a>',
    "bare-colon": "javascript&colon;alert(1)",
    "bare-j": "&#106;avascript:alert(1)",
    "null-and-bidi": "a&#0;b&#x202e;c&#8238;d",
}

MALFORMED = {
    "double-angles": "<<script>>alert(1)<</script>>",
    "img-slashes": "<img/src=x/onerror=alert(1)>",
    "stripping-reassembles-img": "<<img src=x>img src=x onerror=alert(1)>",
    "iframe-srcdoc": '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "comment": "<!--<script>alert(1)</script>-->",
    "comment-breakout": "<!-- --><script>alert(1)</script> -->",
    "cdata": "<![CDATA[<script>alert(1)</script>]]>",
    "textarea-breakout": "</textarea><script>alert(1)</script>",
    "attribute-double-quote": '"><script>alert(1)</script>',
    "attribute-onmouseover-single": "'onmouseover='alert(1)'",
    "attribute-onmouseover-double": '" onmouseover="alert(1)',
    "unclosed-attribute": '<img src="x onerror=alert(1)//',
    "plaintext": "<plaintext><script>alert(1)",
    "less-than-in-prose": "a < b > c, 3<4 and I <3 the nurses",
}

TEMPLATE_INJECTION = {
    "django-variable": "{{ 7*7 }}",
    "django-settings": "{{ settings.SECRET_KEY }} {{ request.user.password }}",
    "django-debug-tag": "{% debug %}",
    "dollar-brace": "${7*7}",
    "erb": "<%= 7*7 %>",
    "angular": "{{constructor.constructor('alert(1)')()}}",
}

CSS = {
    "style-import": "<style>@import 'https://evil.example/x.css';</style>",
    "style-attribute-javascript": '<p style="background:url(javascript:alert(1))">x</p>',
    "link-stylesheet": '<link rel="stylesheet" href="https://evil.example/x.css">',
}

LONG = {
    "word-10000": "A" * 10_000,
    "at-display-name-limit": "D" * DISPLAY_NAME_LIMIT,
    "over-display-name-limit": "D" * (DISPLAY_NAME_LIMIT + 1),
    "markup-at-display-name-limit": _padded("<b>x</b>", DISPLAY_NAME_LIMIT),
    "at-title-limit": "T" * TITLE_LIMIT,
    "over-title-limit": "T" * (TITLE_LIMIT + 1),
    "script-at-title-limit": _padded("<script>alert(1)</script>", TITLE_LIMIT),
    "at-flag-details-limit": "F" * FLAG_DETAILS_LIMIT,
    "over-flag-details-limit": "F" * (FLAG_DETAILS_LIMIT + 1),
    "at-comment-limit": "C" * COMMENT_LIMIT,
    "over-comment-limit": "C" * (COMMENT_LIMIT + 1),
    "at-body-limit": "B" * BODY_LIMIT,
    "over-body-limit": "B" * (BODY_LIMIT + 1),
    "many-lines": "line\n" * 400,
    "deeply-nested": "<div>" * 400 + "x" + "</div>" * 400,
}

CONTROL_CHARACTERS = {
    "null-byte": "a\x00b",
    "null-in-tag": "<scr\x00ipt>alert(1)</scr\x00ipt>",
    "ansi-escape": "\x1b[31mred\x1b[0m text",
    "c1-controls": "a\x85b\x9bc",
    "crlf-lines": "line one\r\nline two\r\n\r\n\r\n\r\nline three",
    "line-separators": "one\u2028two\u2029three",
}

BIDI_AND_INVISIBLE = {
    "right-to-left-override": "\u202egnp.exe",
    "override-mid-word": "invoice\u202etxt.exe",
    "embeddings": "a\u202ab\u202bc\u202cd",
    "isolates": "\u2066a\u2067b\u2068c\u2069d",
    "zero-width-in-javascript": '<a href="java\u200bscript:alert(1)">x</a> java\u200bscript:alert(1)',
    "zero-width-only": "\u200b\u200c\u200d\u2060",
    "whitespace-only": " \t\n\u00a0 ",
}

HOMOGLYPHS_AND_UNICODE = {
    "cyrillic-admin": "\u0430dmin",
    "cyrillic-nhs-link": "https://www.nh\u0455.uk/login",
    "fullwidth": "\uff2e\uff28\uff33 \uff41\uff44\uff4d\uff49\uff4e",
    "combining-marks": "Z\u0334\u0321\u032aa\u0336l\u0338g\u0337o",
    "emoji": "Great idea \U0001f44d\U0001f3fd \U0001f3e5",
}

SQL_AND_SEARCH = {
    "drop-table": "'; DROP TABLE consultations_idea; --",
    "or-true": '" OR "1"="1" -- 1\' OR \'1\'=\'1',
    "search-operators": 'title:foo NEAR(bar baz) AND "unbalanced * -excluded +required',
    "unbalanced-quote": 'Opening hours "8am to 8pm please',
}

HEADER_INJECTION = {
    "crlf-bcc": "a\r\nBcc: x@example.org",
    "lf-subject": "a\nSubject: You have won\n\nclick http://evil.example/",
    "encoded-crlf": "a%0d%0aBcc:%20x@example.org",
}

GROUPS = {
    "script": SCRIPT_TAGS,
    "handler": EVENT_HANDLERS,
    "svg-math": SVG_AND_MATH,
    "url": DANGEROUS_URLS,
    "link": LINKS_BREAKING_OUT,
    "entity": ENTITY_ENCODED,
    "malformed": MALFORMED,
    "template": TEMPLATE_INJECTION,
    "css": CSS,
    "long": LONG,
    "control": CONTROL_CHARACTERS,
    "bidi": BIDI_AND_INVISIBLE,
    "unicode": HOMOGLYPHS_AND_UNICODE,
    "sql": SQL_AND_SEARCH,
    "header": HEADER_INJECTION,
}

PAYLOADS: list[Payload] = [
    Payload(group, name, value)
    for group, payloads in GROUPS.items()
    for name, value in payloads.items()
]

assert len({p.id for p in PAYLOADS}) == len(PAYLOADS), "payload ids must be unique"
assert len({p.value for p in PAYLOADS}) == len(PAYLOADS), "payloads must be distinct"
