"""The verb that says what happened to a number's people is found by the tagger's finite
forms, past the relative clauses that say who they are, in every language Tally reads."""

import pytest

from tally.extract import document, features, nlp, predicate
from tally.extract.lexicon import lemmatizer, load
from tally.model import Doc


def first_status(text: str, lang: str) -> str | None:
    """The rules' status of the first candidate number of `text`."""
    return document.candidates(Doc("d", "test", text, lang=lang))[0].fig.status


def predicates(lang: str, sentence: str, number: str) -> dict[str, float]:
    sp = nlp.parse([sentence], lang)[0]
    anchor = next(t for t in sp if t.text == number)
    out: dict[str, float] = {}
    features._predicates(sp, anchor, load(lang), lemmatizer(lang), out)
    return out


def test_a_relative_clause_says_who_they_are_and_the_main_verb_what_befell_them() -> None:
    f = predicates(
        "en", "Some 40 adults and 12 minors who had left for Syria have since returned to Britain.", "40"
    )
    assert "fin:rel:st:joined" in f
    assert "fin:main:st:returned" in f
    assert "fin:main:st:joined" not in f


def test_french_relative_clauses_are_read_the_same_way() -> None:
    f = predicates("fr", "Une trentaine des 90 Belges qui étaient partis en Syrie sont morts depuis.", "90")
    assert "fin:rel:st:joined" in f
    assert "fin:main:st:killed" in f


def test_a_german_participle_at_the_clause_end_belongs_to_the_finite_verb() -> None:
    f = predicates("de", "Rund 80 Personen sind inzwischen nach Deutschland zurückgekehrt.", "80")
    assert "fin:main:st:returned" in f


@pytest.mark.parametrize(("lang", "sentence", "number"), [("en", "In all, 1,500 departures.", "1,500")])
def test_a_number_with_no_verb_after_it_says_so(lang: str, sentence: str, number: str) -> None:
    assert "fin:main=none" in predicates(lang, sentence, number)


@pytest.mark.parametrize(
    ("lang", "text", "status"),
    [
        # French and German say each fate in as many ways as English does: the lexicons'
        # phrases for what the English one holds ("lost their lives", "in the hands of",
        # "still in", "stranded", "released", "sentenced") and the tenses a report takes.
        ("fr", "une cinquantaine ont perdu la vie en Syrie", "killed"),
        ("fr", "quelque 300 se trouveraient encore en Irak", "present"),
        ("fr", "ils sont toujours sur zone", "present"),
        ("fr", "200 hommes aux mains des forces kurdes", "detained"),
        ("fr", "une vingtaine ont regagné leur pays", "returned"),
        ("fr", "des dizaines enrôlés par le groupe", "joined"),
        ("fr", "80 détenus sont sortis de prison", "other"),
        ("de", "etwa 20 hätten dort den tod gefunden", "killed"),
        ("de", "die behörden haben gegen 30 personen ermittelt.", "convicted"),
        ("de", "über 200 todesurteile wurden verhängt", "convicted"),
        ("de", "40 frauen im internierungslager", "detained"),
        ("fr", "une trentaine d'enfants toujours non localisés", "missing"),
        ("fr", "les autorités ont perdu la trace de 12 combattants", "missing"),
        ("en", "the police lost track of 12 fighters", "missing"),
        # German names a stopped departure after it, and parts a separable verb widely.
        ("de", "45 personen wurden an der ausreise gehindert", "other"),
        ("de", "rund 30 sind auf dem weg nach syrien gestoppt worden", "other"),
        ("de", "12 kehrten im vergangenen jahr aus dem irak nach deutschland zurück", "returned"),
    ],
)
def test_each_language_names_each_fate(lang: str, text: str, status: str) -> None:
    assert status in predicate._match(text, load(lang))


def test_a_participle_the_parse_took_for_the_head_noun_says_who_they_are_not_what_befell_them() -> None:
    """fr_core_news_sm reads 'partis' in '120 djihadistes partis en Syrie' as a noun heading
    the counted phrase; the verb of the sentence still says what became of them."""
    text = "Au total, 120 djihadistes partis en Syrie sont rentrés en France depuis 2014."
    (cand,) = [c for c in document.candidates(Doc("d", "test", text, lang="fr")) if c.fig.span == "120"]
    assert cand.fig.status == "returned"


def test_with_no_verb_parsed_the_finite_verb_after_the_phrase_outranks_its_participle() -> None:
    """Where the parse hangs the counted phrase on no verb, 'partis' beside the noun says who
    the people are; the finite group after it ('sont rentrés') says what became of them."""
    sp = nlp.parse(["Quelque 312 adultes partis en Syrie sont rentrés en France."], "fr")[0]
    lex = load("fr")
    participle = [t for t in sp if t.text == "partis"]
    assert (
        predicate.status(predicate.Zones(mods=participle), "adultes", lex, linear_first=False)[0] == "joined"
    )
    number = next(t for t in sp if t.text == "312")
    (kind, group), *_ = predicate.finite_groups(sp, number.i + 1, len(sp), lex)
    assert (kind, [t.text for t in group]) == ("main", ["sont", "rentrés"])
    zones = predicate.Zones(mods=participle, finite=group)
    assert predicate.status(zones, "adultes", lex, linear_first=False) == ("returned", "finite")


