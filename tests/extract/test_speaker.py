"""A source is the shortest phrase naming who gave the figures (SCHEMA.md): not the figures
themselves ('les chiffres de l'Ocam'), not a form of address ('Mr Wallace'), and a pronoun
only ever stands for a source named before it.

Every text here is written for the test; none is taken from a real article.
"""

from __future__ import annotations

import pytest

from tally.extract import attribution, decide, document, nlp, relations
from tally.extract.features import Candidate
from tally.extract.lexicon import load
from tally.extract.linear import LinearModel
from tally.model import Doc, Figure


@pytest.mark.parametrize(
    ("lang", "phrase", "speaker"),
    [
        ("en", "the latest figures from the Home Office", "the Home Office"),
        ("en", "official data released by the interior ministry", "the interior ministry"),
        ("en", "Mr Dupont", "Dupont"),
        ("en", "a new report by the UN", "a new report by the UN"),  # a document names itself
        ("fr", "les chiffres de l’Organe de coordination", "l’Organe de coordination"),
        ("fr", "le dernier décompte mensuel du Service de renseignement", "Service de renseignement"),
        ("fr", "des informations révélées par la radio", "la radio"),
        ("fr", "les données d'Europol", "Europol"),
        ("fr", "M. Martin", "Martin"),
        ("fr", "un rapport de l’ONU", "un rapport de l’ONU"),
        ("de", "Zahlen des Bundesamtes", "Bundesamtes"),
        ("de", "Frau Schmidt", "Schmidt"),
        ("de", "ZDF-Recherchen", "ZDF"),  # the outlet named in a compound with its findings
        ("en", "Covid-Statistics", "Covid-Statistics"),  # English writes no such compounds
        ("en", "figures", "figures"),  # nothing after the noun: nothing to shorten to
        ("en", "the numbers of 2015", "the numbers of 2015"),  # a year is no speaker
    ],
)
def test_the_speaker_of_a_source_phrase(lang: str, phrase: str, speaker: str) -> None:
    assert attribution.speaker(phrase, load(lang)) == speaker


def test_a_sentence_citing_the_figures_of_an_office_gives_the_office() -> None:
    lex = load("fr")
    sentence = "Selon les chiffres du ministère de l'Intérieur, 120 combattants sont rentrés."
    att = attribution.of_sentence(sentence, nlp.parse([sentence], "fr")[0], lex)
    assert att is not None and att.source == "ministère de l'Intérieur"


@pytest.mark.parametrize(
    ("lang", "sentence"),
    [
        ("fr", "« Ils sont environ 300 », a-t-il ajouté."),
        ("fr", "« Ils sont environ 300 », dit-il."),
        ("fr", "Nous estimons qu'environ 300 combattants sont partis."),
        ("en", "We estimate that about 300 fighters left."),
        ("en", "According to him, about 300 fighters left."),
        ("fr", "Selon elle, environ 300 combattants sont partis."),
    ],
)
def test_a_pronoun_is_read_as_one(lang: str, sentence: str) -> None:
    lex = load(lang)
    att = attribution.of_sentence(sentence, nlp.parse([sentence], lang)[0], lex)
    assert att is not None and att.pronoun, att


def test_a_pronoun_is_never_offered_as_a_source_only_what_it_stands_for() -> None:
    text = (
        "The interior minister said on Monday that the country is watching returnees. "
        "According to him, about 300 fighters have left for Syria since 2013."
    )
    cands = [c for c in document.candidates(Doc("d", "test", text, lang="en")) if c.fig.span == "about 300"]
    assert cands and cands[0].fig.source == "The interior minister"
    offered = [t for t, _ in relations.source_options(cands[0])]
    assert "him" not in offered and "The interior minister" in offered


def test_a_source_set_off_by_a_comma_before_its_verb_is_found_whatever_the_parse() -> None:
    # A dateline the parser takes for the subject of "said".
    sentence = (
        "OSLO – At least 90 people have travelled from Norway to Syria since 2012 to join armed "
        "Islamist groups, the Norwegian Police Security Service (PST) said in its annual threat "
        "assessment on Tuesday."
    )
    lex = load("en")
    sp = nlp.parse([sentence], "en")[0]
    att = attribution.of_sentence(sentence, sp, lex)
    assert att is not None and att.source == "the Norwegian Police Security Service"
    assert ("subject:say", "the Norwegian Police Security Service") in [
        (how, text) for how, text, _ in attribution.options(sentence, sp, lex)
    ]


