"""Word lists for the untranslated-text and open-compound rules.

untranslated-text reads only closed classes from here: English function words and English
acronyms with a German equivalent. Whether a content word is English, German or both is
decided by word frequencies (``mtcheck.flags.language``), not by a list.
"""

from __future__ import annotations

# English function words (articles, pronouns, prepositions, conjunctions, auxiliaries and
# a few sentence adverbs) that are not German words. German homographs ("die", "was",
# "will", "also", "so", "in", "an", "man", "her", "us" as in US-Dollar) are left out:
# tests check that each word here is at least 30 times (1.5 on the Zipf scale) more
# frequent in English than in German text.
ENGLISH_FUNCTION_WORDS = frozenset(
    """
the this that these those its their our your his my every each any some such
it they them we you he she him me who whom whose which what
something anything nothing everything someone anyone everyone
of with from by for into onto over after before between through during without within
against about above below under upon among across along around behind beyond toward
towards at on to
and or but if because although though while whether unless until since than nor yet
is are were been being be has have had does did doing would should could can cannot
might must shall
not only just very here there then when where why how however always never often
already even ever again according
it's don't doesn't didn't won't can't isn't aren't wasn't weren't we're they're you're
i'm that's there's i've we've you've they've i'll we'll he's she's
""".split()
)

# English acronyms that have a German equivalent (the acronym itself is then untranslated).
ENGLISH_ACRONYMS = {
    "AI": "KI",
    "GDP": "BIP",
    "R&D": "F&E",
    "ECB": "EZB",
    "VAT": "MwSt.",
    "EV": "E-Auto",
    "EVs": "E-Autos",
}

# Established English loanwords in German. untranslated-text no longer reads this list (word
# frequencies decide there); the open-compound rule uses it to recognise English heads.
LOANWORDS = frozenset(
    """
software hardware startup startups start-up update updates upgrade cloud online offline
internet computer computers team teams manager managers management marketing design
service services smartphone smartphones app apps laptop laptops tablet tablets server
servers blog blogs podcast podcasts streaming feedback workshop workshops meeting meetings
job jobs deal deals chip chips display displays email e-mail download downloads website
websites browser account accounts login shop shops event events trend trends image start
training test tests sport hobby party film star stars show shows club business standard
budget boom comeback performance interview interviews news fan fans baby cookie cookies
hacker hackers chat chats bot bots code tool tools user users social media community
content creator creators influencer influencer follower followers like likes post posts
tech gaming ranking rating investment joint venture holding hotline support cash cashflow
fintech know-how live center digital global total normal real ideal team-leader leader
slogan logo marketingchef pipeline portfolio roadmap sponsor sponsoring ticket tickets
boss bestseller designer hightech high-tech know timing trainer workflow fake lockdown
homeoffice login tablets gadget gadgets cash fintech roadmap crowdfunding upload uploads
e-book ebook emoji emojis fitness wellness casting consulting recruiting catering parking
jeans sneaker sneakers game games football newsletter hashtag selfie hype lifestyle outfit
coach coaching song songs album festival comic player podcasts streamingdienst
""".split()
)