def test_people_who_went_to_fight_and_died_are_no_victims() -> None:
    """'Personnes' killed are victims unless the phrase says they left to join the fighting."""
    text = "Selon le parquet, 90 personnes parties de Belgique pour combattre en Syrie y sont décédées."
    (cand,) = document.candidates(Doc("d", "test", text, lang="fr"))
    assert (cand.fig.status, cand.fig.role) == ("killed", "militants")


def test_a_german_place_of_custody_before_the_number_holds_its_people() -> None:
    """German may front where the people are; with no parse, the words before the number
    say they are held there."""
    text = "Im Lager Roj sind nach Angaben des Ministeriums noch etwa 35 Kinder deutscher IS-Anhänger."
    (cand,) = document.candidates(Doc("d", "test", text, lang="de"))
    assert cand.fig.status == "detained"


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("Some 40 women and children of jihadists are to be repatriated from the Roj camp.", "detained"),
        ("A further 30 jihadists are expected to return to Belgium next year.", "other"),
        (
            "The minister said the government was preparing to repatriate 25 women held in the Roj camp.",
            "detained",
        ),
        ("Sweden has agreed to bring back 12 children of jihadists next year.", "other"),
        ("Last year the charity helped 40 children to return home from Syria.", "returned"),
    ],
)
def test_a_return_only_planned_is_no_return(text: str, status: str) -> None:
    """SCHEMA.md: a repatriation only planned, expected, prepared or agreed is `detained`
    where the sentence says they are held (leaving a camp says they are in it yet), else
    `other`; one that someone helped or was able to make has happened."""
    assert first_status(text, "en") == status


@pytest.mark.parametrize(
    ("text", "status"),
    [
        (
            "Selon la DGSI, quelque 250 Français sont engagés dans les rangs de groupes armés en Syrie.",
            "present",
        ),
        ("Depuis 2013, 80 jeunes Belges se sont engagés dans les rangs de l'État islamique.", "joined"),
    ],
)
def test_people_engaged_in_the_fighting_are_there_and_those_who_enlisted_joined(
    text: str, status: str
) -> None:
    """'Engagés dans' says where people are now, as 'engaged in fighting' does; only the
    reflexive 's'engager' (to enlist) is a departure."""
    assert first_status(text, "fr") == status


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("Selon le parquet, 14 jihadistes revenus de Syrie ont fait l'objet d'accusations.", "convicted"),
        ("En Belgique, 35 combattants de retour de Syrie ont écopé de peines de prison.", "convicted"),
        ("Selon l'ONG, au moins 40 combattants étrangers de l'EI ont été inhumés près de Raqqa.", "killed"),
        (
            "Au moins 60 jihadistes belges se sont envolés dans la nature depuis la chute de Baghouz.",
            "missing",
        ),
        ("Selon la DGSI, 90 jihadistes français sont repartis de Syrie vers la Turquie.", "left"),
        ("Depuis janvier, 25 combattants tunisiens ont pu regagner leur pays depuis la Syrie.", "returned"),
        ("Depuis 2018, 300 jihadistes sont sortis de détention en France.", "other"),
        (
            "Selon le ministère, 52 étrangers radicalisés ont été expulsés du territoire depuis janvier.",
            "other",
        ),
        (
            "Selon le ministre, 20 000 personnes font l'objet d'un signalement pour radicalisation.",
            "monitored",
        ),
    ],
)
def test_french_fates_read_from_their_own_words(text: str, status: str) -> None:
    """SCHEMA.md's statuses in the ways French says them: charges and prison terms are
    judicial (convicted), burials are deaths, people gone 'into the wild' are missing,
    those who went back out of Syria elsewhere left, those who got home returned, a
    release or an expulsion is other, and reports to the radicalisation file are a watch
    list (monitored)."""
    assert first_status(text, "fr") == status


@pytest.mark.parametrize(
    "text",
    [
        "A court in Baghdad sentences 12 Islamic State suspects from Europe to death.",
        "In Iraq, 20 foreign ISIS members are now on death row.",
        "Prosecutors are probing 15 men suspected of fighting for ISIS in Syria.",
        "Police have opened criminal cases against 40 residents who joined jihadist groups in Syria.",
    ],
)
def test_judicial_words_of_any_stage_make_a_conviction(text: str) -> None:
    """SCHEMA.md: judicial proceedings of any stage (investigated, charged, sentenced)
    are `convicted` and win over other fates; people sentenced to death are alive."""
    assert first_status(text, "en") == "convicted"