def test_a_place_inside_the_counted_phrase_is_no_source() -> None:
    sentence = "Nine fighters from Norway believed dead"
    lex = load("en")
    sp = nlp.parse([sentence], "en")[0]
    assert attribution.of_sentence(sentence, sp, lex) is None
    assert attribution.options(sentence, sp, lex) == []


def test_an_incise_after_the_figures_names_its_speaker_up_to_the_comma_that_closes_it() -> None:
    sentence = (
        "Quelque 217 adultes sont rentrés en France, a annoncé le ministre de l'Intérieur, dans un "
        "entretien publié dimanche par un hebdomadaire national de la presse française."
    )
    lex = load("fr")
    att = attribution.of_sentence(sentence, nlp.parse([sentence], "fr")[0], lex)
    assert att is not None and att.source == "le ministre de l'Intérieur"


@pytest.mark.parametrize(
    ("lang", "sentence", "source"),
    [
        (
            "fr",
            "Quelque 140 Belges sont encore en Syrie, a répondu le ministre de la Justice Paul Lambert "
            "à une question parlementaire posée la semaine dernière par une députée de l'opposition.",
            "le ministre de la Justice Paul Lambert",
        ),
        (
            "en",
            "About 60 fighters from the province are still in Syria, said a senior police officer who "
            "asked not to be named because he was not authorised to speak to the press about it.",
            "a senior police officer",
        ),
    ],
)
def test_an_inverted_speaker_followed_by_more_than_a_name_is_its_noun_phrase(
    lang: str, sentence: str, source: str
) -> None:
    att = attribution.of_sentence(sentence, nlp.parse([sentence], lang)[0], load(lang))
    assert att is not None and att.source == source


def test_a_verb_after_an_apposition_has_its_subject_before_it_and_no_speaker_after_it() -> None:
    sentence = (
        "Last March the head of the security service, General Adam Novak, announced the loss of "
        "citizenship for more than 80 residents who had fought abroad alongside armed groups."
    )
    assert attribution._inverted(sentence, load("en"), nlp.parse([sentence], "en")[0]) is None


@pytest.mark.parametrize(
    ("sentence", "source"),
    [
        ("Nach ZDF-Informationen sind inzwischen 25 Frauen aus den Lagern zurückgekehrt.", "ZDF"),
        ("Laut BKA-Angaben sind 1200 Islamisten ausgereist.", "BKA"),
    ],
)
def test_a_german_source_named_in_a_compound_is_its_first_part(sentence: str, source: str) -> None:
    att = attribution.of_sentence(sentence, nlp.parse([sentence], "de")[0], load("de"))
    assert att is not None and att.source == source


@pytest.mark.parametrize(("lead", "chosen"), [(0.2, "das Landesamt"), (2.0, None)])
def test_no_source_wins_only_by_a_clear_lead_over_a_phrase_the_sentence_offers(
    lead: float, chosen: str | None
) -> None:
    """A figure has one "no source" option against each phrase: a near tie goes to the phrase."""
    model = LinearModel("source", ["no", "yes"], [0.0], {"none": [lead], "how=subject": [0.0]})
    assert decide._source(_candidate([("subject:melden", "das Landesamt", 0)]), model) == chosen


@pytest.mark.parametrize(
    ("lang", "sentence", "source"),
    [
        ("fr", "Selon M. Dubois, quelque 90 combattants sont rentrés au pays depuis 2015.", "Dubois"),
        ("en", "According to U.S. officials, about 90 fighters have gone home since 2015.", "U.S. officials"),
    ],
)
def test_the_full_stop_of_an_initial_or_a_form_of_address_does_not_end_a_source(
    lang: str, sentence: str, source: str
) -> None:
    att = attribution.of_sentence(sentence, nlp.parse([sentence], lang)[0], load(lang))
    assert att is not None and att.source == source


