"""Word lists of the plenary merge, per language: stop words, negation, limiting and contrary words.

The lists cover English, German and Bengali (the meeting languages the merge is measured on);
for French and Spanish the negations (a stance: "il ne faut pas", "no hay que") and the function
words a name must not start or end on ("Démarches administratives de"); for Italian, Portuguese
and Dutch the negations ("non", "não", "niet", "geen"), limiting words ("solo", "apenas",
"alleen"), contrary verbs ("abolire", "manter", "afschaffen") and function words. A word of another
language is simply content: points still form only on what answers share beyond the meeting's
own frames and common words (``wording``), but a negation there is not seen as one. Every entry is compared after `normalise` (the same
folding as the grouping's: NFKC, case-folded, punctuation made spaces), so "Keine" matches
"keine" and the Bengali "নয়" matches whatever code points it was typed with. Apostrophes become
spaces, so "don't" arrives as "don t" and "can't" as "can t": a lone "t" after a word ending in
"n" is a negation.

Contrary words are two classes: those that do away with something (abolish, close, stop) and
those that keep or grow it (keep, reform, expand). English and German entries ending in "*" are
prefixes, which covers their inflections ("abolished", "abschaffen", "abgeschafft" need two).
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterable, Sequence

# Words that carry no point on their own: function words, and the modal and wish words that
# frame an answer ("we need", "I would like to see", "sollte", "উচিত", "দরকার").
STOP_WORDS_EN = """
a about above after again all also am an and any are as at be because been before being below
between both but by can could did do does doing down during each etc few for from further had has
have having he her here hers him his how i if in into is it its itself just let lets like ll
love make me might more most much must my need needed needs of off on once only or other ought our
ours out over own per please re really same see shall she should so some such than that the their
theirs them then there these they this those through to too under until up us very want wants was
we were what when where which while who whom why will with would wish hope hoped think feel s d ve
m i'd im dream imagine maybe get got lot lots many t don doesn didn isn aren wasn won shouldn
wouldn couldn mustn within without across along among upon onto toward towards via
"""
STOP_WORDS_DE = """
aber alle allem allen aller alles als also am an auch auf aus bei beim bin bis bitte da damit dann
das dass dem den denen der des die dies diese diesem diesen dieser dieses doch dort du durch ein
eine einem einen einer eines er es etwa euch für gegen gibt hat hatte haben hier ich ihr ihre im
in ist ja jede jedem jeden jeder jedes kann können könnte man mehr mein meine mit muss müssen
nach noch nun nur ob oder schon sehr sei sein seine sich sie sind so soll sollen sollte sollten
über um und uns unser unsere unseren unserer unter viel viele vom von vor war wäre warum was weil
wenn wer werden wie wir wird wo wollen zu zum zur zwischen auch einfach ganz immer heute
"""
STOP_WORDS_BN = """
এবং ও আর কিন্তু বা যে যা এই এটা এটি সেই সে তা তার তাদের তারা আমাদের আমরা আমি আমার তুমি আপনি
সব সবার সকল জন্য থেকে করে করা করতে করার করবে করুন হবে হয় হয়ে হওয়া হতে উচিত দরকার প্রয়োজন চাই
আরও আরো খুব অনেক কোন কোনো যদি তবে যেন এখন মধ্যে সাথে সঙ্গে দিয়ে নিয়ে দিকে পর্যন্ত মতো মত
যাতে কি কী শুধু কেবল ছিল আছে
"""
# Words that frame a claim rather than make one ("... should be a top priority", "... ist sofort
# möglich", "I identify as ...", "I consider myself ..."): the merge's per-language boilerplate,
# left out of points and themes alike. The meeting adds its own (see wording.py).
GENERIC_WORDS = """
important priority priorities top possible necessary essential crucial key vital urgent good great
better best idea ideas ensure sure identify identifies consider considers considered address
tackle solve problem problems accessible
available agree disagree issue issues thing things way ways everyone
people think believe would
möglich wichtig wichtigste nötig notwendig sinnvoll gut besser richtig dringend unbedingt sofort
zugänglich verfügbar
priorität thema idee finde finden meine meinung
গুরুত্বপূর্ণ সম্ভব অগ্রাধিকার সর্বোচ্চ জরুরি ভালো প্রধান বিষয়
"""
# Verbs and qualities that say what to do or how, not about what: a theme is a subject ("health",
# "Radwege"), so these never name or anchor one (they still count in points).
ACTION_WORDS = """
create creating created establish establishing improve improved improving encourage encouraging
provide providing offer offering add adding use using build building develop developing
development make making implement implementing allow allowing start bring become invest focus
ensure require required consider continue increase increased better new more less large larger
high higher future place places area areas around around every everyone community city town
local unique existing known next year years time way see
schaffen bauen machen einführen fördern sorgen brauchen geben gelten neue neuen neuer mehr stadt
করা করতে বাড়ানো বাড়াতে নতুন ব্যবস্থা
"""
# Verbs that say what to do with a thing, not what the thing is: a name may stop beside them
# ("voter education" of "increase voter education"), as it stops beside a function word.
FRAMING_VERBS = """
create creating establish establishing improve improving encourage encouraging provide providing
offer offering add adding use using develop developing implement implementing allow allowing
start bring invest focus ensure require consider continue increase increasing reduce reducing
promote promoting expand expanding introduce introducing
schaffen machen einführen fördern sorgen brauchen geben erhöhen senken ausbauen
করা করতে বাড়ানো বাড়াতে কমানো কমাতে
"""
# Markers that turn a statement round. English "no" and "without" count: "no new roads". French and
# Spanish "contre"/"contra" count too ("Je suis contre l'idée de …"): "lutter contre X" is then
# apart from "réduire X", a split, which is the safer error than a point holding both stances.
NEGATION_WORDS = """
not no never nor none nobody nothing neither cannot cant dont doesnt didnt isnt arent
wasnt wont shouldnt wouldnt couldnt mustnt
nicht kein keine keinen keinem keiner keines nie niemals nichts
না নয় নেই নাই নি নহে
ne pas jamais aucun aucune rien contre
nunca jamás ningún ninguna ninguno tampoco nadie nada contra
non nessuno nessuna nessun niente nulla neanche nemmeno neppure contro
não nao nem nenhum nenhuma ninguém ninguem
niet geen nooit niets niemand nergens
"""
# Left out as negations though they are ones: Italian "mai" (the German "Mai", May; an Italian
# "never" nearly always comes with "non"), Italian "né" (the French "né", born), Dutch "noch" (the
# German "noch", still) and "tegen" (against, but also "by": "tegen 2030").
# Words that narrow a claim: "development only where roads exist" is not "development anywhere".
LIMITING_WORDS = """
only solely nur ausschließlich শুধু শুধুমাত্র কেবল
solo soltanto solamente unicamente só somente apenas alleen slechts uitsluitend
"""
DOING_AWAY_WORDS = """
abolish* eliminat* remov* scrap* repeal* ban banned banning bans close closed closing closure
shut* stop stopped stopping end ending cut cuts cutting reduc* rid ditch* oppos* reject* halt*
abschaff* abgeschafft* streich* gestrichen schließ* geschlossen* verbiet* verbot* stopp* beend*
kürz* gekürzt* senk* gesenkt* aufgeb* aufheb* aufgehoben*
বন্ধ বাতিল কমানো কমাতে সরানো সরাতে নিষিদ্ধ
aboli* elimin* chiuder* chiuso chiusa chiusi chiuse chiusura vietar* vietato vietata vietati divieto
cancellar* cancellato cancellata ridurr* ridotto ridotta ridotti riduzione tagliare tagliato tagliata
taglio tagli fermare fermato abrogar* abrogato abrogata abrogazione sopprim* smantell*
fechar fechado fechada fechem fechamento encerrar encerrado encerrada encerramento proibi* reduzi*
redução cortar cortado cortada cortem acabar acabem suspender suspenso suspensa revog* extinguir
extinto extinta extinção
schaf afschaff* afgeschaft schrapp* geschrapt sluiten sluit sluiting gesloten verbied* verboden verbod
stoppen stopt gestopt beëindig* beeindig* verminder* bezuinig* verlagen verlaagt verlaagd verlaging
opheff* opgeheven
afbouw* afgebouwd
"""
KEEPING_WORDS = """
keep keeps keeping kept retain* preserv* maintain* protect* reform* expand* increas* strengthen*
support* continu* sav* extend*
erhalt* erhalten behalt* beibehalt* bewahr* schütz* reformier* ausbau* ausgebaut* stärk* förder*
erhöh* verlänger*
রাখা রাখতে রাখুন বাড়ানো বাড়াতে রক্ষা চালু
mantener* mantenuto mantenuta mantenuti conservare conservato conservata proteg* protetto protetta
protezione tutelar* tutela riform* ampliare ampliato ampliata ampliamento potenziare potenziato
potenziamento rafforz* aument* sostenere sostenuto sostegno salvaguard* estender* estensione
manter mantido mantida mantenham manutenção ampliar ampliado ampliada ampliação fortalec* apoiar
apoiado apoio conservar conservado
behoud* handhav* bescherm* hervorm* uitbreid* uitgebreid versterk* verhog* verhoogd steun*
gesteund
"""


def normalise(text: str) -> str:
    """NFKC, case-fold, everything but letters, marks and digits made single spaces."""
    return normalise_all([text])[0]


def normalise_all(texts: Sequence[str]) -> list[str]:
    """`normalise` of many texts at once.

    Marks count as word characters because Bengali vowel signs and the virama are marks.
    Format characters are dropped, not made spaces: the zero-width joiner and non-joiner shape
    Bengali conjuncts ("র‍্যাব") inside a word, as a soft hyphen does.
    """
    folded = [unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold()) for text in texts]
    # One translation table for the characters actually present, each classified once per
    # process: far cheaper than a per-character test, and no table of all of Unicode.
    table = {ord(char): _replacement(char) for char in set().union(*folded) if _replacement(char) != char}
    return [" ".join(text.translate(table).split()) for text in folded]


@functools.cache
def _replacement(char: str) -> str | None:
    """What a character becomes: itself (letters, marks, digits), nothing (format), or a space."""
    category = unicodedata.category(char)
    if category == "Cf":
        return None
    return char if category[0] in "LMN" else " "


def _words(listing: str) -> frozenset[str]:
    return frozenset(word for entry in listing.split() for word in normalise(entry).split())


@functools.cache
def stop_words() -> frozenset[str]:
    return _words(STOP_WORDS_EN) | _words(STOP_WORDS_DE) | _words(STOP_WORDS_BN) | negation_words()


@functools.cache
def generic_words() -> frozenset[str]:
    return _words(GENERIC_WORDS)


@functools.cache
def action_words() -> frozenset[str]:
    return _words(ACTION_WORDS)


@functools.cache
def framing_verbs() -> frozenset[str]:
    return _words(FRAMING_VERBS)


@functools.cache
def negation_words() -> frozenset[str]:
    return _words(NEGATION_WORDS)


@functools.cache
def limiting_words() -> frozenset[str]:
    return _words(LIMITING_WORDS)


@functools.cache
def _contrary(listing: str) -> tuple[frozenset[str], tuple[str, ...]]:
    """Whole words and prefixes (entries ending in "*") of a contrary class."""
    entries = listing.split()
    whole = _words(" ".join(entry for entry in entries if not entry.endswith("*")))
    prefixes = tuple(sorted(normalise(entry[:-1]) for entry in entries if entry.endswith("*")))
    return whole, prefixes


def _in_class(word: str, listing: str) -> bool:
    whole, prefixes = _contrary(listing)
    return word in whole or word.startswith(prefixes)


# Kept per word: a merge asks about every word of the meeting, and the prefix lists are long.
@functools.lru_cache(maxsize=65_536)
def is_doing_away(word: str) -> bool:
    return _in_class(word, DOING_AWAY_WORDS)


@functools.lru_cache(maxsize=65_536)
def is_keeping(word: str) -> bool:
    return _in_class(word, KEEPING_WORDS)


def is_negated(words: Iterable[str]) -> bool:
    """Whether a normalised text's words hold a negation ("n t" included, from "don't")."""
    negations = negation_words()
    previous = ""
    for word in words:
        if word in negations or (word == "t" and previous.endswith("n")):
            return True
        previous = word
    return False


