"""A tiny reference-data folder in the publishers' formats, with invented content.

Same layout, file names, headers, encodings and quirks as the real releases (BOMs, stray
header spaces, codes without leading zeros, profile codes stored as numbers, bilingual
cp1252 COPS files, zipped ESCO CSVs with multi-line cells, O*NET xlsx), so the loaders'
logic is tested anywhere. None of it is copied from the real files.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import openpyxl

ESCO = "http://data.europa.eu/esco/"
SKILL_WELD = ESCO + "skill/0000-weld"
SKILL_BLUEPRINT = ESCO + "skill/0000-blueprint"
SKILL_GROUP = ESCO + "skill/0000-group"
OCC_WELDER = ESCO + "occupation/0000-welder"
OCC_DEV = ESCO + "occupation/0000-dev"


def _csv(path: Path, rows: list[list[object]], *, encoding: str = "utf-8-sig") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))


def _csv_text(rows: list[list[object]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return buffer.getvalue()


def _xlsx(path: Path, rows: list[list[object]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    book.save(path)


def write_noc(root: Path, *, welder_title: str = "Welding and cutting trades") -> None:
    _csv(
        root / "noc2021/noc_structure_en.csv",
        [
            [
                "Level",
                "Hierarchical structure",
                "Code - NOC 2021 V1.0",
                "Class title",
                "Class definition",
            ],
            [
                1,
                "Broad Category",
                2,
                "Science and technology occupations",
                "Science and technology work.",
            ],
            [
                2,
                "Major Group",
                21,
                "Professional science occupations",
                "Professional work in science.",
            ],
            [3, "Sub-major Group", 212, "Applied science professionals", "Applied science."],
            [4, "Minor Group", 2123, "Software people", "People who make software."],
            [5, "Unit Group", 21231, "Software makers", "Software makers design programs."],
            [1, "Broad Category", 7, "Trades occupations", "Trades work."],
            [2, "Major Group", 72, "Technical trades", "Technical trades work."],
            [3, "Sub-major Group", 721, "Metal trades", "Metal trades work."],
            [4, "Minor Group", 7210, "Metal joining trades", "Joining metal."],
            [5, "Unit Group", 72106, welder_title, "They join metal parts,\nusing heat."],
            [1, "Broad Category", 0, "Management occupations", "Managing."],
            [2, "Major Group", "00", "Senior managers", "Senior managing."],
            [3, "Sub-major Group", "000", "Senior managers", "Senior managing."],
            [4, "Minor Group", "0001", "Senior managers", "Senior managing."],
            [5, "Unit Group", "00010", "Lawmakers", "They make laws."],
        ],
    )


def write_oasis(root: Path) -> None:
    d = root / "oasis2023"
    _csv(
        d / "guide_oasis_2023_v1.0.csv",
        [
            ["Code", "Name", "Structure type", "Category", "Description"],
            ["F", "Skills", "Category", "Skills", "Developed capacities."],
            ["F01", "Foundational Skills", "Sub-Category", "Skills", "Basic skills."],
            ["F01a", "Verbal Skills", "Similarity Group", "Skills", "Talking and listening."],
            ["F01a01", "Active Listening", "Descriptor", "Skills", "Listening with care."],
            ["F01a02", "Reading Comprehension", "Descriptor", "Skills", "Reading well."],
            ["A", "Abilities", "Category", "Abilities", "Aptitudes."],
            ["A01", "Cognitive Abilities", "Sub-Category", "Abilities", "Thinking."],
            ["A01a", "Reasoning", "Similarity Group", "Abilities", "Reasoning."],
            ["A01a01", "Deductive Reasoning", "Descriptor", "Abilities", "Deducing."],
            ["G", "Knowledge", "Category", "Knowledge", "Knowing."],
            ["G01", "Business", "Sub-Category", "Knowledge", "Business."],
            ["G01a", "Management", "Similarity Group", "Knowledge", "Management."],
            ["G01a02", "Business Management", "Descriptor", "Knowledge", "Running a business."],
            ["K", "Work Activities", "Category", "Work Activities", "Activities."],
            ["K01", "Information", "Sub-Category", "Work Activities", "Information."],
            ["K01a", "Input", "Similarity Group", "Work Activities", "Input."],
            ["K01a01", "Getting Information", "Descriptor", "Work Activities", "Getting it."],
            ["J", "Work Context", "Category", "Work Context", "Context."],
            ["J01", "Structural", "Sub-Category", "Work Context", "Structure."],
            ["J01a", "Pressure", "Similarity Group", "Work Context", "Pressure."],
            [
                "J01a01",
                "Time Pressure",
                "Descriptor",
                "Work Context",
                "Deadlines, by frequency and importance.",
            ],
            ["B", "Personal Attributes", "Category", "Personal Attributes", "Attributes."],
            ["B01", "Social", "Sub-Category", "Personal Attributes", "Social."],
            ["B01a", "Care", "Similarity Group", "Personal Attributes", "Care."],
            ["B01a01", "Attention to Detail", "Descriptor", "Personal Attributes", "Careful."],
        ],
    )
    profiles = [
        ("21231.00", "Software makers"),
        ("72106.00", "Welders"),
        ("72106.01", "Cutters"),
        ("00010.00", "Lawmakers"),
    ]
    _csv(
        d / "labels_oasis_2023_v1.0.csv",
        [["OaSIS profile code", "Label"], *[[c, n] for c, n in profiles]],
    )
    header = ["OaSIS Code - Final", "OaSIS Label - Final"]
    _csv(
        d / "skills_oasis_2023_v1.0.csv",
        [
            [*header, "Oral Communication: Active Listening   ", "Reading Comprehension "],
            ["21231.0", "Software makers", 4, 5],
            ["72106", "Welders", 3, 2],
            ["72106.01", "Cutters", 1, 0],
            ["10", "Lawmakers", 5, 5],
        ],
    )
    _csv(
        d / "abilities_oasis_2023_v1.0.csv",
        [[*header, "Deductive Reasoning "], *[[c, n, 3] for c, n in profiles]],
    )
    _csv(
        d / "knowledges_oasis_2023_v1.0.csv",
        [[*header, "Business Administration"], *[[c, n, 2] for c, n in profiles]],
    )
    _csv(
        d / "workactivities_oasis_2023_v1.0.csv",
        [[*header, "Getting Information"], *[[c, n, 4] for c, n in profiles]],
    )
    _csv(
        d / "workcontext_oasis_2023_v1.0.csv",
        [
            [*header, "Time Pressure", "Time Pressure2", "Mystery Column"],
            *[[c, n, 3, 4, 1] for c, n in profiles],
        ],
    )
    _csv(
        d / "personal-attributes_oasis_2023_v1.0.csv",
        [[*header, " Attention to Detail"], *[[c, n, 5] for c, n in profiles]],
    )
    _csv(
        d / "interests_oasis_2023_v1.0.csv",
        [
            [
                "OaSIS Code",
                "OaSIS Label ",
                "Holland Codes - 1",
                "Holland Codes - 2",
                "Holland Codes - 3",
            ],
            *[[c, n, "I", "r", "C"] for c, n in profiles],
        ],
    )
    _csv(
        d / "lead-statement_oasis_2023_v1.0.csv",
        [
            ["OaSIS profile code", "Lead statement"],
            *[[c, f"{n} do their work."] for c, n in profiles],
        ],
    )
    _csv(
        d / "main-duties_oasis_2023_v1.0.csv",
        [
            ["OaSIS profile code", "Main duties"],
            ["72106.00", "Join metal parts"],
            ["72106.00", "Read drawings"],
            ["21231.00", "Write programs"],
        ],
    )
    _csv(
        d / "employment-requirements_oasis_2023_v1.0.csv",
        [
            ["OaSIS profile code", "Employment requirement"],
            ["72106.00", "Trade certification is required."],
        ],
    )
    _csv(
        d / "example-titles_oasis_2023_v1.0.csv",
        [
            ["OaSIS profile code", "Concordance number", "Job title type", "Job title text"],
            ["72106.00", 1, "Example", "welder"],
            ["72106.00", 2, "Example", "pipe welder"],
            ["72106.01", 3, "Example", "flame cutter"],
            ["21231.00", 4, "Example", "software engineer"],
            ["00010.00", 5, "Example", "Member of Parliament (MP)"],
        ],
    )


def write_cops(root: Path) -> None:
    d = root / "cops2024"
    header = [
        "Code",
        "Occupation_Name",
        "Nom_de_la_profession",
        "Employment_emploi_2023",
        "Employment_Growth_croissance_emploi",
        "Retirements_retraites",
        "Other_Replacement_autre_remplacement",
        "Total_Job_Openings_Perspective_d'emploi",
        "School_Leavers_Sortants_scolaires",
        "Immigration",
        "Other_Seekers_autres_chercheurs",
        "Job_Seekers_Chercheurs_emploi",
        "Recent_Labour_Market_Conditions",
        "Conditions_récentes_sur_le_marché_du_travail",
        "Future_Labour_Market_Conditions",
        "Conditions_futures_sur_le_marché_du_travail",
    ]
    rows = [
        header,
        [
            "00000",
            "All Occupations",
            "Toutes les professions",
            1000,
            100,
            50,
            10,
            160,
            90,
            40,
            5,
            "1,350",
            "N/A",
            "N/D",
            "N/A",
            "N/D",
        ],
        [
            "TEER_2",
            "TEER 2",
            "FÉER 2",
            500,
            50,
            20,
            5,
            75,
            30,
            20,
            2,
            52,
            "N/A",
            "N/D",
            "N/A",
            "N/D",
        ],
        [
            "00010",
            "Lawmakers",
            "Législateurs/législatrices",
            "N/A",
            "N/A",
            "N/A",
            "N/A",
            "N/A",
            "N/A",
            "N/A",
            "N/A",
            "N/A",
            "N/A",
            "N/D",
            "N/A",
            "N/D",
        ],
        [
            "21231",
            "Software makers",
            "Concepteurs/conceptrices de logiciels",
            100,
            10,
            5,
            1,
            16,
            9,
            4,
            1,
            14,
            "Balance",
            "Équilibre",
            "Moderate risk of Shortage",
            "Risque modéré de pénurie",
        ],
        [
            "72106",
            "Welding and cutting trades",
            "Soudeurs/soudeuses",
            200,
            20,
            10,
            2,
            32,
            10,
            5,
            1,
            16,
            "Moderate signs of Surplus",
            "Signes modérés de surplus",
            "Strong risk of Shortage",
            "Risque élevé de pénurie",
        ],
    ]
    _csv(d / "summary_sommaire_2024_2033_noc2021.csv", rows, encoding="cp1252")
    years = [str(y) for y in range(2023, 2034)]
    _csv(
        d / "jo_pe_2024_2033_noc2021.csv",
        [
            ["Code", "Occupation Name", "Nom de la profession", *years],
            ["21231", "Software makers", "Concepteurs", "N/A", *range(1, 11)],
        ],
    )


def esco_zips(root: Path) -> None:
    d = root / "esco1.1.1"
    d.mkdir(parents=True, exist_ok=True)
    schemes = "http://data.europa.eu/esco/concept-scheme/skills,\nhttp://data.europa.eu/esco/concept-scheme/member-skills"
    skills = [
        [
            "conceptType",
            "conceptUri",
            "skillType",
            "reuseLevel",
            "preferredLabel",
            "altLabels",
            "hiddenLabels",
            "status",
            "modifiedDate",
            "scopeNote",
            "definition",
            "inScheme",
            "description",
        ],
        [
            "KnowledgeSkillCompetence",
            SKILL_WELD,
            "skill/competence",
            "occupation-specific",
            "weld metal",
            "join metal\nfuse metal",
            "",
            "released",
            "",
            "",
            "",
            schemes,
            "Join metal parts with heat.",
        ],
        [
            "KnowledgeSkillCompetence",
            SKILL_BLUEPRINT,
            "skill/competence",
            "cross-sector",
            "read blueprints",
            "read drawings",
            "",
            "released",
            "",
            "",
            "",
            schemes,
            "Understand technical drawings.",
        ],
    ]
    occupations = [
        [
            "conceptType",
            "conceptUri",
            "iscoGroup",
            "preferredLabel",
            "altLabels",
            "hiddenLabels",
            "status",
            "modifiedDate",
            "regulatedProfessionNote",
            "scopeNote",
            "definition",
            "inScheme",
            "description",
            "code",
        ],
        [
            "Occupation",
            OCC_WELDER,
            "7212",
            "welder",
            "pipe welder\nwelder",
            "",
            "released",
            "",
            "",
            "",
            "",
            "occupations",
            "Welders join metal.",
            "7212.1",
        ],
        [
            "Occupation",
            OCC_DEV,
            "2512",
            "software developer",
            "software engineer",
            "",
            "released",
            "",
            "",
            "",
            "",
            "occupations",
            "Developers write software.",
            "2512.4",
        ],
    ]
    isco = [
        [
            "conceptType",
            "conceptUri",
            "code",
            "preferredLabel",
            "status",
            "altLabels",
            "inScheme",
            "description",
        ],
        [
            "ISCOGroup",
            ESCO + "isco/C7",
            "7",
            "Craft and related trades workers",
            "released",
            "",
            "",
            "",
        ],
        ["ISCOGroup", ESCO + "isco/C72", "72", "Metal trades workers", "released", "", "", ""],
        ["ISCOGroup", ESCO + "isco/C721", "721", "Sheet metal workers", "released", "", "", ""],
        [
            "ISCOGroup",
            ESCO + "isco/C7212",
            "7212",
            "Welders and flamecutters",
            "released",
            "",
            "",
            "",
        ],
        ["ISCOGroup", ESCO + "isco/C2", "2", "Professionals", "released", "", "", ""],
        ["ISCOGroup", ESCO + "isco/C25", "25", "ICT professionals", "released", "", "", ""],
        [
            "ISCOGroup",
            ESCO + "isco/C251",
            "251",
            "Software developers and analysts",
            "released",
            "",
            "",
            "",
        ],
        ["ISCOGroup", ESCO + "isco/C2512", "2512", "Software developers", "released", "", "", ""],
    ]
    groups = [
        [
            "conceptType",
            "conceptUri",
            "preferredLabel",
            "altLabels",
            "hiddenLabels",
            "status",
            "modifiedDate",
            "scopeNote",
            "inScheme",
            "description",
            "code",
        ],
        [
            "SkillGroup",
            SKILL_GROUP,
            "working with metal",
            "",
            "",
            "released",
            "",
            "",
            "",
            "Metal work.",
            "S6.1",
        ],
    ]
    with zipfile.ZipFile(
        d / "ESCO-v1.1.1-classification-en-csv.zip", "w", zipfile.ZIP_DEFLATED
    ) as zf:
        zf.writestr("skills_en.csv", _csv_text(skills))
        zf.writestr("occupations_en.csv", _csv_text(occupations))
        zf.writestr("ISCOGroups_en.csv", _csv_text(isco))
        zf.writestr("skillGroups_en.csv", _csv_text(groups))
    relations = [
        ["occupationUri", "relationType", "skillType", "skillUri"],
        [OCC_WELDER, "essential", "skill/competence", SKILL_WELD],
        [OCC_WELDER, "optional", "skill/competence", SKILL_BLUEPRINT],
        [OCC_DEV, "optional", "skill/competence", SKILL_BLUEPRINT],
    ]
    broader = [
        ["conceptType", "conceptUri", "broaderType", "broaderUri"],
        ["KnowledgeSkillCompetence", SKILL_WELD, "SkillGroup", SKILL_GROUP],
    ]
    with zipfile.ZipFile(d / "ESCO-v1.1.1-relations-csv.zip", "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("occupationSkillRelations.csv", _csv_text(relations))
        zf.writestr("broaderRelationsSkillPillar.csv", _csv_text(broader))
    _csv(
        d / "fr/occupations_fr.csv",
        [
            occupations[0],
            [
                *occupations[1][:3],
                "soudeur/soudeuse",
                "soudeuse\nsoudeur",
                *occupations[1][5:12],
                "Les soudeurs assemblent le métal.",
                "7212.1",
            ],
        ],
    )
    _csv(
        root / "esco1.0-fr/skills_fr.csv",
        [
            [
                "conceptType",
                "conceptUri",
                "skillType",
                "reuseLevel",
                "preferredLabel",
                "altLabels",
                "description",
            ],
            [
                "KnowledgeSkillCompetence",
                SKILL_WELD,
                "skill/competence",
                "occupation-specific",
                "souder des métaux",
                "",
                "",
            ],
        ],
    )


def write_onet(root: Path) -> None:
    d = root / "onet29.2"
    _xlsx(
        d / "Occupation Data.xlsx",
        [
            ["O*NET-SOC Code", "Title", "Description"],
            [
                "51-4121.00",
                "Welders, Cutters, Solderers, and Brazers",
                "Use hand-welding equipment.",
            ],
            ["15-1252.00", "Software Developers", "Develop software."],
        ],
    )
    header = [
        "O*NET-SOC Code",
        "Title",
        "Element ID",
        "Element Name",
        "Scale ID",
        "Scale Name",
        "Data Value",
        "N",
        "Standard Error",
        "Lower CI Bound",
        "Upper CI Bound",
        "Recommend Suppress",
        "Not Relevant",
        "Date",
        "Domain Source",
    ]
    _xlsx(
        d / "Skills.xlsx",
        [
            header,
            [
                "51-4121.00",
                "Welders",
                "2.A.1.a",
                "Reading Comprehension",
                "IM",
                "Importance",
                3.0,
                8,
                0.1,
                2.8,
                3.2,
                "N",
                "",
                "08/2023",
                "Analyst",
            ],
            [
                "51-4121.00",
                "Welders",
                "2.A.1.a",
                "Reading Comprehension",
                "LV",
                "Level",
                2.5,
                8,
                0.1,
                2.3,
                2.7,
                "N",
                "N",
                "08/2023",
                "Analyst",
            ],
        ],
    )
    _xlsx(
        d / "Technology Skills.xlsx",
        [
            [
                "O*NET-SOC Code",
                "Title",
                "Example",
                "Commodity Code",
                "Commodity Title",
                "Hot Technology",
                "In Demand",
            ],
            [
                "15-1252.00",
                "Software Developers",
                "Python",
                43232701,
                "Programming software",
                "Y",
                "Y",
            ],
            ["51-4121.00", "Welders", "Welding software", 43232702, "CAD software", "N", "N"],
        ],
    )
    _xlsx(
        d / "Alternate Titles.xlsx",
        [
            ["O*NET-SOC Code", "Title", "Alternate Title", "Short Title", "Source(s)"],
            ["51-4121.00", "Welders", "Pipe Welder", "", "08"],
            ["15-1252.00", "Software Developers", "Software Engineer", "", "08"],
        ],
    )


def write_crosswalk(root: Path) -> None:
    _csv(
        root / "crosswalks/noc2021_onet26.csv",
        [
            ["noc", "noc_title", "onet", "onet_title"],
            [72106, "Welding", "51-4121.00", "Welders"],
            [21231, "Software", "15-1252.00", "Software Developers"],
        ],
        encoding="utf-8",
    )


def write_all(root: Path) -> Path:
    write_noc(root)
    write_oasis(root)
    write_cops(root)
    esco_zips(root)
    write_onet(root)
    write_crosswalk(root)
    return root