def test_a_reporting_verb_followed_by_its_clause_names_no_speaker_after_it() -> None:
    assert (
        attribution._inverted(
            "Le ministre, lui, a dit que la situation restait grave, sans chiffre.", load("fr")
        )
        is None
    )


def _candidate(options: list[tuple[str, str, int]]) -> Candidate:
    fig = Figure(
        doc="d", quote="q", span="250", value=250, low=None, high=None, qualifier="exact",
        kind="count", role="militants", counted="Personen", origin=None, status="joined",
        group=None, place=None, period=None, source=None, scope=None, start=0, end=3, lang="de",
    )  # fmt: skip
    return Candidate(fig, None, {}, 0, 0, None, False, source_options=options)


# A chooser that prefers the office alone, as the trained one may.
PREFERS_OFFICE = LinearModel("source", ["no", "yes"], [0.0], {"how=subject-inv": [2.0], "how=appos": [1.0]})


def test_an_office_is_given_with_the_name_set_beside_it() -> None:
    """The speaker named by office and by name is given by both: the office alone leaves
    a reader to look the name up."""
    office = "der Leiter des Landesamts"
    c = _candidate([("subject-inv:sagen", office, 0), ("appos", f"{office}, Karl Beispiel", 0)])
    assert decide._source(c, PREFERS_OFFICE) == "der Leiter des Landesamts, Karl Beispiel"


def test_what_follows_an_office_is_not_taken_for_a_name_unless_it_is_one() -> None:
    office = "der Leiter des Landesamts"
    c = _candidate([("subject-inv:sagen", office, 0), ("appos", f"{office}, am Montag in Wien", 0)])
    assert decide._source(c, PREFERS_OFFICE) == office


@pytest.mark.parametrize(
    ("sentence", "source"),
    [
        ("Dem Innenministerium zufolge sind 300 Personen zurückgekehrt.", "Dem Innenministerium"),
        ("Einem Bericht des Landesamts zufolge sind 40 Personen ausgereist.", "Einem Bericht des Landesamts"),
        ("Den Angaben zufolge wurden zwölf Anklagen erhoben.", None),
    ],
)
def test_a_cue_that_follows_its_source_names_the_phrase_before_it(sentence: str, source: str | None) -> None:
    """'zufolge' stands after the source; 'den Angaben zufolge' names no one, and leaves
    the source the article has been quoting."""
    lex = load("de")
    got = attribution.of_sentence(sentence, nlp.parse([sentence], "de")[0], lex)
    assert (got.source if got else None) == source


@pytest.mark.parametrize(
    ("sentence", "offered", "never"),
    [
        (
            "Das bestätigte das Innenministerium dem Sender schon vor einigen Wochen.",
            "das Innenministerium",
            "schon",
        ),
        ("Nach wie vor spricht die Behörde von 40 Personen.", "die Behörde", "vor"),
    ],
)
def test_a_source_read_by_tags_alone_ends_where_its_noun_phrase_ends(
    sentence: str, offered: str, never: str
) -> None:
    """German has no parse: a source found by its words stops at the verb, adverb or
    preposition after its noun phrase, and words with no noun are no source."""
    texts = [text for _, text, _ in attribution.options(sentence, nlp.parse([sentence], "de")[0], load("de"))]
    assert offered in texts
    assert not any(never in t.split() for t in texts)


def test_an_adjunct_after_the_verb_is_no_speaker_the_apposition_before_it_is() -> None:
    sentence = "About 300 Danes have travelled to Syria, the head of the intelligence service, Anna Example, said on Monday."
    texts = [text for _, text, _ in attribution.options(sentence, nlp.parse([sentence], "en")[0], load("en"))]
    assert "Anna Example" in texts
    assert not any("Monday" in t for t in texts)


def test_a_place_before_an_incise_is_no_speaker() -> None:
    sentence = "Près de 300 Français sont morts en Syrie, a déclaré le ministre."
    got = attribution.of_sentence(sentence, nlp.parse([sentence], "fr")[0], load("fr"))
    assert got is not None and got.source == "le ministre"