STEM_CHARS = 5


def stem(word: str) -> str:
    """A crude stem: the first STEM_CHARS characters ("strengthen", "strengthening" -> "stren";
    "Pflegekräfte", "Pflege" -> "pfleg"; "ডাক্তার", "ডাক্তারের" -> "ডাক্ত")."""
    return word[:STEM_CHARS]


# Words a name never starts or ends on: the stop words, and the prepositions, conjunctions,
# articles and pronouns that the stop words leave to content because a point can turn on them
# ("against", "without") — in a label they leave a phrase hanging ("Migrants who testify against").
FUNCTION_WORDS = """
against among amongst around beside besides beyond despite except inside instead near outside
since though although unless whereas whether whose yet either nor via per versus vs onto the a an
of to for with by from at in on into as than one ones myself yourself himself herself ourselves
yourselves themselves oneself
gegen ohne wegen trotz statt anstatt seit während außer innerhalb außerhalb bevor sodass sowie
beziehungsweise bzw entweder weder ein einer eines einem einen eine der die das des dem den mich
mir dich dir ihm ihn ihnen
এর কে রে থেকে জন্য দিয়ে নিয়ে সাথে সঙ্গে বিরুদ্ধে ছাড়া পর্যন্ত মধ্যে উপর নিচে কাছে প্রতি দ্বারা
de du des la le les l d à au aux en et ou un une pour par sur sous dans avec sans chez entre vers
avant après que qui
el los las del y e o u al con sin por para sobre bajo entre hacia desde hasta una unos unas que
il lo la i gli le un uno una di del dello della dei degli delle da dal dallo dalla dai dagli dalle
a al allo alla ai agli alle nel nello nella nei negli nelle su sul sullo sulla sui sugli sulle con
per tra fra ed che chi ma se anche più
o os as um uma uns umas do da dos das em no na nos nas ao aos à às pelo pela pelos pelas para com
sem ou mais
de het een van voor met op aan bij uit naar om tot en of dat die dit deze te er als ook nog
"""


@functools.cache
def function_words() -> frozenset[str]:
    return stop_words() | _words(FUNCTION_WORDS)
