"""The catalogue's own words, to suggest a correction for a query word found nowhere.

The vocabulary holds the words of the published datasets' titles, tags and publishers (names and
acronyms), the words people search for. Each word is kept folded (``fold``), with the number of
datasets using it and the spelling the catalogue gives it most often: « bibliothèque », « Paris »,
« CNC »; a suggestion shows that spelling. Descriptions are left out: they would bring typos, links
and code into the suggestions, and a word of theirs is found by the search anyway (a word found in
any dataset is never corrected, see ``catalog.search.correct``).

Each sync that changes the catalogue rebuilds the table (``rebuild``). Looking a word up costs at
most two indexed queries, whatever the size of the catalogue:

- every string one edit away (a letter left out, added or changed, two neighbours swapped: about 55
  per letter of the word) is looked up at once on the unique index of ``word``;
- for a word of ``TWO_EDITS_FROM`` letters or more with nothing one edit away, the words with the
  same first three letters and a length within two (the ``head``, ``length`` index), at most
  ``BUCKET_LIMIT`` of the most frequent, are compared with it letter by letter, for two edits.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from catalog.search.text import STOPWORDS, fold

MIN_LENGTH = 3  # shorter words are not kept: never corrected, never suggested
MAX_LENGTH = 40  # the column's size; longer "words" are codes or glued text
ACRONYM_LENGTH = 6  # a word in capitals up to this long is an acronym and keeps its capitals
TWO_EDITS_FROM = 8  # words this long may be two edits away from their correction; shorter ones one
BUCKET_LIMIT = 500
HEAD = 3

_TOKEN = re.compile(r"[^\W_]+")
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def keeps(word: str) -> bool:
    """Whether a folded word belongs in the vocabulary: letters only, not too short or long, not a stop word."""
    return MIN_LENGTH <= len(word) <= MAX_LENGTH and word.isascii() and word.isalpha() and word not in STOPWORDS


def spellings(text: str | None, *, sentence: bool) -> Iterator[tuple[str, str]]:
    """``(folded word, spelling)`` for each word of ``text`` the vocabulary keeps.

    ``sentence``: the text starts with a capital by convention (a title, a name), so its first word's
    capital says nothing about the word: « Fréquentation des musées » gives « fréquentation ». Acronyms
    keep their capitals (« CNC », « BnF »); a long word in capitals is shouted and gets lower case.
    """
    for position, token in enumerate(_TOKEN.findall(text or "")):
        word = _fold_token(token)
        if not keeps(word):
            continue
        if token.isupper() and len(token) > 1:
            spelling = token if len(token) <= ACRONYM_LENGTH else token.lower()
        elif sentence and position == 0 and token[1:].islower():
            spelling = token.lower()
        else:
            spelling = token
        yield word, spelling


@lru_cache(maxsize=100_000)
def _fold_token(token: str) -> str:
    return fold(token)  # the same words come back in thousands of titles


def _shown(spelt: Counter) -> str:
    """The spelling written most often; on a tie, the one with accents, then the one in lower case."""
    return max(spelt, key=lambda s: (spelt[s], sum(not char.isascii() for char in s), s.islower(), s))


def collect(datasets: Iterable[tuple[str, str, Iterable[str], Iterable[str]]]) -> dict[str, tuple[str, int]]:
    """``{folded word: (spelling to show, datasets using it)}``.

    Each dataset comes as ``(title, publisher's name, acronyms, tags)``. Title and name start with a
    capital by convention, acronyms are taken as written. Tags are slugs (« bibliotheques »): they count,
    but their spelling is shown only for a word no title or name writes.
    """
    frequency: Counter = Counter()
    written: dict[str, Counter] = defaultdict(Counter)
    # A publisher's name, an acronym and a tag come back with each of their datasets: each is read once.
    read: dict[tuple[str, bool], tuple[tuple[str, str], ...]] = {}
    tag_words: dict[str, tuple[str, ...]] = {}

    def spelt(text: str, sentence: bool) -> tuple[tuple[str, str], ...]:
        if (text, sentence) not in read:
            read[text, sentence] = tuple(spellings(text, sentence=sentence))
        return read[text, sentence]

    for title, publisher, acronyms, tags in datasets:
        seen: set[str] = set()
        pairs = [*spellings(title, sentence=True), *spelt(publisher, True)]
        for acronym in acronyms:
            pairs += spelt(acronym, False)
        for word, spelling in pairs:
            written[word][spelling] += 1
            seen.add(word)
        for tag in tags:
            if tag not in tag_words:
                tag_words[tag] = tuple(word for word in fold(tag).split() if keeps(word))
            seen.update(tag_words[tag])
        frequency.update(seen)
    return {word: (_shown(written[word]) if word in written else word, count) for word, count in frequency.items()}


def rebuild() -> int:
    """Replace the vocabulary with the words of the published catalogue; returns how many words it holds."""
    from catalog.models import Dataset, SearchWord

    rows = Dataset.objects.published().values_list(
        "title", "acronym", "organization__name", "organization__acronym", "tag_names"
    )
    words = collect(
        (title, organization or "", (acronym, organization_acronym or ""), tags)
        for title, acronym, organization, organization_acronym, tags in rows.iterator(chunk_size=5000)
    )
    SearchWord.objects.all().delete()
    SearchWord.objects.bulk_create(
        (
            SearchWord(word=word, display=display[:MAX_LENGTH], frequency=count, head=word[:HEAD], length=len(word))
            for word, (display, count) in words.items()
        ),
        batch_size=1000,
    )
    return len(words)


def is_empty() -> bool:
    from catalog.models import SearchWord

    return not SearchWord.objects.exists()


def edits(word: str) -> set[str]:
    """Every string one edit away from ``word``: a letter deleted, inserted or replaced, two neighbours swapped."""
    found: set[str] = set()
    for cut in range(len(word) + 1):
        before, after = word[:cut], word[cut:]
        found.update(before + letter + after for letter in _LETTERS)
        if after:
            found.add(before + after[1:])
            found.update(before + letter + after[1:] for letter in _LETTERS)
        if len(after) > 1:
            found.add(before + after[1] + after[0] + after[2:])
    found.discard(word)
    return found


def distance(a: str, b: str, limit: int) -> int:
    """Edits from ``a`` to ``b`` (insert, delete, replace, swap two neighbours), or ``limit + 1`` if more.

    Only the cells of the table within ``limit`` of its diagonal are computed: a few per letter.
    """
    too_far = limit + 1
    if abs(len(a) - len(b)) > limit:
        return too_far
    previous = [j if j <= limit else too_far for j in range(len(b) + 1)]
    before_previous: list[int] = []
    for i in range(1, len(a) + 1):
        current = [i if i <= limit else too_far] + [too_far] * len(b)
        for j in range(max(1, i - limit), min(len(b), i + limit) + 1):
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                value = min(value, before_previous[j - 2] + 1)
            current[j] = min(value, too_far)
        if min(current) > limit:
            return too_far
        before_previous, previous = previous, current
    return previous[len(b)]


@dataclass(frozen=True)
class Candidate:
    word: str  # folded
    display: str
    frequency: int
    distance: int


def is_acronym(spelling: str) -> bool:
    """« CNC », « BnF »: capitals after the first letter."""
    return any(char.isupper() for char in spelling[1:])


def allowed_edits(word: str) -> int:
    return 2 if len(word) >= TWO_EDITS_FROM else 1


def closest(word: str) -> Candidate | None:
    """The vocabulary's word nearest to the folded ``word``: fewest edits, then most datasets; None if too far.

    Acronyms are never offered: a word that close to one is most likely another acronym (« CNSMDL », the
    Lyon conservatoire, is not a typo of « CNSMDP », the Paris one; nor « DRAC » of « FRAC »).
    """
    from catalog.models import SearchWord

    limit = allowed_edits(word)
    columns = ("word", "display", "frequency")
    rows = list(SearchWord.objects.filter(word__in=sorted(edits(word))).values_list(*columns))
    if not rows and limit > 1:
        bucket = SearchWord.objects.filter(head=word[:HEAD], length__range=(len(word) - limit, len(word) + limit))
        rows = list(bucket.order_by("-frequency", "word").values_list(*columns)[:BUCKET_LIMIT])
    candidates = [Candidate(found, display, count, distance(word, found, limit)) for found, display, count in rows]
    candidates = [c for c in candidates if c.distance <= limit and not is_acronym(c.display)]
    return min(candidates, key=lambda c: (c.distance, -c.frequency, c.word), default=None)