def test_so_at_the_end_of_a_german_sentence_names_its_source() -> None:
    sentence = "Etwa 75 Kämpfer sind dort getötet worden, so das Landesamt."
    got = attribution.of_sentence(sentence, nlp.parse([sentence], "de")[0], load("de"))
    assert got is not None and got.source == "das Landesamt"


def _sources(text: str, lang: str, outlet: str | None = None) -> dict[str, str | None]:
    doc = Doc(doc_id="own-voice", source="own-voice.txt", text=text, lang=lang, outlet=outlet)
    return {f.span: f.source for f in document.extract(doc)}


@pytest.mark.parametrize(
    ("lang", "text", "span"),
    [
        (
            "fr",
            "Selon nos informations, quelque 40 djihadistes français sont rentrés de Syrie depuis janvier.",
            "quelque 40",
        ),
        (
            "en",
            "According to our information, some 40 fighters have returned from Syria this year.",
            "some 40",
        ),
    ],
)
def test_an_outlets_own_reporting_gives_the_outlet_or_no_source(lang: str, text: str, span: str) -> None:
    """'Selon nos informations' names no one: the outlet, when the document says which it
    is; else no source, never the phrase itself (SCHEMA.md)."""
    assert _sources(text, lang) == {span: None}
    assert _sources(text, lang, outlet="Le Quotidien") == {span: "Le Quotidien"}


def test_an_outlets_own_reporting_ends_what_was_cited_before() -> None:
    text = (
        "Le ministre de l'Intérieur a indiqué en mars que 120 djihadistes étaient partis en Syrie. "
        "Selon nos informations, une trentaine de ces djihadistes sont rentrés en France depuis."
    )
    assert _sources(text, "fr") == {"120": "Le ministre de l'Intérieur", "une trentaine": None}


def test_a_german_outlets_own_reporting_is_read_without_a_cue() -> None:
    """ "nach unseren Informationen" opens no `according` cue, and is the outlet all the same."""
    text = (
        "Das Innenministerium sprach im März von 120 ausgereisten Islamisten. "
        "Nach unseren Informationen sind inzwischen 30 dieser Dschihadisten nach Deutschland zurückgekehrt."
    )
    assert _sources(text, "de", outlet="Der Kurier") == {"120": "Das Innenministerium", "30": "Der Kurier"}
    assert _sources(text, "de") == {"120": "Das Innenministerium", "30": None}


def test_our_information_in_a_quotation_is_its_speakers() -> None:
    text = (
        '"According to our information, 27 residents of the province have joined jihadist groups in Syria," '
        "the regional police chief Jan Novak said."
    )
    assert _sources(text, "en") == {"27": "the regional police chief Jan Novak"}


@pytest.mark.parametrize(
    ("lang", "phrase", "own"),
    [
        ("en", "our information", True),
        ("en", "Our own reporting", True),
        ("fr", "nos informations", True),
        ("fr", "notre décompte", True),
        ("de", "unseren Informationen", True),
        ("en", "our partners at the ministry", False),
        ("fr", "nos confrères du Monde", False),
        ("de", "Informationen des Bundesamtes", False),
    ],
)
def test_which_phrases_are_an_outlets_own_voice(lang: str, phrase: str, own: bool) -> None:
    assert attribution.own_voice(phrase, load(lang)) is own


def test_an_indefinite_article_before_a_subject_is_no_number() -> None:
    """French "une" counts as a number to spaCy; before a noun it is an article, and the
    subject it opens may be the source."""
    sentence = "Une commission parlementaire a recensé 40 combattants revenus de Syrie."
    lex = load("fr")
    options = attribution.options(sentence, nlp.parse([sentence], "fr")[0], lex)
    assert "Une commission parlementaire" in [text for _, text, _ in options]


@pytest.mark.parametrize(
    ("lang", "headline", "source"),
    [
        ("en", "Some 60 children flown home from Syrian camps: UNHCR", "UNHCR"),
        ("en", "Over 200 nationals still held in Iraq - Interior Minister", "Interior Minister"),
        ("fr", "Une centaine de revenants suivis par la justice - Parquet", "Parquet"),
        # a breakdown after a dash, and a subtitle after a title with no figure: no source
        ("en", "Repatriated from the camps – five women and nine children", None),
        ("en", "Counting Foreign Fighters: Methods and Limits", None),
    ],
)
def test_a_headline_tail_names_who_gave_its_figure(lang: str, headline: str, source: str | None) -> None:
    assert attribution._headline_tail(headline, load(lang)) == source


