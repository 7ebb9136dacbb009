"""A small, self-written vocabulary for demo listings (used when no reference data is loaded).

NOC 2021 unit-group codes and CIP 2021 codes are real identifiers; the names of providers
are fictional. OaSIS descriptor names are matched against the official guide file when the
reference data is available, so the demo then carries real OaSIS codes.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Topic:
    """A field of study the demo generates listings in."""

    key: str
    en: str
    fr: str
    nocs: tuple[str, ...]
    cip: str
    skills: tuple[str, ...]  # OaSIS descriptor names (English)
    outcomes_en: tuple[str, ...]
    outcomes_fr: tuple[str, ...]


TOPICS: tuple[Topic, ...] = (
    Topic(
        "data-analytics",
        "Data Analytics",
        "Analytique des données",
        ("21211", "21223", "21221"),
        "30.7001",
        ("Numeracy", "Critical Thinking", "Digital Literacy", "Evaluation"),
        (
            "Clean and prepare a data set for analysis",
            "Write SQL queries that join and aggregate tables",
            "Build a dashboard that answers a business question",
            "Explain a statistical result to a non-specialist",
        ),
        (
            "Nettoyer et préparer un jeu de données",
            "Écrire des requêtes SQL avec jointures et agrégats",
            "Concevoir un tableau de bord qui répond à une question d'affaires",
            "Expliquer un résultat statistique à un non-spécialiste",
        ),
    ),
    Topic(
        "cybersecurity",
        "Cybersecurity Fundamentals",
        "Fondements de la cybersécurité",
        ("21220", "22220", "21222"),
        "11.1003",
        ("Critical Thinking", "Problem Solving", "Monitoring", "Evaluation"),
        (
            "Identify common threats and vulnerabilities",
            "Configure a firewall and basic network controls",
            "Respond to a simulated security incident",
        ),
        (
            "Reconnaître les menaces et vulnérabilités courantes",
            "Configurer un pare-feu et des contrôles réseau de base",
            "Intervenir lors d'un incident de sécurité simulé",
        ),
    ),
    Topic(
        "python",
        "Python Programming",
        "Programmation Python",
        ("21232", "21231", "21211"),
        "11.0701",
        ("Digital Literacy", "Problem Solving", "Critical Thinking"),
        (
            "Write, test and debug Python programs",
            "Use version control in a team project",
            "Automate a repetitive office task",
        ),
        (
            "Écrire, tester et déboguer des programmes Python",
            "Utiliser un gestionnaire de versions en équipe",
            "Automatiser une tâche de bureau répétitive",
        ),
    ),
    Topic(
        "project-management",
        "Project Management Essentials",
        "Essentiels de la gestion de projet",
        ("11201", "10019", "70010"),
        "52.0211",
        (
            "Coordinating",
            "Time Management",
            "Decision Making",
            "Oral Communication: Active Listening",
        ),
        (
            "Build a project charter and schedule",
            "Manage risks, scope and stakeholders",
            "Lead a project status meeting",
        ),
        (
            "Élaborer une charte et un échéancier de projet",
            "Gérer les risques, la portée et les parties prenantes",
            "Animer une réunion de suivi de projet",
        ),
    ),
    Topic(
        "digital-marketing",
        "Digital Marketing",
        "Marketing numérique",
        ("11202", "10022", "64100"),
        "52.1401",
        ("Writing", "Persuading", "Evaluation"),
        (
            "Plan a social media campaign",
            "Measure campaign results with web analytics",
            "Write copy for search ads",
        ),
        (
            "Planifier une campagne sur les médias sociaux",
            "Mesurer les résultats d'une campagne avec l'analytique web",
            "Rédiger des annonces pour les moteurs de recherche",
        ),
    ),
    Topic(
        "bookkeeping",
        "Bookkeeping and Payroll",
        "Tenue de livres et paie",
        ("12200", "11100", "13100"),
        "52.0302",
        ("Numeracy", "Reading Comprehension", "Monitoring"),
        (
            "Record transactions in double-entry accounts",
            "Prepare a payroll run with Canadian deductions",
            "Reconcile bank statements",
        ),
        (
            "Comptabiliser des opérations en partie double",
            "Préparer une paie avec les retenues canadiennes",
            "Faire un rapprochement bancaire",
        ),
    ),
    Topic(
        "welding",
        "Welding: Structural Steel",
        "Soudage : acier de construction",
        ("72106",),
        "48.0508",
        ("Operation and Control", "Preventative Maintenance", "Quality Control Testing"),
        (
            "Perform fillet welds in flat and horizontal positions",
            "Read welding symbols on blueprints",
            "Apply workplace safety procedures",
        ),
        (
            "Exécuter des soudures d'angle à plat et à l'horizontale",
            "Lire les symboles de soudage sur un plan",
            "Appliquer les procédures de sécurité au travail",
        ),
    ),
    Topic(
        "ev-electrical",
        "Electric Vehicle Charging Installation",
        "Installation de bornes de recharge",
        ("72200", "22310"),
        "46.0302",
        ("Preventative Maintenance", "Troubleshooting", "Quality Control Testing"),
        (
            "Size and install a Level 2 charging station to code",
            "Test and commission charging equipment",
        ),
        (
            "Dimensionner et installer une borne de niveau 2 selon le code",
            "Mettre à l'essai et en service une borne",
        ),
    ),
    Topic(
        "infection-control",
        "Infection Prevention and Control",
        "Prévention et contrôle des infections",
        ("32101", "33102", "44101"),
        "51.3901",
        ("Monitoring", "Oral Communication: Active Listening", "Critical Thinking"),
        (
            "Apply routine practices and additional precautions",
            "Use personal protective equipment correctly",
        ),
        (
            "Appliquer les pratiques de base et les précautions additionnelles",
            "Utiliser correctement l'équipement de protection individuelle",
        ),
    ),
    Topic(
        "early-childhood",
        "Inclusive Early Learning",
        "Apprentissage inclusif à la petite enfance",
        ("42202", "43100"),
        "19.0709",
        ("Instructing", "Oral Communication: Active Listening", "Social Perceptiveness"),
        ("Plan play-based learning for diverse needs", "Document children's development"),
        (
            "Planifier un apprentissage par le jeu adapté à divers besoins",
            "Documenter le développement de l'enfant",
        ),
    ),
    Topic(
        "supply-chain",
        "Supply Chain and Logistics",
        "Chaîne d'approvisionnement et logistique",
        ("13201", "14400", "73300"),
        "52.0203",
        ("Coordinating", "Management of Material Resources", "Decision Making"),
        ("Plan inventory with demand forecasts", "Coordinate shipments across carriers"),
        (
            "Planifier les stocks à partir des prévisions de la demande",
            "Coordonner des expéditions entre transporteurs",
        ),
    ),
    Topic(
        "hr",
        "Human Resources Foundations",
        "Fondements des ressources humaines",
        ("11200", "10011", "12010"),
        "52.1001",
        ("Management of Personnel Resources", "Negotiating", "Writing"),
        ("Run a fair, structured hiring process", "Apply provincial employment standards"),
        (
            "Mener un processus d'embauche structuré et équitable",
            "Appliquer les normes d'emploi provinciales",
        ),
    ),
    Topic(
        "retail-leadership",
        "Retail Team Leadership",
        "Leadership d'équipe en commerce de détail",
        ("62010", "64100", "62020"),
        "52.1803",
        ("Management of Personnel Resources", "Coordinating", "Managing Conversation"),
        ("Schedule and coach a retail team", "Resolve customer complaints"),
        ("Planifier les horaires et encadrer une équipe", "Régler les plaintes des clients"),
    ),
    Topic(
        "cloud",
        "Cloud Computing Foundations",
        "Fondements de l'infonuagique",
        ("21222", "22220", "21231"),
        "11.0901",
        ("Digital Literacy", "Troubleshooting", "Systems Analysis"),
        ("Deploy a web application on a public cloud", "Estimate and control cloud costs"),
        (
            "Déployer une application web dans un nuage public",
            "Estimer et maîtriser les coûts infonuagiques",
        ),
    ),
    Topic(
        "heat-pumps",
        "Heat Pump Installation and Service",
        "Installation et entretien de thermopompes",
        ("72402", "72200"),
        "47.0201",
        ("Setting Up", "Troubleshooting", "Preventative Maintenance"),
        ("Install a cold-climate air-source heat pump", "Diagnose refrigerant-circuit faults"),
        (
            "Installer une thermopompe à air pour climat froid",
            "Diagnostiquer les pannes du circuit frigorifique",
        ),
    ),
    Topic(
        "food-safety",
        "Food Safety and Kitchen Management",
        "Salubrité alimentaire et gestion de cuisine",
        ("63200", "62020"),
        "12.0504",
        ("Monitoring", "Management of Material Resources", "Time Management"),
        ("Apply HACCP principles in a commercial kitchen", "Cost a menu and control food waste"),
        (
            "Appliquer les principes HACCP en cuisine commerciale",
            "Établir le coût d'un menu et réduire le gaspillage",
        ),
    ),
)

PLACES: dict[str, tuple[str, ...]] = {
    "AB": ("Calgary", "Edmonton", "Lethbridge", "Red Deer"),
    "BC": ("Vancouver", "Victoria", "Kelowna", "Prince George", "Kamloops"),
    "MB": ("Winnipeg", "Brandon", "Thompson"),
    "NB": ("Moncton", "Fredericton", "Saint John", "Edmundston"),
    "NL": ("St. John's", "Corner Brook", "Gander"),
    "NS": ("Halifax", "Sydney", "Truro"),
    "NT": ("Yellowknife", "Inuvik"),
    "NU": ("Iqaluit", "Rankin Inlet"),
    "ON": (
        "Toronto",
        "Ottawa",
        "Hamilton",
        "Sudbury",
        "Thunder Bay",
        "London",
        "Kingston",
        "Windsor",
    ),
    "PE": ("Charlottetown", "Summerside"),
    "QC": ("Montréal", "Québec", "Sherbrooke", "Trois-Rivières", "Gatineau", "Rimouski"),
    "SK": ("Regina", "Saskatoon", "Prince Albert"),
    "YT": ("Whitehorse", "Dawson City"),
}
# Providers per province, roughly by population, so small territories still get some.
PROVINCE_WEIGHTS = {
    "ON": 38,
    "QC": 22,
    "BC": 13,
    "AB": 11,
    "MB": 4,
    "SK": 3,
    "NS": 3,
    "NB": 2,
    "NL": 1.5,
    "PE": 1,
    "NT": 1,
    "YT": 1,
    "NU": 1,
}

PARTNERS = (
    "Northwind Logistics",
    "Maple Digital",
    "Aurora Health Network",
    "Boreal Energy",
    "Great Lakes Manufacturing",
    "Prairie Growers Co-op",
    "Coastal Builders Association",
    "Laurentian Software",
    "True North Retail Council",
)
