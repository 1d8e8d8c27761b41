"""Generate data/common/countries_de.tsv and demonyms_de.tsv once; the output is committed.

    .venv/bin/python scripts/gen_places_de.py

Country names come from pycountry's German gettext catalogue (inside the package, read at
generation time only), with their genitive forms ('Deutschlands', 'Syriens'); regions and
short names pycountry lacks are listed here. Demonyms are built from one line per country:
the noun, how it inflects, and the adjective stem, giving every form German prints
('Tschetschenen', 'Österreicherinnen', 'deutschen', 'Schweizer').
"""

from __future__ import annotations

import gettext
from pathlib import Path

import pycountry

OUT = Path(__file__).resolve().parents[1] / "src" / "tally" / "extract" / "data" / "common"

EXTRA_NAMES = {
    "DE": "Bundesrepublik BRD Baden-Württemberg Bayern Brandenburg Bremen Hamburg Hessen Mecklenburg-Vorpommern Niedersachsen "
    "Nordrhein-Westfalen NRW Rheinland-Pfalz Saarland Sachsen Sachsen-Anhalt Schleswig-Holstein Thüringen",
    "AT": "Niederösterreich Oberösterreich Steiermark Kärnten Tirol Vorarlberg Burgenland",
    "CH": "Eidgenossenschaft",
    "RU": "Russland Tschetschenien Dagestan Inguschetien Moskau Nordkaukasus",
    "GB": "Großbritannien Grossbritannien England Schottland Wales Nordirland UK",
    "US": "USA Amerika",
    "SY": "Nordsyrien Nordostsyrien Nordwestsyrien",
    "IQ": "Nordirak",
    "XK": "Kosovo",
    "NL": "Holland",
    "BY": "Weißrussland Belarus",
    "MK": "Mazedonien",
    "BA": "Bosnien",
    "CZ": "Tschechische_Republik",
    "KP": "Nordkorea",
    "CI": "Elfenbeinküste",
    "PS": "Palästina Gaza Westjordanland",
    "GE": "Pankisi",
}

# code, noun (masculine singular), inflection, adjective stem.
# Inflection: "er" (Österreicher: same plural, -n dative, -in/-innen), "e" (Tschetschene:
# -n plural, -in/-innen on the stem without -e), "adj" (Deutscher: an adjective used as a noun).
DEMONYMS = """
DE Deutscher adj deutsch
AT Österreicher er österreichisch
CH Schweizer er schweizerisch
FR Franzose e französisch
BE Belgier er belgisch
NL Niederländer er niederländisch
LU Luxemburger er luxemburgisch
GB Brite e britisch
IE Ire e irisch
ES Spanier er spanisch
PT Portugiese e portugiesisch
IT Italiener er italienisch
DK Däne e dänisch
SE Schwede e schwedisch
NO Norweger er norwegisch
FI Finne e finnisch
PL Pole e polnisch
CZ Tscheche e tschechisch
SK Slowake e slowakisch
HU Ungar er ungarisch
RO Rumäne e rumänisch
BG Bulgare e bulgarisch
GR Grieche e griechisch
AL Albaner er albanisch
XK Kosovare e kosovarisch
MK Mazedonier er mazedonisch
BA Bosnier er bosnisch
RS Serbe e serbisch
HR Kroate e kroatisch
SI Slowene e slowenisch
ME Montenegriner er montenegrinisch
RU Russe e russisch
UA Ukrainer er ukrainisch
BY Belarusse e belarussisch
GE Georgier er georgisch
AZ Aserbaidschaner er aserbaidschanisch
AM Armenier er armenisch
KZ Kasache e kasachisch
UZ Usbeke e usbekisch
TJ Tadschike e tadschikisch
KG Kirgise e kirgisisch
TM Turkmene e turkmenisch
TR Türke e türkisch
SY Syrer er syrisch
IQ Iraker er irakisch
IR Iraner er iranisch
AF Afghane e afghanisch
PK Pakistaner er pakistanisch
IN Inder er indisch
BD Bangladescher er bangladeschisch
CN Chinese e chinesisch
ID Indonesier er indonesisch
MY Malaysier er malaysisch
PH Philippiner er philippinisch
LB Libanese e libanesisch
JO Jordanier er jordanisch
PS Palästinenser er palästinensisch
IL Israeli er israelisch
SA Saudi er saudisch
YE Jemenit e jemenitisch
KW Kuwaiter er kuwaitisch
EG Ägypter er ägyptisch
LY Libyer er libysch
TN Tunesier er tunesisch
DZ Algerier er algerisch
MA Marokkaner er marokkanisch
SD Sudanese e sudanesisch
SO Somalier er somalisch
ET Äthiopier er äthiopisch
ER Eritreer er eritreisch
NG Nigerianer er nigerianisch
ML Malier er malisch
SN Senegalese e senegalesisch
KE Kenianer er kenianisch
US Amerikaner er amerikanisch
CA Kanadier er kanadisch
AU Australier er australisch
NZ Neuseeländer er neuseeländisch
BR Brasilianer er brasilianisch
TT Trinidader er trinidadisch
JP Japaner er japanisch
"""