@pytest.mark.parametrize(
    ("sentence", "source"),
    [
        (
            "Quelque 90 personnes sont encore en Syrie, a répondu le ministre de la Justice.",
            "le ministre de la Justice",
        ),
        ("Environ 40 femmes ont été rapatriées, note la procureure.", "la procureure"),
        ("Une trentaine sont rentrés, a précisé mardi soir la préfète.", "la préfète"),
        ("Une trentaine sont rentrés, a indiqué le 3 avril l'agence.", "l'agence"),
        ("Une trentaine sont rentrés, a communiqué également le parquet.", "le parquet"),
    ],
)
def test_french_incise_verbs_name_their_speaker(sentence: str, source: str) -> None:
    assert attribution._inverted(sentence, load("fr")) == source


def test_a_source_named_just_after_a_figure_is_offered_to_it() -> None:
    """A lede gives its figures first and who counted them in the next sentence."""
    text = (
        "About 150 residents of the region have travelled to Syria since 2013.\n\n"
        "The regional police reported the count on Monday in its yearly review."
    )
    cands = [c for c in document.candidates(Doc("d", "test", text, lang="en")) if c.fig.span == "About 150"]
    assert cands
    ahead = [(how, text) for how, text, dist in cands[0].source_options if dist < 0]
    assert ("later-doc-subject", "The regional police") in ahead
    offered = dict(relations.source_options(cands[0]))
    assert offered["The regional police"].get("ahead=1") == 1.0


@pytest.mark.parametrize(
    ("lang", "sentence", "source"),
    [
        (
            "en",
            "The return of 40 fighters was confirmed by the interior ministry on Friday.",
            "the interior ministry",
        ),
        (
            "fr",
            "Le retour de 40 combattants a été confirmé par le ministère de l'Intérieur.",
            "le ministère de l'Intérieur",
        ),
    ],
)
def test_the_agent_of_a_passive_reporting_verb_is_offered_as_a_source(
    lang: str, sentence: str, source: str
) -> None:
    """A passive names its source after 'by' or 'par'; the subject it has is what was said."""
    lex = load(lang)
    found = attribution.options(sentence, nlp.parse([sentence], lang)[0], lex)
    assert [text for how, text, _ in found if how.startswith("agent:")] == [source]


@pytest.mark.parametrize(
    ("sentence", "source"),
    [
        ("La police fédérale a enregistré l'an dernier 35 départs vers la Syrie.", "La police fédérale"),
        ("Le parquet soupçonne une dizaine de personnes d'avoir rejoint l'Etat islamique.", "Le parquet"),
        ("Les enquêteurs croient que 12 djihadistes sont rentrés en Belgique.", "Les enquêteurs"),
    ],
)
def test_french_verbs_of_recording_or_suspecting_name_who_counted(sentence: str, source: str) -> None:
    """Who records, suspects or believes a count gives it, as in English ('recorded', 'believes')."""
    lex = load("fr")
    found = attribution.options(sentence, nlp.parse([sentence], "fr")[0], lex)
    assert source in [text for how, text, _ in found if how.startswith("subject:")]


@pytest.mark.parametrize(
    ("sentence", "source"),
    [
        (
            "Mais des sources proches du dossier évoquent 70 personnes, dont 20 enfants.",
            "des sources proches du dossier",
        ),
        ("Le parquet fédéral en dénombre désormais 120.", "Le parquet fédéral"),
        (
            "Les autorités kurdes affirment garder environ 900 étrangers, 300 femmes et 600 enfants.",
            "Les autorités kurdes",
        ),
        ("Concernant l'Afrique du Nord, l’étude relève que 800 Marocains sont partis.", "l’étude"),
    ],
)
def test_a_subject_the_french_parse_lost_is_read_before_its_reporting_verb(
    sentence: str, source: str
) -> None:
    """The small French model often leaves a reporting verb without its subject (or tags
    the verb a noun: "en recense"); the noun phrase opening the sentence or the clause is
    then offered, as the proper name before the verb is in English."""
    found = attribution.options(sentence, nlp.parse([sentence], "fr")[0], load("fr"))
    assert source in [text for how, text, _ in found if how.startswith("opening:")]


