"""Word lists for the untranslated-text and term-inconsistency rules.

Kept short and precise on purpose: a word belongs here only if it is (almost) never a
German word, or, for the loanwords, if it is an established part of German usage.
"""

from __future__ import annotations

# English function and very common words that are not German words (German homographs
# such as "die", "was", "will", "also", "so", "in", "an", "man", "hat", "war" are left out).
ENGLISH_WORDS = frozenset(
    """
a the of and with for from by this that these those is are were been being has have had
does did doing would should could can cannot might must shall it its they their them we
our you your he she his him which who whom whose what when where why how about into over
after before between through during without within against because although while than
then there here not only just very more many much some any each every other such same
own new my me us or but if as at on to be do get got make made take taken said says say
year years company companies people time well even back way however according around
first last next since until upon whether both either neither yet it's don't doesn't
won't can't isn't aren't wasn't weren't we're they're you're i'm customers customer
revenue revenues market markets share shares growth sales report reported reports
quarter earnings price prices stock investors analysts expected expectations low large
small big great good better worse worst
""".split()
)

# Capitalised forms that may start an English sentence or title but never a German one.
ENGLISH_CAPITALISED = frozenset(
    "The This These Those It They We You Our Its Their And Of For With From Which What When "
    "Where Why How If But Or Is Are Has Have According However".split()
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

# Established English loanwords in German: never flagged on their own.
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