# Peoples without a state of their own that outlets name as an origin: the region's country.
PEOPLES = """
RU Tschetschene e tschetschenisch
RU Dagestaner er dagestanisch
RU Inguschete e inguschetisch
CN Uigure e uigurisch
"""


def _noun_forms(noun: str, kind: str) -> list[str]:
    if kind == "er":
        return (
            [noun, noun + "n", noun + "in", noun + "innen"] if not noun.endswith("i") else [noun, noun + "s"]
        )
    if kind == "e":
        stem = noun[:-1] if noun.endswith("e") else noun
        fem = {"Franzose": "Französin"}.get(noun, stem + "in")
        return [noun, stem + "en" if not noun.endswith("e") else noun + "n", fem, fem + "nen"]
    stem = noun[:-2]  # Deutscher -> Deutsch
    return [stem + e for e in ("e", "en", "er", "es")]


def _adjective_forms(stem: str) -> list[str]:
    return [stem + e for e in ("", "e", "en", "er", "es", "em")]


def demonym_rows(table: str) -> list[tuple[str, list[str]]]:
    rows = []
    for line in table.strip().splitlines():
        code, noun, kind, adj = line.split()
        forms = _noun_forms(noun, kind) + _adjective_forms(adj)
        if noun.endswith("er") and kind == "er":
            forms.append(noun)  # 'Schweizer Nationalität': the noun as an invariable adjective
        rows.append((code, list(dict.fromkeys(forms))))
    return rows


def _genitive(name: str) -> str | None:
    # Feminine and plural names ('die Türkei', 'die Schweiz', 'die Niederlande') and
    # abbreviations take no -s.
    if " " in name or name.isupper() or name.endswith(("s", "ß", "x", "z", "e", "ei", "ik", "schaft")):
        return None
    return name + "s"


def country_rows() -> list[tuple[str, list[str]]]:
    t = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["de"]).gettext
    rows: dict[str, list[str]] = {}
    for c in pycountry.countries:
        for attr in ("name", "common_name"):
            name = getattr(c, attr, None)
            if not name:
                continue
            name = t(name)
            if "," in name or "(" in name:
                continue
            rows.setdefault(c.alpha_2, []).append(name)
    for code, names in EXTRA_NAMES.items():
        rows.setdefault(code, []).extend(n.replace("_", " ") for n in names.split())
    out = []
    for code in sorted(rows):
        names = list(dict.fromkeys(rows[code]))
        names += [g for n in names if (g := _genitive(n)) and g not in names]
        out.append((code, names))
    return out


def main() -> None:
    head = (
        "# German country names -> ISO 3166-1 alpha-2 (Kosovo: XK), generated by scripts/gen_places_de.py\n"
        "# from pycountry's German catalogue plus regions and short names; genitives ('Syriens') included.\n"
    )
    (OUT / "countries_de.tsv").write_text(
        head + "".join(code + "\t" + "\t".join(n) + "\n" for code, n in country_rows()), encoding="utf-8"
    )
    head = (
        "# German demonyms and nationality adjectives -> ISO 3166-1 alpha-2, generated by scripts/gen_places_de.py:\n"
        "# nouns (singular, plural, dative, feminine) and adjectives in every ending; peoples count for their country.\n"
    )
    rows = demonym_rows(DEMONYMS) + demonym_rows(PEOPLES)
    (OUT / "demonyms_de.tsv").write_text(
        head + "".join(code + "\t" + "\t".join(f) + "\n" for code, f in rows), encoding="utf-8"
    )


if __name__ == "__main__":
    main()