def test_an_inverted_verb_needs_a_noun_phrase_after_it_not_an_infinitive() -> None:
    """', soupçonnées de financer ...' is a participle and its complement: the speaker is
    the one after the reporting verb at the end; an adjunct before a speaker still stands."""
    lex = load("fr")
    sentence = (
        "Quinze personnes, soupçonnées de financer le groupe, ont été arrêtées, rapporte l'agence de presse."
    )
    assert attribution._inverted(sentence, lex, nlp.parse([sentence], "fr")[0]) == "l'agence de presse"
    sentence = "Parmi eux figurent 9 mineurs, a précisé dans un communiqué le parquet fédéral."
    found = attribution._inverted(sentence, lex, nlp.parse([sentence], "fr")[0])
    assert found == "dans un communiqué le parquet fédéral"


def test_heisst_es_in_names_the_document_as_a_german_source() -> None:
    sentence = (
        "In zwölf Fällen sei die Rückkehr begleitet worden, heißt es in einem Bericht des Innenministeriums."
    )
    found = attribution.options(sentence, nlp.parse([sentence], "de")[0], load("de"))
    assert ("cue", "einem Bericht des Innenministeriums", -1) in found


@pytest.mark.parametrize(
    ("lang", "sentence", "how", "source"),
    [
        (
            "fr",
            "Le Premier ministre Jean Exemple a affirmé mardi soir que 300 personnes étaient parties.",
            "before-that",
            "Le Premier ministre Jean Exemple",
        ),
        (
            "fr",
            "Les 74 détenus repris dans la banque de données de l’Ocam seront suivis en priorité.",
            "by",
            "l’Ocam",
        ),
        (
            "en",
            "The 40 men named in the database of the Home Office were released last year.",
            "by",
            "the Home Office",
        ),
    ],
)
def test_a_source_read_by_its_words_ends_before_its_clauses_verb(
    lang: str, sentence: str, how: str, source: str
) -> None:
    """The words before a that-clause, or after 'données de', run on into the verb and its
    adjuncts ("... a affirmé mardi", "... seront suivis"); the tags say where the name ends."""
    found = attribution.options(sentence, nlp.parse([sentence], lang)[0], load(lang))
    assert [text for h, text, _ in found if h == how] == [source]


def test_a_quotation_after_an_inverted_verb_is_no_speaker() -> None:
    sentence = "Le ministre, Jean Exemple, a concédé « ne pas savoir » où se trouvaient 200 enfants."
    found = attribution.options(sentence, nlp.parse([sentence], "fr")[0], load("fr"))
    assert not [text for how, text, _ in found if how == "inverted"]


def test_a_german_office_with_its_short_form_reports_by_the_verb_that_ends_its_clause() -> None:
    """Verb-second German puts the subject beside the auxiliary and the reporting verb at
    the clause's end: the office, short form and all, is offered as that verb's subject."""
    sentence = "Das Bundesamt für Verfassungsschutz (BfV) hat im Mai rund 80 Rückkehrer gezählt."
    found = attribution.options(sentence, nlp.parse([sentence], "de")[0], load("de"))
    assert ("subject:zählen", "Das Bundesamt für Verfassungsschutz (BfV)") in [(h, t) for h, t, _ in found]


@pytest.mark.parametrize(
    ("lang", "sentence", "source"),
    [
        (
            "en",
            "According to the information that we have, there are around 300 citizens in Syria.",
            "the information",
        ),
        ("fr", "Selon des sources qui suivent le dossier, 40 enfants sont rentrés.", "des sources"),
    ],
)
def test_a_source_after_a_cue_ends_before_its_relative_clause(lang: str, sentence: str, source: str) -> None:
    found = attribution.options(sentence, nlp.parse([sentence], lang)[0], load(lang))
    assert ("cue", source, -1) in found
